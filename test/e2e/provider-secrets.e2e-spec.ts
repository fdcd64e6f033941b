import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { masterKeyId } from '../../src/crypto/key-derivation';
import type { CustomProviderResponseDto } from '../../src/providers/dto/custom-provider-response.dto';
import type { ConnectionTestResultDto } from '../../src/providers/dto/test-connection.dto';
import { createProvider, providersPath } from '../factories/provider.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { dumpAllTables } from '../support/database-dump';
import { requestJson } from '../support/http';
import {
  createPostgresDatabase,
  TEST_DATABASE,
  type TestDatabase,
} from '../support/test-environment';

const REPO_ROOT = resolve(__dirname, '../..');
const ENVELOPE = /^v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]+)$/;
const FIX_HINT = "set the provider's API key again";

const newMasterKey = () => randomBytes(32).toString('base64');
const keyIdOf = (masterKey: string) => masterKeyId(Buffer.from(masterKey, 'base64'));
const newApiKey = (label = 'upstream-key') => `${label}-${randomBytes(16).toString('hex')}`;

// By table and column name: the raw row, as any reader of the database would see it.
async function storedRow(
  testApp: TestApp,
  providerId: string,
): Promise<{ ciphertext: string | null; lastFour: string | null }> {
  const row = await testApp.app
    .get(DataSource)
    .createQueryBuilder()
    .select('provider.api_key_ciphertext', 'ciphertext')
    .addSelect('provider.api_key_last_four', 'lastFour')
    .from('custom_providers', 'provider')
    .where('provider.id = :id', { id: providerId })
    .getRawOne<{ ciphertext: string | null; lastFour: string | null }>();
  if (!row) throw new Error(`No row for provider ${providerId}`);
  return row;
}

async function storedCiphertext(testApp: TestApp, providerId: string): Promise<string> {
  const { ciphertext } = await storedRow(testApp, providerId);
  if (ciphertext === null) throw new Error(`Provider ${providerId} has no stored key`);
  return ciphertext;
}

/** A plain UPDATE of the row, as someone with database access could run it. */
async function overwriteCiphertext(
  testApp: TestApp,
  providerId: string,
  ciphertext: string,
): Promise<void> {
  const dataSource = testApp.app.get(DataSource);
  const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
    'UPDATE custom_providers SET api_key_ciphertext = :ciphertext WHERE id = :id',
    { ciphertext, id: providerId },
    {},
  );
  await dataSource.query(sql, parameters);
  expect(await storedCiphertext(testApp, providerId)).toBe(ciphertext);
}

function testConnection(testApp: TestApp, provider: CustomProviderResponseDto) {
  return requestJson<ConnectionTestResultDto>(
    testApp.baseUrl,
    'POST',
    `${providersPath(provider.projectId)}/${provider.id}/test`,
    { token: testApp.adminToken, body: {} },
  );
}

/** Asserts the 409 and that its message helps without giving away anything of the key or envelope. */
function expectUnreadable(
  response: Awaited<ReturnType<typeof testConnection>>,
  secrets: string[],
  reason: RegExp,
): string {
  const error = expectApiError(response, 409, 'provider_key_unreadable', null);
  expect(error.type).toBe('conflict_error');
  expect(error.message).toMatch(/^The API key of provider cp_[0-9a-f]{32} cannot be decrypted\. /);
  expect(error.message).toMatch(reason);
  expect(error.message).toContain(FIX_HINT);
  for (const secret of secrets) {
    expect(response.text).not.toContain(secret);
    for (const part of secret.split(':').filter((piece) => piece.length >= 8)) {
      expect(response.text).not.toContain(part);
    }
  }
  return error.message;
}

