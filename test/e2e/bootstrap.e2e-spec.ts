import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CreatedApiKeyResponseDto } from '../../src/auth/dto/api-key-response.dto';
import { ADMIN_TOKEN_FILE, MASTER_KEY_FILE } from '../../src/config/local-secrets';
import { createTenant } from '../factories/tenant.factory';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';
import {
  createPostgresDatabase,
  TEST_DATABASE,
  type TestDatabase,
} from '../support/test-environment';

const REPO_ROOT = resolve(__dirname, '../..');
// Starting ts-node takes a few seconds, more when the other suites run alongside.
const START_TIMEOUT_MS = 60_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `src/main.ts` from source (no build needed) with only the given environment. Once it
 * listens, `whileListening` gets its URL and the process (and may, say, send it a signal).
 */
function runMain(
  env: Record<string, string>,
  whileListening?: (url: string, child: ChildProcess) => Promise<void>,
): Promise<Exit> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', TS_NODE_TRANSPILE_ONLY: 'true', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let listening = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && !listening && whileListening) {
        listening = true;
        whileListening(url, child).catch((error: unknown) => {
          child.kill('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // A process that started after all would listen forever; stop it and let the test fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS - 5_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveExit({ code, signal, stdout, stderr });
    });
  });
}

function fileMode(path: string): number {
  return statSync(path).mode & 0o7777;
}

