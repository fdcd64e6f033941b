import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';
import { TEST_DATABASE } from '../support/test-environment';

describe('health', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp('health');
  });
  afterAll(() => testApp.close());

  it('answers /health/live with 200 and no credentials', async () => {
    const response = await requestJson(testApp.baseUrl, 'GET', '/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it(`answers /health/ready with 200 and the checks of ${TEST_DATABASE} mode`, async () => {
    const response = await requestJson(testApp.baseUrl, 'GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { database: 'ok', redis: TEST_DATABASE === 'postgres' ? 'ok' : 'disabled' },
    });
  });

  it('runs against the database the mode says', () => {
    expect(testApp.config.database.type).toBe(TEST_DATABASE);
    expect(testApp.config.redis === null).toBe(TEST_DATABASE === 'sqlite');
  });
});
