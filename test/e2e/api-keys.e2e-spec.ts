import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import type {
  ApiKeyListResponseDto,
  CreatedApiKeyResponseDto,
} from '../../src/auth/dto/api-key-response.dto';
import type { CreatedAdminKeyResponseDto } from '../../src/auth/dto/admin-key-response.dto';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('gateway api keys', () => {
  let testApp: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    testApp = await createTestApp('api-keys');
    tenant = await createTenant(testApp, 'Keys');
  });
  afterAll(() => testApp.close());

  const keysPath = (projectId = tenant.project.id) => `/api/v1/projects/${projectId}/api-keys`;

  async function createKey(body: Record<string, unknown>): Promise<CreatedApiKeyResponseDto> {
    const response = await requestJson<CreatedApiKeyResponseDto>(
      testApp.baseUrl,
      'POST',
      keysPath(),
      { token: testApp.adminToken, body },
    );
    expect(response.status).toBe(201);
    return response.body;
  }

  const listKeys = () =>
    requestJson<ApiKeyListResponseDto>(testApp.baseUrl, 'GET', keysPath(), {
      token: testApp.adminToken,
    });

  const models = (headers: Record<string, string>) =>
    requestJson(testApp.baseUrl, 'GET', '/v1/models', { headers });

  describe('creation', () => {
    it('returns a production key starting csk_ once, with its prefix and last four', async () => {
      const created = await createKey({ name: 'backend', environment: 'production' });
      expect(created.key).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
      expect(created.key.startsWith('csk_test_')).toBe(false);
      expect(created).toEqual({
        id: expect.stringMatching(/^key_[0-9a-f]{32}$/) as unknown,
        projectId: tenant.project.id,
        name: 'backend',
        environment: 'production',
        prefix: 'csk_',
        lastFour: created.key.slice(-4),
        limits: {},
        createdAt: expect.any(String) as unknown,
        revokedAt: null,
        key: created.key,
      });
    });

    it('returns a test key starting csk_test_', async () => {
      const created = await createKey({ name: 'staging', environment: 'test' });
      expect(created.key).toMatch(/^csk_test_[A-Za-z0-9_-]{43}$/);
      expect(created).toMatchObject({
        environment: 'test',
        prefix: 'csk_test_',
        lastFour: created.key.slice(-4),
      });
    });

    it('issues a different key every time', async () => {
      const [first, second] = await Promise.all([
        createKey({ name: 'a', environment: 'production' }),
        createKey({ name: 'a', environment: 'production' }),
      ]);
      expect(first.key).not.toBe(second.key);
      expect(first.id).not.toBe(second.id);
    });

    it('round-trips limits through creation and listing', async () => {
      const limits = { requestsPerMinute: 600, tokensPerMinute: 200_000 };
      const created = await createKey({ name: 'limited', environment: 'production', limits });
      expect(created.limits).toEqual(limits);
      const partial = await createKey({
        name: 'rpm only',
        environment: 'test',
        limits: { requestsPerMinute: 1 },
      });
      expect(partial.limits).toEqual({ requestsPerMinute: 1 });

      const listed = (await listKeys()).body.data;
      expect(listed.find((key) => key.id === created.id)?.limits).toEqual(limits);
      expect(listed.find((key) => key.id === partial.id)?.limits).toEqual({
        requestsPerMinute: 1,
      });
    });

    it('answers 404 project_not_found for a project that does not exist', async () => {
      const response = await requestJson(testApp.baseUrl, 'POST', keysPath('prj_missing'), {
        token: testApp.adminToken,
        body: { name: 'x', environment: 'production' },
      });
      expectApiError(response, 404, 'project_not_found', null);
    });

    it('answers 400 naming environment for an unknown environment', async () => {
      const response = await requestJson(testApp.baseUrl, 'POST', keysPath(), {
        token: testApp.adminToken,
        body: { name: 'x', environment: 'staging' },
      });
      expectApiError(response, 400, 'invalid_request', 'environment');
    });
  });

  describe('secrecy', () => {
    it('never shows the key again in a list, only its prefix and last four', async () => {
      const { key, ...withoutSecret } = await createKey({
        name: 'listed',
        environment: 'production',
      });
      const response = await listKeys();
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(key);
      expect(response.text).not.toContain(key.slice('csk_'.length));
      expect(response.body.data).toContainEqual(withoutSecret);
      for (const item of response.body.data) expect(item).not.toHaveProperty('key');
    });

    it('stores only the sha256 hex of the key, never the key', async () => {
      const created = await createKey({ name: 'stored', environment: 'test' });
      const rows = await testApp.app
        .get(DataSource)
        .query<Record<string, unknown>[]>('SELECT * FROM api_keys');
      const row = rows.find((item) => item.id === created.id);
      expect(row).toBeDefined();
      expect(row!.key_hash).toBe(sha256Hex(created.key));
      expect(row!.last_four).toBe(created.key.slice(-4));
      const dump = JSON.stringify(rows);
      for (const key of [created, tenant.productionKey, tenant.testKey]) {
        expect(dump).not.toContain(key.key);
        expect(dump).not.toContain(key.key.slice(-20));
      }
    });

    it('stores only the sha256 hex of an admin key, never the key', async () => {
      const response = await requestJson<CreatedAdminKeyResponseDto>(
        testApp.baseUrl,
        'POST',
        `/api/v1/organizations/${tenant.organization.id}/admin-keys`,
        { token: testApp.adminToken, body: { name: 'stored' } },
      );
      expect(response.status).toBe(201);
      const rows = await testApp.app
        .get(DataSource)
        .query<Record<string, unknown>[]>('SELECT * FROM admin_keys');
      expect(rows.find((row) => row.id === response.body.id)?.key_hash).toBe(
        sha256Hex(response.body.key),
      );
      expect(JSON.stringify(rows)).not.toContain(response.body.key.slice(-20));
    });

    it('never writes a key to the logs', async () => {
      const created = await createKey({ name: 'logged', environment: 'production' });
      await models({ authorization: `Bearer ${created.key}` });
      await models({ authorization: `Bearer ${created.key}x` });
      const logs = testApp.logs.join('');
      for (const key of [created, tenant.productionKey, tenant.testKey]) {
        expect(logs).not.toContain(key.key.slice(-20));
      }
    });
  });

  describe('on GET /v1/models', () => {
    it('accepts the key as Authorization: Bearer', async () => {
      const response = await models({ authorization: `Bearer ${tenant.productionKey.key}` });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ object: 'list', data: [] });
    });

    it('accepts the key as x-api-key', async () => {
      const response = await models({ 'x-api-key': tenant.productionKey.key });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ object: 'list', data: [] });
    });

    it.each([
      ['production', 'productionKey'],
      ['test', 'testKey'],
    ] as const)('accepts a %s key', async (_label, which) => {
      const response = await models({ authorization: `Bearer ${tenant[which].key}` });
      expect(response.status).toBe(200);
    });

    it('answers 401 missing_api_key without a key', async () => {
      expectApiError(await models({}), 401, 'missing_api_key', null);
    });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const withLastCharacterChanged = (key: string) =>
      `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;

    it.each<[string, () => Record<string, string>, string]>([
      ['an unknown key', () => bearer(`csk_${'A'.repeat(43)}`), 'invalid_api_key'],
      [
        'a key with its last character changed',
        () => bearer(withLastCharacterChanged(tenant.productionKey.key)),
        'invalid_api_key',
      ],
      ['the root admin token', () => bearer(testApp.adminToken), 'invalid_api_key'],
      [
        'a Basic authorization header',
        () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
        'missing_api_key',
      ],
    ])('answers 401 to %s', async (_label, headers, code) => {
      expectApiError(await models(headers()), 401, code, null);
    });

    it('answers 401 invalid_api_key to a revoked key at once', async () => {
      const created = await createKey({ name: 'short-lived', environment: 'production' });
      // The key is now in the key cache.
      expect((await models(bearer(created.key))).status).toBe(200);

      const revoke = await requestJson(testApp.baseUrl, 'DELETE', `${keysPath()}/${created.id}`, {
        token: testApp.adminToken,
      });
      expect(revoke.status).toBe(204);

      expectApiError(await models(bearer(created.key)), 401, 'invalid_api_key', null);
      expectApiError(await models({ 'x-api-key': created.key }), 401, 'invalid_api_key', null);
      const listed = (await listKeys()).body.data.find((key) => key.id === created.id);
      expect(Date.parse(listed?.revokedAt ?? '')).not.toBeNaN();
      // Other keys of the project are unaffected.
      expect((await models({ authorization: `Bearer ${tenant.productionKey.key}` })).status).toBe(
        200,
      );
    });

    it('revokes idempotently and answers 404 api_key_not_found for an unknown key id', async () => {
      const created = await createKey({ name: 'twice', environment: 'test' });
      const revoke = () =>
        requestJson(testApp.baseUrl, 'DELETE', `${keysPath()}/${created.id}`, {
          token: testApp.adminToken,
        });
      expect((await revoke()).status).toBe(204);
      expect((await revoke()).status).toBe(204);
      const missing = await requestJson(testApp.baseUrl, 'DELETE', `${keysPath()}/key_missing`, {
        token: testApp.adminToken,
      });
      expectApiError(missing, 404, 'api_key_not_found', null);
    });
  });

  describe('with the openai client', () => {
    const client = (apiKey: string) =>
      new OpenAI({ apiKey, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });

    it.each([
      ['production', 'productionKey'],
      ['test', 'testKey'],
    ] as const)('lists an empty page of models with a %s key', async (_label, which) => {
      const page = await client(tenant[which].key).models.list();
      expect(page.data).toEqual([]);
    });

    it('surfaces a bad key as OpenAI.AuthenticationError', async () => {
      const failure: unknown = await client('csk_not-a-real-key-but-long-enough-to-look-like-one')
        .models.list()
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
      const error = failure as InstanceType<typeof OpenAI.AuthenticationError>;
      expect(error.status).toBe(401);
      expect(error.code).toBe('invalid_api_key');
      expect(error.type).toBe('authentication_error');
      expect(error.param).toBeNull();
      expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    });
  });
});
