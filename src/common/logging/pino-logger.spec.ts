import { Writable } from 'node:stream';
import type { LogLevel } from '../../config/app-config';
import { createRootLogger, PinoNestLogger } from './pino-logger';

const GATEWAY_KEY = 'csk_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
const OPENAI_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

type Line = Record<string, unknown>;

/** A PinoNestLogger whose pino output is parsed into `lines`. */
function capture(level: LogLevel = 'trace'): { logger: PinoNestLogger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text) lines.push(JSON.parse(text) as Line);
      }
      done();
    },
  });
  return { logger: new PinoNestLogger(createRootLogger({ log: { level } }, sink)), lines };
}

describe('PinoNestLogger', () => {
  it('writes a log line at info with its context and standard fields', () => {
    const { logger, lines } = capture();

    logger.log('Switchyard listening on http://127.0.0.1:8080', 'Main');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'switchyard',
        context: 'Main',
        msg: 'Switchyard listening on http://127.0.0.1:8080',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      }),
    ]);
  });

  it.each(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory'])(
    "logs Nest's %s chatter at debug",
    (context) => {
      const { logger, lines } = capture();

      logger.log('AppModule dependencies initialized', context);

      expect(lines).toEqual([expect.objectContaining({ level: 'debug', context })]);
    },
  );

  it('drops start-up chatter at the default info level', () => {
    const { logger, lines } = capture('info');

    logger.log('Mapped {/v1/models, GET} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');

    expect(lines.map((line) => line.msg)).toEqual(['Nest application successfully started']);
  });

  it.each([
    ['error', 'error'],
    ['warn', 'warn'],
    ['debug', 'debug'],
    ['verbose', 'trace'],
    ['fatal', 'fatal'],
  ] as const)('writes %s calls at pino level %s', (method, level) => {
    const { logger, lines } = capture();

    logger[method]('something happened', 'Ctx');

    expect(lines).toEqual([expect.objectContaining({ level, context: 'Ctx' })]);
  });

  it('writes nothing below the configured level', () => {
    const { logger, lines } = capture('warn');

    logger.log('hello', 'Main');
    logger.debug('details', 'Main');
    logger.warn('careful', 'Main');

    expect(lines.map((line) => line.level)).toEqual(['warn']);
  });

  it('redacts secrets in a text message', () => {
    const { logger, lines } = capture();

    logger.warn(`rejected ${GATEWAY_KEY} and Bearer ${OPENAI_KEY}`, 'Auth');

    expect(lines[0]?.msg).toBe('rejected [redacted] and [redacted]');
  });

  it('redacts the stack Nest passes with (message, stack, context)', () => {
    const { logger, lines } = capture();

    logger.error('request failed', `Error: bad key ${GATEWAY_KEY}\n    at handler`, 'Errors');

    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request failed',
        context: 'Errors',
        stack: 'Error: bad key [redacted]\n    at handler',
      }),
    ]);
  });

  it('redacts fields and nested errors of an object message', () => {
    const { logger, lines } = capture();

    logger.error(
      {
        msg: `Unhandled error for ${GATEWAY_KEY}`,
        requestId: 'req_1',
        headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'anything' },
        err: new Error(`upstream said: invalid key ${OPENAI_KEY}`),
      },
      undefined,
      'Errors',
    );

    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 'error',
      context: 'Errors',
      msg: 'Unhandled error for [redacted]',
      requestId: 'req_1',
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      err: { name: 'Error', message: 'upstream said: invalid key [redacted]' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/csk_Zm9v|sk-proj-|dXNlcjpwYXNz|anything/);
  });

  it('redacts an Error passed as the message', () => {
    const { logger, lines } = capture();

    logger.error(new Error(`could not reach upstream with ${OPENAI_KEY}`), 'Upstream');

    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'Upstream',
      msg: 'could not reach upstream with [redacted]',
      err: { message: 'could not reach upstream with [redacted]' },
    });
    expect(JSON.stringify(lines)).not.toContain(OPENAI_KEY);
  });

  it('writes a message without a context', () => {
    const { logger, lines } = capture();

    logger.log(42);

    expect(lines).toEqual([expect.objectContaining({ level: 'info', msg: '42' })]);
    expect(lines[0]).not.toHaveProperty('context');
  });
});