describe('provider secrets', () => {
  const masterKey = newMasterKey();
  let testApp: TestApp;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let fake: FakeOpenAIUpstream;

  beforeAll(async () => {
    [testApp, fake] = await Promise.all([
      createTestApp('provider-secrets', { env: { SWITCHYARD_MASTER_KEY: masterKey } }),
      FakeOpenAIUpstream.start(),
    ]);
    [tenant, otherTenant] = await Promise.all([
      createTenant(testApp, 'Secrets'),
      createTenant(testApp, 'Other secrets'),
    ]);
  });
  afterAll(() => Promise.all([testApp?.close(), fake?.close()]));

  const create = (of: Tenant, apiKey: string | undefined, name = newApiKey('provider')) =>
    createProvider(testApp, of.project.id, {
      name,
      baseUrl: fake.baseUrl,
      apiKey,
      models: [{ name: 'fake-gpt-small' }],
    });

  describe('at rest', () => {
    it('keeps every plaintext key out of every row of every table', async () => {
      const [first, replacement, shared] = [newApiKey(), newApiKey(), newApiKey()];
      const provider = await create(tenant, first);
      const patched = await requestJson(
        testApp.baseUrl,
        'PATCH',
        `${providersPath(tenant.project.id)}/${provider.id}`,
        { token: testApp.adminToken, body: { apiKey: replacement } },
      );
      expect(patched.status).toBe(200);
      await create(tenant, shared);
      await create(otherTenant, shared);

      const dump = await dumpAllTables(testApp.app.get(DataSource));
      expect(Object.keys(dump)).toEqual(
        expect.arrayContaining(['custom_providers', 'custom_provider_models', 'audit_logs']),
      );
      expect(dump.custom_providers!.length).toBeGreaterThanOrEqual(3);
      expect(dump.audit_logs!.length).toBeGreaterThan(0);
      const text = JSON.stringify(dump);
      for (const key of [first, replacement, shared]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(key.slice(0, -4));
        expect(text).not.toContain(Buffer.from(key).toString('base64').slice(0, 24));
        expect(text).not.toContain(Buffer.from(key).toString('hex').slice(0, 24));
      }
      expect(testApp.logs.join('')).not.toContain(first);
    });

    it('stores a v1 envelope under the current master key, different every time', async () => {
      const apiKey = newApiKey();
      const [one, two] = await Promise.all([create(tenant, apiKey), create(tenant, apiKey)]);
      const rows = await Promise.all([one, two].map((p) => storedCiphertext(testApp, p.id)));
      for (const ciphertext of rows) {
        const [, keyId] = ENVELOPE.exec(ciphertext) ?? [];
        expect(keyId).toBe(keyIdOf(masterKey));
        expect(ciphertext).not.toContain(apiKey);
      }
      expect(rows[0]).not.toBe(rows[1]);
      // The IVs differ too: the same key never gives the same ciphertext.
      expect(ENVELOPE.exec(rows[0]!)![2]).not.toBe(ENVELOPE.exec(rows[1]!)![2]);
      expect(one).toMatchObject({ hasApiKey: true, apiKeyLastFour: apiKey.slice(-4) });
    });

    it('clears the column when the key is removed', async () => {
      const provider = await create(tenant, newApiKey());
      await requestJson(
        testApp.baseUrl,
        'PATCH',
        `${providersPath(tenant.project.id)}/${provider.id}`,
        { token: testApp.adminToken, body: { apiKey: null } },
      );
      expect(await storedRow(testApp, provider.id)).toEqual({ ciphertext: null, lastFour: null });
    });
  });

  describe('an envelope that does not open', () => {
    const flipFirst = (part: string) => `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
    const edit = (ciphertext: string, index: number, change: (part: string) => string) =>
      ciphertext
        .split(':')
        .map((part, at) => (at === index ? change(part) : part))
        .join(':');

    it.each<[string, (ciphertext: string) => string, RegExp]>([
      ['a changed ciphertext byte', (c) => edit(c, 4, flipFirst), /ciphertext was altered/],
      ['a changed authentication tag', (c) => edit(c, 3, flipFirst), /ciphertext was altered/],
      ['a changed IV', (c) => edit(c, 2, flipFirst), /ciphertext was altered/],
      [
        'an envelope cut short',
        (c) => c.split(':').slice(0, 4).join(':'),
        /not a readable envelope \(expected 5 parts/,
      ],
      [
        'an unknown master key id',
        (c) => edit(c, 1, () => 'deadbeef'),
        /sealed with master key deadbeef, which is neither SWITCHYARD_MASTER_KEY nor in SWITCHYARD_PREVIOUS_MASTER_KEYS: restore that key or/,
      ],
    ])(
      'answers 409 provider_key_unreadable for %s, and a new key fixes it',
      async (_label, tamper, reason) => {
        const apiKey = newApiKey();
        const provider = await create(tenant, apiKey);
        const original = await storedCiphertext(testApp, provider.id);
        const tampered = tamper(original);
        expect(tampered).not.toBe(original);
        await overwriteCiphertext(testApp, provider.id, tampered);
        const before = fake.requests.length;

        expectUnreadable(await testConnection(testApp, provider), [apiKey, original], reason);
        expect(fake.requests.length).toBe(before);

        const fixed = await requestJson(
          testApp.baseUrl,
          'PATCH',
          `${providersPath(tenant.project.id)}/${provider.id}`,
          { token: testApp.adminToken, body: { apiKey: newApiKey() } },
        );
        expect(fixed.status).toBe(200);
        expect((await testConnection(testApp, provider)).body).toMatchObject({ ok: true });
      },
    );

    it.each([
      ['a provider of another organization', () => otherTenant],
      ['another provider of the same organization', () => tenant],
    ])('answers 409 when the envelope is copied to %s', async (_label, targetTenant) => {
      const sourceKey = newApiKey();
      const targetKey = newApiKey();
      const source = await create(tenant, sourceKey);
      const target = await create(targetTenant(), targetKey);
      const copied = await storedCiphertext(testApp, source.id);
      await overwriteCiphertext(testApp, target.id, copied);
      const before = fake.requests.length;

      const message = expectUnreadable(
        await testConnection(testApp, target),
        [sourceKey, targetKey, copied],
        /was altered or belongs to another provider or organization/,
      );
      expect(message).toContain(target.id);
      expect(fake.requests.length).toBe(before);
      // The original still opens where it belongs.
      expect((await testConnection(testApp, source)).body).toMatchObject({ ok: true });
    });
  });
});

describe('master key rotation', () => {
  const oldKey = newMasterKey();
  const newKey = newMasterKey();
  const apiKey = newApiKey();
  let dataDir: string;
  let database: TestDatabase | undefined;
  let fake: FakeOpenAIUpstream;
  let provider: CustomProviderResponseDto;
  let running: TestApp | undefined;
  /** The envelope as the app first sealed it, under the old master key. */
  let firstCiphertext: string;

  /** Starts the app on the shared DATA_DIR and database with these master keys, stopping the last one. */
  async function startWith(env: Record<string, string>): Promise<TestApp> {
    await running?.close();
    running = await createTestApp('rotation', { dataDir, database, env });
    return running;
  }

  async function expectForwards(testApp: TestApp): Promise<void> {
    const chats = fake.requestsTo('POST /chat/completions').length;
    const response = await testConnection(testApp, provider);
    expect(response.body).toMatchObject({ ok: true, status: 200 });
    const sent = fake.requestsTo('POST /chat/completions');
    expect(sent).toHaveLength(chats + 1);
    expect(sent.at(-1)!.headers.authorization).toBe(`Bearer ${apiKey}`);
  }

  /** `node src/cli/rotate-keys.ts` from source, as `npm run keys:rotate` runs its build. */
  function rotateKeys(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolveRun, reject) => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'src/cli/rotate-keys.ts'],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            TS_NODE_TRANSPILE_ONLY: 'true',
            DATA_DIR: dataDir,
            ...(database ? { DATABASE_URL: database.url } : {}),
            SWITCHYARD_MASTER_KEY: newKey,
            SWITCHYARD_PREVIOUS_MASTER_KEYS: oldKey,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-rotation-'));
    database = TEST_DATABASE === 'postgres' ? await createPostgresDatabase('rotation') : undefined;
    fake = await FakeOpenAIUpstream.start();
    fake.requireApiKey(apiKey);

    const first = await startWith({ SWITCHYARD_MASTER_KEY: oldKey });
    const tenant = await createTenant(first, 'Rotation');
    provider = await createProvider(first, tenant.project.id, {
      name: 'Rotated',
      baseUrl: fake.baseUrl,
      apiKey,
      models: [{ name: 'fake-gpt-small' }],
    });
    await expectForwards(first);
    firstCiphertext = await storedCiphertext(first, provider.id);
    await running?.close();
    running = undefined;
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('seals under the master key of the day', () => {
    expect(ENVELOPE.exec(firstCiphertext)?.[1]).toBe(keyIdOf(oldKey));
  });

  it('cannot open the old envelope with the new master key alone', async () => {
    const testApp = await startWith({ SWITCHYARD_MASTER_KEY: newKey });
    expectUnreadable(
      await testConnection(testApp, provider),
      [apiKey, oldKey, newKey],
      new RegExp(`sealed with master key ${keyIdOf(oldKey)}, which is neither`),
    );
  });

  it('opens it with the old key in SWITCHYARD_PREVIOUS_MASTER_KEYS', async () => {
    const testApp = await startWith({
      SWITCHYARD_MASTER_KEY: newKey,
      SWITCHYARD_PREVIOUS_MASTER_KEYS: oldKey,
    });
    await expectForwards(testApp);
    await running?.close();
    running = undefined;
  });

  it('re-seals every key under the new master key with keys:rotate, idempotently', async () => {
    const first = await rotateKeys();
    expect(first).toEqual({
      code: 0,
      stdout: 'Provider keys: 1 stored, 1 re-sealed, 0 already current, 0 unreadable\n',
      stderr: '',
    });
    const second = await rotateKeys();
    expect(second).toEqual({
      code: 0,
      stdout: 'Provider keys: 1 stored, 0 re-sealed, 1 already current, 0 unreadable\n',
      stderr: '',
    });
  }, 60_000);

  it('forwards with the new master key alone after rotation', async () => {
    const testApp = await startWith({ SWITCHYARD_MASTER_KEY: newKey });
    const ciphertext = await storedCiphertext(testApp, provider.id);
    expect(ENVELOPE.exec(ciphertext)?.[1]).toBe(keyIdOf(newKey));
    await expectForwards(testApp);
    const fetched = await requestJson<CustomProviderResponseDto>(
      testApp.baseUrl,
      'GET',
      `${providersPath(provider.projectId)}/${provider.id}`,
      { token: testApp.adminToken },
    );
    expect(fetched.body).toMatchObject({ hasApiKey: true, apiKeyLastFour: apiKey.slice(-4) });
  });

  it('cannot open the re-sealed key with the old master key alone', async () => {
    const testApp = await startWith({ SWITCHYARD_MASTER_KEY: oldKey });
    expectUnreadable(
      await testConnection(testApp, provider),
      [apiKey, oldKey, newKey],
      new RegExp(`sealed with master key ${keyIdOf(newKey)}, which is neither`),
    );
  });
});
