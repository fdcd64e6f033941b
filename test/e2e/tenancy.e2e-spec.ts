// Over ~400 lines on purpose: organizations, admin keys and projects share one app and the
// cross-organization fixtures, and the isolation table reads best next to the lifecycle it guards.
import type {
  AdminKeyListResponseDto,
  CreatedAdminKeyResponseDto,
} from '../../src/auth/dto/admin-key-response.dto';
import type { CreatedApiKeyResponseDto } from '../../src/auth/dto/api-key-response.dto';
import type {
  OrganizationListResponseDto,
  OrganizationResponseDto,
} from '../../src/tenancy/dto/organization-response.dto';
import type {
  ProjectListResponseDto,
  ProjectResponseDto,
} from '../../src/tenancy/dto/project-response.dto';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson, type JsonResponse } from '../support/http';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('tenancy', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp('tenancy');
  });
  afterAll(() => testApp.close());

  const call = <T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<JsonResponse<T>> =>
    requestJson<T>(testApp.baseUrl, method, path, {
      token: 'token' in options ? options.token : testApp.adminToken,
      body: options.body,
    });

  async function created<T>(path: string, body: unknown, token = testApp.adminToken): Promise<T> {
    const response = await call<T>('POST', path, { token, body });
    expect(response.status).toBe(201);
    return response.body;
  }

  const createAdminKey = (organizationId: string, token = testApp.adminToken) =>
    created<CreatedAdminKeyResponseDto>(
      `/api/v1/organizations/${organizationId}/admin-keys`,
      { name: 'ci' },
      token,
    );

  describe('organizations', () => {
    it('lets the root token create, list and get an organization', async () => {
      const response = await call<OrganizationResponseDto>('POST', '/api/v1/organizations', {
        body: { name: 'Acme Corp' },
      });
      expect(response.status).toBe(201);
      const organization = response.body;
      expect(organization).toEqual({
        id: expect.stringMatching(/^org_[0-9a-f]{32}$/) as unknown,
        name: 'Acme Corp',
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
      });

      const list = await call<OrganizationListResponseDto>('GET', '/api/v1/organizations');
      expect(list.status).toBe(200);
      expect(list.body.data).toContainEqual(organization);

      const single = await call('GET', `/api/v1/organizations/${organization.id}`);
      expect(single.status).toBe(200);
      expect(single.body).toEqual(organization);
    });

    it('answers 404 organization_not_found for an unknown organization', async () => {
      const response = await call('GET', '/api/v1/organizations/org_doesnotexist');
      expectApiError(response, 404, 'organization_not_found', null);
    });

    it('answers 401 missing_api_key without an Authorization header', async () => {
      const response = await call('GET', '/api/v1/organizations', { token: undefined });
      expect(expectApiError(response, 401, 'missing_api_key', null).type).toBe(
        'authentication_error',
      );
    });

    it('answers 401 invalid_api_key to an unknown token', async () => {
      const response = await call('GET', '/api/v1/organizations', {
        token: `${testApp.adminToken}x`,
      });
      expectApiError(response, 401, 'invalid_api_key', null);
    });

    it('does not accept a gateway key on the admin API', async () => {
      const tenant = await createTenant(testApp, 'Gateway only');
      const response = await call('GET', '/api/v1/organizations', {
        token: tenant.productionKey.key,
      });
      expectApiError(response, 401, 'invalid_api_key', null);
    });
  });

  describe('an organization admin key', () => {
    let own: Tenant;
    let other: Tenant;
    let adminKey: CreatedAdminKeyResponseDto;
    let otherAdminKey: CreatedAdminKeyResponseDto;

    beforeAll(async () => {
      [own, other] = await Promise.all([
        createTenant(testApp, 'Own org'),
        createTenant(testApp, 'Other org'),
      ]);
      [adminKey, otherAdminKey] = await Promise.all([
        createAdminKey(own.organization.id),
        createAdminKey(other.organization.id),
      ]);
    });

    it('is returned once with its secret, then listed by prefix and last four only', async () => {
      expect(adminKey.key).toMatch(/^sya_[A-Za-z0-9_-]{43}$/);
      expect(adminKey).toMatchObject({
        organizationId: own.organization.id,
        name: 'ci',
        prefix: 'sya_',
        lastFour: adminKey.key.slice(-4),
        revokedAt: null,
      });
      const list = await call<AdminKeyListResponseDto>(
        'GET',
        `/api/v1/organizations/${own.organization.id}/admin-keys`,
      );
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(adminKey.key);
      expect(list.body.data).toContainEqual({
        id: adminKey.id,
        organizationId: own.organization.id,
        name: 'ci',
        prefix: 'sya_',
        lastFour: adminKey.key.slice(-4),
        createdAt: adminKey.createdAt,
        revokedAt: null,
      });
    });

    it('lists its own organization only', async () => {
      const response = await call<OrganizationListResponseDto>('GET', '/api/v1/organizations', {
        token: adminKey.key,
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([own.organization]);
    });

    it('gets 403 insufficient_permissions creating an organization', async () => {
      const response = await call('POST', '/api/v1/organizations', {
        token: adminKey.key,
        body: { name: 'Not allowed' },
      });
      expect(expectApiError(response, 403, 'insufficient_permissions', null).type).toBe(
        'permission_error',
      );
      const all = await call<OrganizationListResponseDto>('GET', '/api/v1/organizations');
      expect(all.body.data.map((organization) => organization.name)).not.toContain('Not allowed');
    });

    it('manages projects and keys in its own organization', async () => {
      const orgPath = `/api/v1/organizations/${own.organization.id}`;
      expect((await call(`GET`, orgPath, { token: adminKey.key })).status).toBe(200);
      const project = await created<ProjectResponseDto>(
        `${orgPath}/projects`,
        { name: 'Made by admin key' },
        adminKey.key,
      );
      expect(project.organizationId).toBe(own.organization.id);
      const projects = await call<ProjectListResponseDto>('GET', `${orgPath}/projects`, {
        token: adminKey.key,
      });
      expect(projects.body.data.map((item) => item.id)).toEqual([own.project.id, project.id]);
      const key = await created<CreatedApiKeyResponseDto>(
        `/api/v1/projects/${project.id}/api-keys`,
        { name: 'app', environment: 'production' },
        adminKey.key,
      );
      const models = await requestJson(testApp.baseUrl, 'GET', '/v1/models', { token: key.key });
      expect(models.status).toBe(200);
    });

    type Route = [string, string, (t: Tenant) => string, unknown, string];
    const foreignRoutes: Route[] = [
      [
        'get the organization',
        'GET',
        (t) => `/api/v1/organizations/${t.organization.id}`,
        undefined,
        'organization_not_found',
      ],
      [
        'list its projects',
        'GET',
        (t) => `/api/v1/organizations/${t.organization.id}/projects`,
        undefined,
        'organization_not_found',
      ],
      [
        'create a project in it',
        'POST',
        (t) => `/api/v1/organizations/${t.organization.id}/projects`,
        { name: 'Intruder' },
        'organization_not_found',
      ],
      [
        'get its project',
        'GET',
        (t) => `/api/v1/projects/${t.project.id}`,
        undefined,
        'project_not_found',
      ],
      [
        'rename its project',
        'PATCH',
        (t) => `/api/v1/projects/${t.project.id}`,
        { name: 'Hijacked' },
        'project_not_found',
      ],
      [
        'delete its project',
        'DELETE',
        (t) => `/api/v1/projects/${t.project.id}`,
        undefined,
        'project_not_found',
      ],
      [
        'list its api keys',
        'GET',
        (t) => `/api/v1/projects/${t.project.id}/api-keys`,
        undefined,
        'project_not_found',
      ],
      [
        'create an api key',
        'POST',
        (t) => `/api/v1/projects/${t.project.id}/api-keys`,
        { name: 'x', environment: 'test' },
        'project_not_found',
      ],
      [
        'revoke its api key',
        'DELETE',
        (t) => `/api/v1/projects/${t.project.id}/api-keys/${t.productionKey.id}`,
        undefined,
        'project_not_found',
      ],
      [
        'list its admin keys',
        'GET',
        (t) => `/api/v1/organizations/${t.organization.id}/admin-keys`,
        undefined,
        'organization_not_found',
      ],
      [
        'create an admin key',
        'POST',
        (t) => `/api/v1/organizations/${t.organization.id}/admin-keys`,
        { name: 'x' },
        'organization_not_found',
      ],
    ];

    it.each(foreignRoutes)(
      'gets 404 (not 403) from another organization when it tries to %s',
      async (_label, method, path, body, code) => {
        const response = await call(method, path(other), { token: adminKey.key, body });
        expect(expectApiError(response, 404, code, null).type).toBe('not_found_error');
      },
    );

    it("gets 404 (not 403) trying to revoke another organization's admin key", async () => {
      const response = await call(
        'DELETE',
        `/api/v1/organizations/${other.organization.id}/admin-keys/${otherAdminKey.id}`,
        { token: adminKey.key },
      );
      expectApiError(response, 404, 'organization_not_found', null);
      // Through its own organization's path, the foreign key id is not found either.
      const sideways = await call(
        'DELETE',
        `/api/v1/organizations/${own.organization.id}/admin-keys/${otherAdminKey.id}`,
        { token: adminKey.key },
      );
      expectApiError(sideways, 404, 'admin_key_not_found', null);
    });

    it('answers a foreign id exactly as it answers an id that does not exist', async () => {
      const foreign = await call('GET', `/api/v1/projects/${other.project.id}`, {
        token: adminKey.key,
      });
      const missing = await call('GET', '/api/v1/projects/prj_missing', { token: adminKey.key });
      expect(foreign.status).toBe(missing.status);
      expect((foreign.body as { error: { message: string } }).error.message).toBe(
        (missing.body as { error: { message: string } }).error.message.replace(
          'prj_missing',
          other.project.id,
        ),
      );
    });

    it('left the other organization untouched after all those attempts', async () => {
      const project = await call<ProjectResponseDto>('GET', `/api/v1/projects/${other.project.id}`);
      expect(project.body).toEqual(other.project);
      const projects = await call<ProjectListResponseDto>(
        'GET',
        `/api/v1/organizations/${other.organization.id}/projects`,
      );
      expect(projects.body.data).toEqual([other.project]);
      const models = await requestJson(testApp.baseUrl, 'GET', '/v1/models', {
        token: other.productionKey.key,
      });
      expect(models.status).toBe(200);
      const otherKeyStillWorks = await call('GET', '/api/v1/organizations', {
        token: otherAdminKey.key,
      });
      expect(otherKeyStillWorks.status).toBe(200);
    });

    it('stops working at once when revoked: 401 invalid_api_key', async () => {
      const key = await createAdminKey(own.organization.id);
      expect((await call('GET', '/api/v1/organizations', { token: key.key })).status).toBe(200);

      const revoke = await call(
        'DELETE',
        `/api/v1/organizations/${own.organization.id}/admin-keys/${key.id}`,
      );
      expect(revoke.status).toBe(204);
      expect(revoke.text).toBe('');

      const after = await call('GET', '/api/v1/organizations', { token: key.key });
      expectApiError(after, 401, 'invalid_api_key', null);
      const list = await call<AdminKeyListResponseDto>(
        'GET',
        `/api/v1/organizations/${own.organization.id}/admin-keys`,
      );
      expect(list.body.data.find((item) => item.id === key.id)?.revokedAt).toMatch(ISO_DATE);
      // The other admin key of the organization keeps working.
      expect((await call('GET', '/api/v1/organizations', { token: adminKey.key })).status).toBe(
        200,
      );
    });
  });

  describe('projects', () => {
    it('goes through create, list, get, update and delete', async () => {
      const tenant = await createTenant(testApp, 'Lifecycle');
      const projectsPath = `/api/v1/organizations/${tenant.organization.id}/projects`;
      const project = await created<ProjectResponseDto>(projectsPath, {
        name: 'Support bot',
        description: 'Answers tickets',
      });
      expect(project).toEqual({
        id: expect.stringMatching(/^prj_[0-9a-f]{32}$/) as unknown,
        organizationId: tenant.organization.id,
        name: 'Support bot',
        description: 'Answers tickets',
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
        updatedAt: project.createdAt,
      });

      const list = await call<ProjectListResponseDto>('GET', projectsPath);
      expect(list.body.data).toEqual([tenant.project, project]);
      const single = await call('GET', `/api/v1/projects/${project.id}`);
      expect(single.body).toEqual(project);

      const patched = await call<ProjectResponseDto>('PATCH', `/api/v1/projects/${project.id}`, {
        body: { name: 'Support assistant', description: null },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        id: project.id,
        name: 'Support assistant',
        description: null,
        createdAt: project.createdAt,
      });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(project.updatedAt),
      );
      expect((await call('GET', `/api/v1/projects/${project.id}`)).body).toEqual(patched.body);

      const descriptionOnly = await call<ProjectResponseDto>(
        'PATCH',
        `/api/v1/projects/${project.id}`,
        { body: { description: 'Now with a description' } },
      );
      expect(descriptionOnly.body).toMatchObject({
        name: 'Support assistant',
        description: 'Now with a description',
      });

      const removed = await call('DELETE', `/api/v1/projects/${project.id}`);
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expectApiError(await call('GET', `/api/v1/projects/${project.id}`), 404, 'project_not_found');
      expectApiError(
        await call('PATCH', `/api/v1/projects/${project.id}`, { body: { name: 'Back' } }),
        404,
        'project_not_found',
      );
      expectApiError(
        await call('DELETE', `/api/v1/projects/${project.id}`),
        404,
        'project_not_found',
      );
      expectApiError(
        await call('GET', `/api/v1/projects/${project.id}/api-keys`),
        404,
        'project_not_found',
      );
      expect((await call<ProjectListResponseDto>('GET', projectsPath)).body.data).toEqual([
        tenant.project,
      ]);
    });

    it("makes the project's gateway keys fail with 401 as soon as it is deleted", async () => {
      const tenant = await createTenant(testApp, 'Doomed');
      const models = (token: string) =>
        requestJson(testApp.baseUrl, 'GET', '/v1/models', { token });
      // Both keys are now in the key cache.
      expect((await models(tenant.productionKey.key)).status).toBe(200);
      expect((await models(tenant.testKey.key)).status).toBe(200);

      expect((await call('DELETE', `/api/v1/projects/${tenant.project.id}`)).status).toBe(204);

      expectApiError(await models(tenant.productionKey.key), 401, 'invalid_api_key', null);
      expectApiError(await models(tenant.testKey.key), 401, 'invalid_api_key', null);
    });

    it('keeps names unique per organization, case-insensitively', async () => {
      const first = await createTenant(testApp, 'Names one');
      const second = await createTenant(testApp, 'Names two');
      const projectsOf = (tenant: Tenant) =>
        `/api/v1/organizations/${tenant.organization.id}/projects`;
      const search = await created<ProjectResponseDto>(projectsOf(first), { name: 'Search' });

      const duplicate = await call('POST', projectsOf(first), { body: { name: 'SEARCH' } });
      const error = expectApiError(duplicate, 409, 'project_name_taken', 'name');
      expect(error.type).toBe('conflict_error');

      const elsewhere = await call<ProjectResponseDto>('POST', projectsOf(second), {
        body: { name: 'search' },
      });
      expect(elsewhere.status).toBe(201);

      const rename = await call('PATCH', `/api/v1/projects/${first.project.id}`, {
        body: { name: 'sEaRcH' },
      });
      expectApiError(rename, 409, 'project_name_taken', 'name');

      const recase = await call<ProjectResponseDto>('PATCH', `/api/v1/projects/${search.id}`, {
        body: { name: 'SEARCH' },
      });
      expect(recase.status).toBe(200);
      expect(recase.body.name).toBe('SEARCH');

      const names = await call<ProjectListResponseDto>('GET', projectsOf(first));
      expect(names.body.data.map((project) => project.name).sort()).toEqual([
        'Names one project',
        'SEARCH',
      ]);
    });

    it('lets exactly one of several concurrent creates with one name win', async () => {
      const tenant = await createTenant(testApp, 'Race');
      const path = `/api/v1/organizations/${tenant.organization.id}/projects`;
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => call('POST', path, { body: { name: 'Contended' } })),
      );
      expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
      for (const response of responses.filter((item) => item.status !== 201)) {
        expectApiError(response, 409, 'project_name_taken', 'name');
      }
    });
  });
});
