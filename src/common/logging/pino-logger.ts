import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { redact, redactText } from './redact';

export function createRootLogger(
  config: Pick<AppConfig, 'log'>,
  // Synchronous stdout: few lines are written, and none is lost when the process exits.
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  return pino(
    {
      level: config.log.level,
      base: { service: 'switchyard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

// Nest's start-up chatter (one line per module and route) is debug detail, not news.
const CHATTY_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
]);

/** Nest's logger interface on top of pino; every line passes through redact(). */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write(
      CHATTY_CONTEXTS.has(rest[rest.length - 1] as string) ? 'debug' : 'info',
      message,
      rest,
    );
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  // Nest passes (message, context) or (message, stack, context); the context is always last.
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? redactText(rest[0]) : undefined;
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      const { msg, ...fields } = redact(message) as Record<string, unknown>;
      this.logger[level]({ context, stack, ...fields }, typeof msg === 'string' ? msg : undefined);
      return;
    }
    if (message instanceof Error) {
      this.logger[level]({ context, err: redact(message) }, redactText(message.message));
      return;
    }
    this.logger[level]({ context, stack }, redactText(String(message)));
  }
}