describe('bootstrap', () => {
  describe('on a fresh DATA_DIR', () => {
    let dataDir: string;
    let database: TestDatabase | undefined;
    let first: TestApp | undefined;
    let second: TestApp | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bootstrap-'));
      database =
        TEST_DATABASE === 'postgres' ? await createPostgresDatabase('bootstrap') : undefined;
      first = await createTestApp('bootstrap', { dataDir, database });
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('generates the admin token and master key files with mode 0600 exactly', () => {
      const tokenFile = join(dataDir, ADMIN_TOKEN_FILE);
      const keyFile = join(dataDir, MASTER_KEY_FILE);
      expect(statSync(tokenFile).isFile()).toBe(true);
      expect(statSync(keyFile).isFile()).toBe(true);
      expect(fileMode(tokenFile).toString(8)).toBe('600');
      expect(fileMode(keyFile).toString(8)).toBe('600');
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(first!.adminToken);
      expect(first!.adminToken).toMatch(/^sy_root_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    });

    it('logs where the token is, never the token or the master key', async () => {
      // Use the token a few times, successfully and not, so request handling gets a chance to log it.
      await requestJson(first!.baseUrl, 'GET', '/api/v1/organizations', {
        token: first!.adminToken,
      });
      await requestJson(first!.baseUrl, 'GET', '/api/v1/nowhere', { token: first!.adminToken });
      await requestJson(first!.baseUrl, 'GET', '/v1/models', { token: first!.adminToken });
      const logs = first!.logs.join('');
      expect(logs).toContain(join(dataDir, ADMIN_TOKEN_FILE));
      expect(logs).not.toContain(first!.adminToken);
      expect(logs).not.toContain(first!.adminToken.slice('sy_root_'.length));
      const masterKey = readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8').trim();
      expect(logs).not.toContain(masterKey);
    });

    it('keeps the same token, master key and data when restarted on the same DATA_DIR', async () => {
      const tenant = await createTenant(first!, 'Survivor');
      const tokenBefore = readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8');
      const keyBefore = readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8');
      await first!.close();
      first = undefined;

      second = await createTestApp('bootstrap', { dataDir, database });
      expect(second.adminToken).toBe(tokenBefore.trim());
      expect(readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8')).toBe(tokenBefore);
      expect(readFileSync(join(dataDir, MASTER_KEY_FILE), 'utf8')).toBe(keyBefore);
      expect(fileMode(join(dataDir, ADMIN_TOKEN_FILE)).toString(8)).toBe('600');

      const organization = await requestJson(
        second.baseUrl,
        'GET',
        `/api/v1/organizations/${tenant.organization.id}`,
        { token: tokenBefore.trim() },
      );
      expect(organization.status).toBe(200);
      expect(organization.body).toEqual(tenant.organization);
      const project = await requestJson(
        second.baseUrl,
        'GET',
        `/api/v1/projects/${tenant.project.id}`,
        { token: second.adminToken },
      );
      expect(project.body).toEqual(tenant.project);
      const keys = await requestJson<{ data: CreatedApiKeyResponseDto[] }>(
        second.baseUrl,
        'GET',
        `/api/v1/projects/${tenant.project.id}/api-keys`,
        { token: second.adminToken },
      );
      expect(keys.body.data.map((key) => key.id)).toEqual([
        tenant.productionKey.id,
        tenant.testKey.id,
      ]);
      const models = await requestJson(second.baseUrl, 'GET', '/v1/models', {
        token: tenant.productionKey.key,
      });
      expect(models.status).toBe(200);

      const logs = second.logs.join('');
      expect(logs).toContain(
        `Using the root admin token stored in ${join(dataDir, ADMIN_TOKEN_FILE)}`,
      );
      expect(logs).not.toContain(second.adminToken);
    });
  });

  describe('refusing a bad configuration', () => {
    const MASTER_KEY_VALUE = 'bm90LWEta2V5'; // base64 of "not-a-key": 9 bytes, not 32
    const dataDirs: string[] = [];
    let badMasterKey: Exit;
    let badPort: Exit;

    const freshDataDir = () => {
      dataDirs.push(mkdtempSync(join(tmpdir(), 'switchyard-bad-config-')));
      return dataDirs[dataDirs.length - 1]!;
    };

    // Both processes start together: each spends seconds loading the app's modules.
    beforeAll(async () => {
      [badMasterKey, badPort] = await Promise.all([
        runMain({ DATA_DIR: freshDataDir(), SWITCHYARD_MASTER_KEY: MASTER_KEY_VALUE, PORT: '0' }),
        runMain({ DATA_DIR: freshDataDir(), PORT: '99999' }),
      ]);
    }, START_TIMEOUT_MS);
    afterAll(() => {
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    });

    function expectOneLineNaming(exit: Exit, variable: string): string {
      expect(exit.signal).toBeNull();
      expect(exit.code).toBe(1);
      const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(exit.stderr.trimEnd()).toBe(lines[0]);
      expect(lines[0]).toContain(variable);
      return lines[0]!;
    }

    it('exits 1 with one stderr line naming SWITCHYARD_MASTER_KEY, without its value', () => {
      const line = expectOneLineNaming(badMasterKey, 'SWITCHYARD_MASTER_KEY');
      expect(line).not.toContain(MASTER_KEY_VALUE);
      expect(line).not.toContain('not-a-key');
      expect(badMasterKey.stdout).not.toContain(MASTER_KEY_VALUE);
    });

    it('generates no secrets for a start it refuses', () => {
      expect(readdirSync(dataDirs[0]!)).toEqual([]);
    });

    it('exits 1 with one stderr line naming PORT when PORT is out of range', () => {
      expectOneLineNaming(badPort, 'PORT');
    });
  });

  describe('stopping', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-sigterm-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it(
      'on SIGTERM says so, closes cleanly and exits 0',
      async () => {
        let readyStatus = 0;
        const exit = await runMain({ DATA_DIR: dataDir, PORT: '0' }, async (url, child) => {
          readyStatus = (await fetch(`${url}/health/ready`)).status;
          child.kill('SIGTERM');
        });
        expect(readyStatus).toBe(200);
        expect(exit.signal).toBeNull();
        expect(exit.code).toBe(0);
        expect(exit.stdout).toContain(
          'SIGTERM received: finishing requests in flight, then stopping',
        );
        expect(exit.stderr).toBe('');
      },
      START_TIMEOUT_MS,
    );
  });
});
