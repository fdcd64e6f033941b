import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config';
import { decodeMasterKey } from './env.schema';
import { ConfigError } from './load-config';

export interface Secrets {
  readonly adminToken: string;
  readonly masterKey: Buffer;
}

export interface SecretsNotice {
  readonly level: 'info' | 'warn';
  readonly message: string;
}

export const ADMIN_TOKEN_FILE = 'admin-token';
export const MASTER_KEY_FILE = 'master-key';

/**
 * Takes the admin token and master key from the configuration, or from files in DATA_DIR,
 * creating those files (mode 0600) on first start. Notices say where a secret lives, never what it is.
 */
export function resolveSecrets(config: AppConfig): { secrets: Secrets; notices: SecretsNotice[] } {
  const notices: SecretsNotice[] = [];
  const adminToken = resolveAdminToken(config, notices);
  const masterKey = resolveMasterKey(config, notices);
  return { secrets: { adminToken, masterKey }, notices };
}

function resolveAdminToken(config: AppConfig, notices: SecretsNotice[]): string {
  if (config.adminToken !== null) return config.adminToken;
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  const { value, created } = readOrCreate(
    file,
    () => `sy_root_${randomBytes(32).toString('base64url')}`,
    true,
  );
  // The same rule as for SWITCHYARD_ADMIN_TOKEN: a hand-written file must not weaken it.
  if (value.length < 24)
    throw new ConfigError([`${file} must hold a token of at least 24 characters`]);
  notices.push({
    level: 'info',
    message: created
      ? `Generated the root admin token into ${file} (mode 0600); set SWITCHYARD_ADMIN_TOKEN to manage it yourself`
      : `Using the root admin token stored in ${file}`,
  });
  return value;
}

/** The master key from SWITCHYARD_MASTER_KEY or DATA_DIR; `createMissing: false` for tools that must not invent one. */
export function resolveMasterKey(
  config: AppConfig,
  notices: SecretsNotice[] = [],
  createMissing = true,
): Buffer {
  if (config.masterKey !== null) return config.masterKey;
  const file = join(config.dataDir, MASTER_KEY_FILE);
  const { value, created } = readOrCreate(
    file,
    () => randomBytes(32).toString('base64'),
    createMissing,
  );
  const masterKey = decodeMasterKey(value);
  if (masterKey === null) {
    throw new ConfigError([
      `${file} does not hold a base64 encoded 32-byte key; restore it or set SWITCHYARD_MASTER_KEY`,
    ]);
  }
  notices.push({
    level: 'warn',
    message: `${created ? 'Generated' : 'Using'} the master key in ${file}; production must set SWITCHYARD_MASTER_KEY (and keep a copy: provider keys sealed with it cannot be read without it)`,
  });
  return masterKey;
}

function readOrCreate(
  file: string,
  generate: () => string,
  create: boolean,
): { value: string; created: boolean } {
  try {
    return { value: readFileSync(file, 'utf8').trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (!create)
    throw new ConfigError([
      `${file} does not exist; set the variable or start the server once to create it`,
    ]);
  mkdirSync(join(file, '..'), { recursive: true });
  const value = generate();
  // 'wx' fails if another process created the file meanwhile; then its value wins.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { value: readFileSync(file, 'utf8').trim(), created: false };
    }
    throw error;
  }
  chmodSync(file, 0o600); // the umask may have narrowed the mode further, never widened it; make it exact
  return { value, created: true };
}
