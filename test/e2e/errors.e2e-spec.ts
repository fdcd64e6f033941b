import { createTenant, type Tenant } from '../factories/tenant.factory';
import { expectApiError, REQUEST_ID_PATTERN } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';
import { TEST_DATABASE } from '../support/test-environment';

const BODY_LIMIT_BYTES = 2048;

describe('error responses', () => {
  let testApp: TestApp;
  let smallBodyApp: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    [testApp, smallBodyApp] = await Promise.all([
      createTestApp('errors'),
      createTestApp('errors-small', { env: { BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) } }),
    ]);
    tenant = await createTenant(testApp, 'Errors');
  });
  afterAll(() => Promise.all([testApp.close(), smallBodyApp.close()]));

  const post = (path: string, body: unknown, headers?: Record<string, string>) =>
    requestJson(testApp.baseUrl, 'POST', path, { token: testApp.adminToken, body, headers });

  describe('routing', () => {
    it.each(['/v1/x', '/api/v1/x'])('answers 404 unknown_url on %s', async (path) => {
      const response = await requestJson(testApp.baseUrl, 'GET', path, {
        token: testApp.adminToken,
      });
      const error = expectApiError(response, 404, 'unknown_url', null);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain(path);
    });

    it('answers 404 unknown_url to an unsupported method on a known path', async () => {
      const response = await requestJson(testApp.baseUrl, 'DELETE', '/v1/models', {
        token: tenant.productionKey.key,
      });
      expectApiError(response, 404, 'unknown_url', null);
    });

    it('answers 414 uri_too_long to a path parameter of 300 characters', async () => {
      const response = await requestJson(
        testApp.baseUrl,
        'GET',
        `/api/v1/projects/${'p'.repeat(300)}`,
        { token: testApp.adminToken },
      );
      expectApiError(response, 414, 'uri_too_long', null);
    });

    it('answers a shaped 400 to a path with broken percent-encoding', async () => {
      const response = await requestJson(testApp.baseUrl, 'GET', '/api/v1/projects/%E0%A4%A', {
        token: testApp.adminToken,
      });
      expectApiError(response, 400, 'invalid_request');
    });
  });

  describe('text the database cannot hold', () => {
    // SQLite stores and compares NUL characters; PostgreSQL refuses them (400, never a 500).
    const postgres = TEST_DATABASE === 'postgres';

    it('answers a 4xx to a NUL character in a path parameter', async () => {
      const response = await requestJson(testApp.baseUrl, 'GET', '/api/v1/projects/prj_%00', {
        token: testApp.adminToken,
      });
      expectApiError(
        response,
        postgres ? 400 : 404,
        postgres ? 'invalid_request' : 'project_not_found',
        null,
      );
    });

    it('never answers 500 to a NUL character in a body field', async () => {
      const response = await post('/api/v1/organizations', { name: 'nul\u0000name' });
      expect(response.status).toBe(postgres ? 400 : 201);
      expect(Object.keys(response.body as object)).toEqual(
        postgres ? ['error'] : ['id', 'name', 'createdAt'],
      );
    });
  });

  describe('bodies the framework rejects', () => {
    it('answers 400 invalid_json to malformed JSON', async () => {
      const response = await post('/api/v1/organizations', '{"name": "broken",');
      expect(expectApiError(response, 400, 'invalid_json', null).type).toBe(
        'invalid_request_error',
      );
    });

    it('answers 400 invalid_json to an empty body sent as JSON', async () => {
      const response = await requestJson(testApp.baseUrl, 'POST', '/api/v1/organizations', {
        token: testApp.adminToken,
        headers: { 'content-type': 'application/json' },
      });
      expectApiError(response, 400, 'invalid_json', null);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded'])(
      'answers 415 unsupported_media_type to a %s body',
      async (contentType) => {
        const response = await post('/api/v1/organizations', 'name=Plain', {
          'content-type': contentType,
        });
        expectApiError(response, 415, 'unsupported_media_type', null);
      },
    );

    it('answers 413 request_too_large to a body over BODY_LIMIT_BYTES', async () => {
      const response = await requestJson(smallBodyApp.baseUrl, 'POST', '/api/v1/organizations', {
        token: smallBodyApp.adminToken,
        body: { name: 'x'.repeat(BODY_LIMIT_BYTES) },
      });
      expectApiError(response, 413, 'request_too_large', null);
    });

    it('accepts a body under BODY_LIMIT_BYTES on the same app', async () => {
      const response = await requestJson(smallBodyApp.baseUrl, 'POST', '/api/v1/organizations', {
        token: smallBodyApp.adminToken,
        body: { name: 'x'.repeat(100) },
      });
      expect(response.status).toBe(201);
    });

    it.each([200, 5000])(
      'answers 400, never a 500, to JSON nested %i levels deep',
      async (depth) => {
        const response = await post(
          '/api/v1/organizations',
          `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        );
        expectApiError(response, 400, 'invalid_request');
      },
    );

    it('answers 400, never a 500, to arrays nested 5000 levels deep in a known field', async () => {
      const response = await post(
        '/api/v1/organizations',
        `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      );
      expectApiError(response, 400, 'invalid_request');
    });
  });

  describe('validation', () => {
    it('answers 400 naming an unknown field in param', async () => {
      const response = await post('/api/v1/organizations', { name: 'Acme', colour: 'red' });
      const error = expectApiError(response, 400, 'invalid_request', 'colour');
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain('colour');
    });

    it('answers 400 naming a field of the wrong type in param', async () => {
      const response = await post('/api/v1/organizations', { name: 123 });
      expectApiError(response, 400, 'invalid_request', 'name');
    });

    it('answers 400 naming a missing required field in param', async () => {
      const response = await post(`/api/v1/projects/${tenant.project.id}/api-keys`, {
        name: 'no environment',
      });
      expectApiError(response, 400, 'invalid_request', 'environment');
    });

    it('answers 400 with the nested path in param for an invalid api-key limit', async () => {
      const response = await post(`/api/v1/projects/${tenant.project.id}/api-keys`, {
        name: 'limited',
        environment: 'production',
        limits: { requestsPerMinute: 0 },
      });
      const error = expectApiError(response, 400, 'invalid_request', 'limits.requestsPerMinute');
      expect(error.message).toContain('limits.requestsPerMinute');
    });

    it('answers 400 with the nested path in param for an unknown nested field', async () => {
      const response = await post(`/api/v1/projects/${tenant.project.id}/api-keys`, {
        name: 'limited',
        environment: 'production',
        limits: { requestsPerHour: 10 },
      });
      expectApiError(response, 400, 'invalid_request', 'limits.requestsPerHour');
    });
  });

  describe('x-request-id', () => {
    it('is a fresh id on every response, errors and successes alike', async () => {
      const responses = await Promise.all([
        ...Array.from({ length: 5 }, () => requestJson(testApp.baseUrl, 'GET', '/v1/x')),
        ...Array.from({ length: 5 }, () =>
          requestJson(testApp.baseUrl, 'GET', '/v1/models', { token: tenant.testKey.key }),
        ),
      ]);
      const ids = responses.map((response) => response.headers.get('x-request-id'));
      for (const id of ids) expect(id).toMatch(REQUEST_ID_PATTERN);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('ignores an id chosen by the client', async () => {
      const response = await requestJson(testApp.baseUrl, 'GET', '/v1/x', {
        headers: { 'x-request-id': 'req_00000000000000000000000000000000' },
      });
      expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
      expect(response.headers.get('x-request-id')).not.toBe('req_00000000000000000000000000000000');
    });
  });
});
