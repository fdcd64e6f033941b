import { createTestApp, type TestApp } from '../support/create-test-app';
import { createTenant } from '../factories/tenant.factory';
import { requestJson } from '../support/http';

describe('smoke', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp('smoke');
  });
  afterAll(() => testApp.close());

  it('serves /v1/models to a fresh key', async () => {
    const tenant = await createTenant(testApp);
    const response = await requestJson(testApp.baseUrl, 'GET', '/v1/models', {
      token: tenant.productionKey.key,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: 'list', data: [] });
  });
});
