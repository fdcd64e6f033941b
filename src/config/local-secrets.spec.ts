import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';
import { ADMIN_TOKEN_FILE, MASTER_KEY_FILE, resolveSecrets } from './local-secrets';

describe('resolveSecrets', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'));
    // A folder that does not exist yet, as on a first start.
    dataDir = join(root, 'data');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const fileMode = (name: string): number => statSync(join(dataDir, name)).mode & 0o777;
  const fileText = (name: string): string => readFileSync(join(dataDir, name), 'utf8');

  describe('on a first start', () => {
    it('creates the data folder and both secret files with mode 0600', () => {
      resolveSecrets(loadConfig({ DATA_DIR: dataDir }));

      expect(fileMode(ADMIN_TOKEN_FILE)).toBe(0o600);
      expect(fileMode(MASTER_KEY_FILE)).toBe(0o600);
    });

    it('writes the returned admin token and master key into the files', () => {
      const { secrets } = resolveSecrets(loadConfig({ DATA_DIR: dataDir }));

      expect(secrets.adminToken).toMatch(/^sy_root_[A-Za-z0-9_-]{43}$/);
      expect(fileText(ADMIN_TOKEN_FILE)).toBe(`${secrets.adminToken}\n`);
      expect(secrets.masterKey).toHaveLength(32);
      expect(fileText(MASTER_KEY_FILE)).toBe(`${secrets.masterKey.toString('base64')}\n`);
    });

    it('says it generated the secrets and where they live', () => {
      const { notices } = resolveSecrets(loadConfig({ DATA_DIR: dataDir }));

      expect(notices).toEqual([
        {
          level: 'info',
          message: expect.stringMatching(
            /^Generated the root admin token into .*admin-token/,
          ) as unknown,
        },
        {
          level: 'warn',
          message: expect.stringMatching(/^Generated the master key in .*master-key/) as unknown,
        },
      ]);
    });

    it('generates different secrets in different data folders', () => {
      const first = resolveSecrets(loadConfig({ DATA_DIR: join(root, 'a') })).secrets;
      const second = resolveSecrets(loadConfig({ DATA_DIR: join(root, 'b') })).secrets;

      expect(second.adminToken).not.toBe(first.adminToken);
      expect(second.masterKey.equals(first.masterKey)).toBe(false);
    });
  });

  describe('on a later start', () => {
    it('returns the stored secrets unchanged', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      const first = resolveSecrets(config).secrets;

      const second = resolveSecrets(config).secrets;

      expect(second.adminToken).toBe(first.adminToken);
      expect(second.masterKey.equals(first.masterKey)).toBe(true);
    });

    it('says it is using the stored secrets', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      resolveSecrets(config);

      const { notices } = resolveSecrets(config);

      expect(notices.map((notice) => notice.message)).toEqual([
        expect.stringMatching(/^Using the root admin token stored in .*admin-token$/),
        expect.stringMatching(/^Using the master key in .*master-key/),
      ]);
    });

    it('reads files written by hand, ignoring surrounding whitespace', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      resolveSecrets(config);
      const masterKey = randomBytes(32);
      writeFileSync(join(dataDir, ADMIN_TOKEN_FILE), '  my-own-root-token-of-decent-length\n\n');
      writeFileSync(join(dataDir, MASTER_KEY_FILE), `\n${masterKey.toString('base64')}  \n`);

      const { secrets } = resolveSecrets(config);

      expect(secrets.adminToken).toBe('my-own-root-token-of-decent-length');
      expect(secrets.masterKey.equals(masterKey)).toBe(true);
    });
  });

  it('never puts a secret value into a notice', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const created = resolveSecrets(config);
    const reused = resolveSecrets(config);

    const text = JSON.stringify([created.notices, reused.notices]);
    expect(text).not.toContain(created.secrets.adminToken);
    expect(text).not.toContain(created.secrets.masterKey.toString('base64'));
    expect(text).not.toContain(created.secrets.masterKey.toString('base64url'));
  });

  it.each([
    ['is not base64', 'this is not a key'],
    ['decodes to 31 bytes', randomBytes(31).toString('base64')],
    ['is empty', ''],
  ])('fails with a ConfigError when the master key file %s', (_, content) => {
    const config = loadConfig({ DATA_DIR: dataDir });
    resolveSecrets(config);
    writeFileSync(join(dataDir, MASTER_KEY_FILE), content);

    expect(() => resolveSecrets(config)).toThrow(ConfigError);
    expect(() => resolveSecrets(config)).toThrow(/master-key does not hold a base64 encoded/);
  });

  it('does not print the content of a corrupt master key file', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    resolveSecrets(config);
    const content = randomBytes(33).toString('base64');
    writeFileSync(join(dataDir, MASTER_KEY_FILE), content);

    let message = '';
    try {
      resolveSecrets(config);
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('master-key');
    expect(message).not.toContain(content);
  });

  it('uses the secrets from the environment without touching DATA_DIR', () => {
    const masterKey = randomBytes(32);
    const adminToken = 'root-token-from-the-environment-123';
    const config = loadConfig({
      DATA_DIR: dataDir,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      SWITCHYARD_MASTER_KEY: masterKey.toString('base64'),
    });

    const { secrets, notices } = resolveSecrets(config);

    expect(secrets.adminToken).toBe(adminToken);
    expect(secrets.masterKey.equals(masterKey)).toBe(true);
    expect(notices).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('ignores stored files when the environment provides both secrets', () => {
    resolveSecrets(loadConfig({ DATA_DIR: dataDir }));
    const masterKey = randomBytes(32);

    const { secrets } = resolveSecrets(
      loadConfig({
        DATA_DIR: dataDir,
        SWITCHYARD_ADMIN_TOKEN: 'root-token-from-the-environment-123',
        SWITCHYARD_MASTER_KEY: masterKey.toString('base64'),
      }),
    );

    expect(secrets.adminToken).toBe('root-token-from-the-environment-123');
    expect(secrets.masterKey.equals(masterKey)).toBe(true);
  });

  it('generates only the secret the environment leaves out', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      SWITCHYARD_ADMIN_TOKEN: 'root-token-from-the-environment-123',
    });

    const { notices } = resolveSecrets(config);

    expect(existsSync(join(dataDir, ADMIN_TOKEN_FILE))).toBe(false);
    expect(existsSync(join(dataDir, MASTER_KEY_FILE))).toBe(true);
    expect(notices).toEqual([
      { level: 'warn', message: expect.stringMatching(/^Generated the master key/) as unknown },
    ]);
  });
});
