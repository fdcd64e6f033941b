import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';
import { decodeMasterKey, EnvSchema, splitList } from './env.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Pure: environment → validated, frozen configuration. Throws one ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  // `PORT=` (an empty variable) means unset: left in, Number('') would turn it into port 0.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const schema = plainToInstance(EnvSchema, present);
  const errors = validateSync(schema);
  if (errors.length > 0) throw new ConfigError(errors.map(describe));

  const dataDir = resolve(schema.DATA_DIR);
  return Object.freeze({
    port: schema.PORT,
    host: schema.HOST,
    dataDir,
    database: schema.DATABASE_URL
      ? { type: 'postgres', url: schema.DATABASE_URL }
      : { type: 'sqlite', path: join(dataDir, 'switchyard.sqlite') },
    redis: schema.REDIS_URL ? { url: schema.REDIS_URL, keyPrefix: schema.REDIS_KEY_PREFIX } : null,
    adminToken: schema.SWITCHYARD_ADMIN_TOKEN ?? null,
    masterKey: schema.SWITCHYARD_MASTER_KEY ? decodeMasterKey(schema.SWITCHYARD_MASTER_KEY) : null,
    previousMasterKeys: splitList(schema.SWITCHYARD_PREVIOUS_MASTER_KEYS ?? '').map((key) =>
      decodeMasterKey(key)!,
    ),
    upstream: {
      blockPrivate: schema.SWITCHYARD_UPSTREAM_BLOCK_PRIVATE === 'true',
      allowCidrs: splitList(schema.SWITCHYARD_UPSTREAM_ALLOW_CIDRS ?? ''),
    },
    providerTestTimeoutMs: schema.PROVIDER_TEST_TIMEOUT_MS,
    builtins: {
      openai: {
        apiKey: schema.OPENAI_API_KEY ?? null,
        baseUrl: schema.OPENAI_BASE_URL.replace(/\/+$/, ''),
      },
      anthropic: {
        apiKey: schema.ANTHROPIC_API_KEY ?? null,
        baseUrl: schema.ANTHROPIC_BASE_URL.replace(/\/+$/, ''),
      },
    },
    upstreamTimeouts: {
      connectMs: schema.UPSTREAM_CONNECT_TIMEOUT_MS,
      firstByteMs: schema.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
    },
    keyCacheTtlMs: schema.KEY_CACHE_TTL_SECONDS * 1000,
    migrationsRun: schema.MIGRATIONS_RUN === 'true',
    bodyLimitBytes: schema.BODY_LIMIT_BYTES,
    log: { level: schema.LOG_LEVEL },
  } satisfies AppConfig);
}

// The message names the variable and the rule, never the value: some variables are secrets.
function describe(error: ValidationError): string {
  const rules = Object.values(error.constraints ?? {}).map((text) =>
    text.replace(`${error.property} `, ''),
  );
  return `${error.property} ${rules.join(', ')}`;
}
