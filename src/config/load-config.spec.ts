import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  describe('with an empty environment', () => {
    const config = loadConfig({});

    it('listens on 127.0.0.1:8080', () => {
      expect(config.port).toBe(8080);
      expect(config.host).toBe('127.0.0.1');
    });

    it('keeps a SQLite file in ./data', () => {
      expect(config.dataDir).toBe(resolve('data'));
      expect(config.database).toEqual({
        type: 'sqlite',
        path: join(resolve('data'), 'switchyard.sqlite'),
      });
    });

    it('runs without Redis', () => {
      expect(config.redis).toBeNull();
    });

    it('caches gateway keys for 10 seconds', () => {
      expect(config.keyCacheTtlMs).toBe(10_000);
    });

    it('leaves the admin token and master key to the local secrets files', () => {
      expect(config.adminToken).toBeNull();
      expect(config.masterKey).toBeNull();
    });

    it('runs migrations, accepts 10 MiB bodies and logs at info', () => {
      expect(config.migrationsRun).toBe(true);
      expect(config.bodyLimitBytes).toBe(10 * 1024 * 1024);
      expect(config.log.level).toBe('info');
    });

    it('returns a frozen object', () => {
      expect(Object.isFrozen(config)).toBe(true);
    });
  });

  it('puts the SQLite file under DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/srv/switchyard' });

    expect(config.dataDir).toBe('/srv/switchyard');
    expect(config.database).toEqual({ type: 'sqlite', path: '/srv/switchyard/switchyard.sqlite' });
  });

  it.each(['postgres://sy:pw@db:5432/switchyard', 'postgresql://db/switchyard'])(
    'uses PostgreSQL when DATABASE_URL is %s',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ type: 'postgres', url });
    },
  );

  it('uses Redis with the default key prefix when REDIS_URL is set', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redis).toEqual({
      url: 'redis://127.0.0.1:6379/2',
      keyPrefix: 'switchyard:',
    });
  });

  it('uses REDIS_KEY_PREFIX for Redis keys', () => {
    expect(
      loadConfig({ REDIS_URL: 'rediss://cache:6380', REDIS_KEY_PREFIX: 'sy-eu:' }).redis,
    ).toEqual({ url: 'rediss://cache:6380', keyPrefix: 'sy-eu:' });
  });

  it('converts numeric variables', () => {
    const config = loadConfig({ PORT: '0', KEY_CACHE_TTL_SECONDS: '0', BODY_LIMIT_BYTES: '2048' });

    expect(config.port).toBe(0);
    expect(config.keyCacheTtlMs).toBe(0);
    expect(config.bodyLimitBytes).toBe(2048);
  });

  it('turns MIGRATIONS_RUN=false off', () => {
    expect(loadConfig({ MIGRATIONS_RUN: 'false' }).migrationsRun).toBe(false);
  });

  it('decodes a base64 SWITCHYARD_MASTER_KEY into its 32 bytes', () => {
    const key = randomBytes(32);

    expect(loadConfig({ SWITCHYARD_MASTER_KEY: key.toString('base64') }).masterKey).toEqual(key);
  });

  it('accepts a base64url SWITCHYARD_MASTER_KEY', () => {
    // Pick a key whose encoding needs the url-safe alphabet, so the test exercises that branch.
    let key = randomBytes(32);
    while (!/[-_]/.test(key.toString('base64url'))) key = randomBytes(32);

    expect(loadConfig({ SWITCHYARD_MASTER_KEY: key.toString('base64url') }).masterKey).toEqual(key);
  });

  it('takes SWITCHYARD_ADMIN_TOKEN as given', () => {
    const token = 'a-long-enough-root-token-0123456789';

    expect(loadConfig({ SWITCHYARD_ADMIN_TOKEN: token }).adminToken).toBe(token);
  });

  it.each(['abc', '70000', '-1', '80.5'])('rejects PORT=%s', (port) => {
    const error = configError({ PORT: port });

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^PORT /);
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(configError({ DATABASE_URL: 'mysql://db/switchyard' }).problems).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ]);
  });

  it('rejects a SWITCHYARD_ADMIN_TOKEN shorter than 24 characters', () => {
    expect(configError({ SWITCHYARD_ADMIN_TOKEN: 'short' }).problems).toEqual([
      'SWITCHYARD_ADMIN_TOKEN must be at least 24 characters long',
    ]);
  });

  describe('rejects a bad SWITCHYARD_MASTER_KEY without printing it', () => {
    it.each([
      ['is not base64', 'not base64 at all!'],
      ['decodes to 31 bytes', randomBytes(31).toString('base64')],
      ['decodes to 33 bytes', randomBytes(33).toString('base64')],
      ['is hex rather than base64', randomBytes(32).toString('hex')],
    ])('when it %s', (_, value) => {
      const error = configError({ SWITCHYARD_MASTER_KEY: value });

      expect(error.message).toContain('SWITCHYARD_MASTER_KEY');
      expect(error.message).toContain('32');
      expect(error.message).not.toContain(value);
      expect(error.message).not.toContain('\n');
    });
  });

  it('lists every bad variable in one single-line error', () => {
    const masterKey = randomBytes(31).toString('base64');
    const error = configError({
      PORT: 'eighty',
      DATABASE_URL: 'sqlite://nope',
      REDIS_URL: 'http://cache',
      SWITCHYARD_MASTER_KEY: masterKey,
      LOG_LEVEL: 'loud',
    });

    expect(error.problems.map((problem) => problem.split(' ')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'SWITCHYARD_MASTER_KEY',
      'LOG_LEVEL',
    ]);
    expect(error.message).toMatch(/^Invalid configuration: PORT .*; LOG_LEVEL must be one of/);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(masterKey);
    expect(error.message).not.toContain('sqlite://nope');
    expect(error.message).not.toContain('http://cache');
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({
      PORT: '',
      HOST: '',
      DATA_DIR: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      SWITCHYARD_ADMIN_TOKEN: '',
      SWITCHYARD_MASTER_KEY: '',
      KEY_CACHE_TTL_SECONDS: '',
      MIGRATIONS_RUN: '',
      BODY_LIMIT_BYTES: '',
      LOG_LEVEL: '',
    });

    expect(config).toEqual(loadConfig({}));
  });

  it('treats whitespace-only variables as unset', () => {
    const config = loadConfig({ PORT: '  ', DATABASE_URL: ' ', SWITCHYARD_MASTER_KEY: '\t' });

    expect(config.port).toBe(8080);
    expect(config.database.type).toBe('sqlite');
    expect(config.masterKey).toBeNull();
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root' })).toEqual(loadConfig({}));
  });
});
