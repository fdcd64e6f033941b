import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { isIP } from 'node:net';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'previousMasterKeys' })
export class PreviousMasterKeysConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      typeof value === 'string' && splitList(value).every((key) => decodeMasterKey(key) !== null)
    );
  }

  defaultMessage(): string {
    return 'must be a comma-separated list of base64 encoded 32-byte keys';
  }
}

@ValidatorConstraint({ name: 'cidrList' })
export class CidrListConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && splitList(value).every(isCidr);
  }

  defaultMessage(): string {
    return 'must be a comma-separated list of CIDR ranges such as 10.0.0.0/8 or fd12::/16';
  }
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function isCidr(text: string): boolean {
  const [address, prefix, extra] = text.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || prefix === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefix))
    return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

@ValidatorConstraint({ name: 'masterKey' })
export class MasterKeyConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeMasterKey(value) !== null;
  }

  defaultMessage(): string {
    return 'must be the base64 encoding of exactly 32 random bytes (generate one with: openssl rand -base64 32)';
  }
}

/** Returns the 32-byte key, or null when the text is not strict base64 of 32 bytes. */
export function decodeMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) {
    return null;
  }
  const bytes = Buffer.from(
    trimmed,
    trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
  );
  return bytes.length === 32 ? bytes : null;
}

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable Switchyard reads. Defaults favour a working local start;
 * production sets DATABASE_URL, REDIS_URL, SWITCHYARD_MASTER_KEY and SWITCHYARD_ADMIN_TOKEN.
 */
export class EnvSchema {
  /** TCP port the HTTP server listens on (0 picks a free port). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  /** Interface to bind; 0.0.0.0 exposes the gateway beyond this machine. */
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  /** Folder for the SQLite file and the generated admin token and master key. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Unset: SQLite file in DATA_DIR. postgres://… : PostgreSQL. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Unset: in-process queue, counters and cache. redis://… : shared by every replica. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix for every Redis key, so several deployments can share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]*$/, { message: 'may contain only letters, digits, ":", "_" and "-"' })
  REDIS_KEY_PREFIX = 'switchyard:';

  /** Root admin token. Unset: generated once into DATA_DIR/admin-token. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters long' })
  SWITCHYARD_ADMIN_TOKEN?: string;

  /** Base64 of 32 bytes; seals provider keys. Unset: generated once into DATA_DIR/master-key. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Validate(MasterKeyConstraint)
  SWITCHYARD_MASTER_KEY?: string;

  /** Master keys that sealed secrets before the current one; kept readable until `npm run keys:rotate` re-seals. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Validate(PreviousMasterKeysConstraint)
  SWITCHYARD_PREVIOUS_MASTER_KEYS?: string;

  /** Refuse upstreams on loopback and private ranges (always refused: link-local, metadata, multicast). */
  @IsIn(['true', 'false'])
  SWITCHYARD_UPSTREAM_BLOCK_PRIVATE: 'true' | 'false' = 'false';

  /** Ranges allowed even when private ranges are blocked, comma-separated CIDRs. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Validate(CidrListConstraint)
  SWITCHYARD_UPSTREAM_ALLOW_CIDRS?: string;

  /** Enables the built-in OpenAI models. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @Matches(/^https?:\/\/[^\s?#]+$/, {
    message: 'must be an http(s) URL without query, such as https://api.openai.com/v1',
  })
  OPENAI_BASE_URL = 'https://api.openai.com/v1';

  /** Enables the built-in Anthropic models. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ANTHROPIC_API_KEY?: string;

  @Matches(/^https?:\/\/[^\s?#]+$/, {
    message: 'must be an http(s) URL without query, such as https://api.anthropic.com/v1',
  })
  ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

  /** How long connecting to an upstream may take, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;

  /** How long an upstream may take to start answering (and to send each next chunk), in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS = 120_000;

  /** How long a provider connection test may take, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  PROVIDER_TEST_TIMEOUT_MS = 15_000;

  /** How long a gateway key lookup is cached in memory; a revoked key works on other replicas for at most this long. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  KEY_CACHE_TTL_SECONDS = 10;

  /** Run pending migrations at start (under a lock on PostgreSQL). */
  @IsIn(['true', 'false'])
  MIGRATIONS_RUN: 'true' | 'false' = 'true';

  /** Largest accepted request body, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 10 * 1024 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';
}
