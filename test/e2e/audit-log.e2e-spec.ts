// Over ~400 lines on purpose: one scripted history of admin actions feeds the per-action table,
// the secrecy checks, the filters and the pagination walk, which all read the same rows.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  AuditLogListResponseDto,
  AuditLogResponseDto,
} from '../../src/audit/dto/audit-log-response.dto';
import type { CreatedAdminKeyResponseDto } from '../../src/auth/dto/admin-key-response.dto';
import type { CreatedApiKeyResponseDto } from '../../src/auth/dto/api-key-response.dto';
import type {
  CustomProviderResponseDto,
  ProviderModelResponseDto,
} from '../../src/providers/dto/custom-provider-response.dto';
import type { ProjectResponseDto } from '../../src/tenancy/dto/project-response.dto';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson, type JsonResponse } from '../support/http';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const USER_AGENT = 'switchyard-audit-e2e/1.0 (+https://example.test)';
const REDACTED = '[redacted]';

describe('audit log', () => {
  let testApp: TestApp;
  let tenant: Tenant;
  let otherTenant: Tenant;
  let auditor: CreatedAdminKeyResponseDto;
  let otherAdminKey: CreatedAdminKeyResponseDto;
  /** What the scripted history created, by name. */
  const made = {} as {
    project: ProjectResponseDto;
    apiKey: CreatedApiKeyResponseDto;
    provider: CustomProviderResponseDto;
    model: ProviderModelResponseDto;
    temporaryAdminKey: CreatedAdminKeyResponseDto;
  };
  /** Every secret the history handled; none may appear in an audit row. */
  const secrets: string[] = [];
  const providerKeys = {
    first: `upstream-key-${randomBytes(16).toString('hex')}`,
    second: `upstream-key-${randomBytes(16).toString('hex')}`,
  };

  async function call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown } = {},
  ): Promise<JsonResponse<T>> {
    return requestJson<T>(testApp.baseUrl, method, path, {
      token: options.token === null ? undefined : (options.token ?? testApp.adminToken),
      body: options.body,
      headers: { 'user-agent': USER_AGENT },
    });
  }

  async function expectStatus<T>(status: number, response: Promise<JsonResponse<T>>): Promise<T> {
    const answered = await response;
    if (answered.status !== status) {
      throw new Error(`Expected ${status}, got ${answered.status}: ${answered.text}`);
    }
    return answered.body;
  }

  const auditPath = (orgId = tenant.organization.id) => `/api/v1/organizations/${orgId}/audit-logs`;

  const listAudit = (query = '', token?: string | null) =>
    call<AuditLogListResponseDto>('GET', `${auditPath()}?${query}`, { token });

  /** Every row of the organization, newest first (the history is far below one page of 200). */
  async function allRows(): Promise<AuditLogResponseDto[]> {
    const response = await listAudit('limit=200');
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.data;
  }

  beforeAll(async () => {
    testApp = await createTestApp('audit-log');
    [tenant, otherTenant] = await Promise.all([
      createTenant(testApp, 'Audited'),
      createTenant(testApp, 'Unrelated'),
    ]);
    secrets.push(
      providerKeys.first,
      providerKeys.second,
      tenant.productionKey.key,
      tenant.testKey.key,
      testApp.adminToken,
    );
    const orgPath = `/api/v1/organizations/${tenant.organization.id}`;

    // The root token creates an admin key; everything after, except the last step, uses that key.
    auditor = await expectStatus(
      201,
      call(`POST`, `${orgPath}/admin-keys`, { body: { name: 'auditor' } }),
    );
    otherAdminKey = await expectStatus(
      201,
      call('POST', `/api/v1/organizations/${otherTenant.organization.id}/admin-keys`, {
        body: { name: 'outsider' },
      }),
    );
    secrets.push(auditor.key, otherAdminKey.key);
    const as = { token: auditor.key };

    made.project = await expectStatus(
      201,
      call('POST', `${orgPath}/projects`, { ...as, body: { name: 'Scripted project' } }),
    );
    const projectPath = `/api/v1/projects/${made.project.id}`;
    await expectStatus(
      200,
      call('PATCH', projectPath, {
        ...as,
        body: { name: 'Scripted project', description: 'Now described' },
      }),
    );
    made.apiKey = await expectStatus(
      201,
      call('POST', `${projectPath}/api-keys`, {
        ...as,
        body: { name: 'backend', environment: 'production' },
      }),
    );
    secrets.push(made.apiKey.key);
    await expectStatus(204, call('DELETE', `${projectPath}/api-keys/${made.apiKey.id}`, as));

    const providersPath = `${projectPath}/providers`;
    made.provider = await expectStatus(
      201,
      call('POST', providersPath, {
        ...as,
        body: {
          name: 'Local Ollama',
          baseUrl: 'http://127.0.0.1:11434/v1',
          format: 'openai',
          apiKey: providerKeys.first,
          models: [{ name: 'llama3.1' }, { name: 'qwen2.5' }],
        },
      }),
    );
    const providerPath = `${providersPath}/${made.provider.id}`;
    await expectStatus(
      200,
      call('PATCH', providerPath, {
        ...as,
        body: {
          name: 'Local Ollama',
          baseUrl: 'http://127.0.0.1:8000/v1',
          apiKey: providerKeys.second,
        },
      }),
    );
    await expectStatus(200, call('PATCH', providerPath, { ...as, body: { apiKey: null } }));
    made.model = await expectStatus(
      201,
      call('POST', `${providerPath}/models`, {
        ...as,
        body: {
          name: 'mistral',
          upstreamName: 'mistral:7b',
          inputPricePerMillion: 0.25,
          outputPricePerMillion: 1.5,
        },
      }),
    );
    await expectStatus(204, call('DELETE', `${providerPath}/models/${made.model.id}`, as));
    await expectStatus(204, call('DELETE', providerPath, as));

    made.temporaryAdminKey = await expectStatus(
      201,
      call('POST', `${orgPath}/admin-keys`, { ...as, body: { name: 'temporary' } }),
    );
    secrets.push(made.temporaryAdminKey.key);
    await expectStatus(
      204,
      call('DELETE', `${orgPath}/admin-keys/${made.temporaryAdminKey.id}`, as),
    );
    await expectStatus(204, call('DELETE', projectPath, as));

    await expectStatus(
      200,
      call('PATCH', `/api/v1/projects/${tenant.project.id}`, { body: { name: 'Renamed by root' } }),
    );
  });
  afterAll(() => testApp?.close());

  describe('a row for every action', () => {
    const root = { type: 'root', id: null, name: 'root' };
    const byAuditor = () => ({ type: 'admin_key', id: auditor.id, name: 'auditor' });
    const providerAfterCreate = () => ({
      name: 'Local Ollama',
      baseUrl: 'http://127.0.0.1:11434/v1',
      format: 'openai',
      isActive: true,
      apiKey: REDACTED,
      models: ['llama3.1', 'qwen2.5'],
    });
    const modelFields = () => ({
      providerId: made.provider.id,
      name: 'mistral',
      upstreamName: 'mistral:7b',
      inputPricePerMillion: 0.25,
      outputPricePerMillion: 1.5,
    });
    const apiKeyFields = () => ({
      name: 'backend',
      environment: 'production',
      lastFour: made.apiKey.key.slice(-4),
      limits: null,
    });

    type Expected = {
      action: string;
      targetType: string;
      targetId: () => string;
      projectId: () => string | null;
      actor: () => Record<string, unknown>;
      changes: () => Record<string, unknown>;
      /** Several rows share the action and target; this tells them apart. */
      pick?: (row: AuditLogResponseDto) => boolean;
    };
    const project = () => made.project.id;
    const cases: [string, Expected][] = [
      [
        'admin_key.create by root',
        {
          action: 'admin_key.create',
          targetType: 'admin_key',
          targetId: () => auditor.id,
          projectId: () => null,
          actor: () => root,
          changes: () => ({ after: { name: 'auditor', lastFour: auditor.key.slice(-4) } }),
        },
      ],
      [
        'project.create',
        {
          action: 'project.create',
          targetType: 'project',
          targetId: project,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ after: { name: 'Scripted project', description: null } }),
        },
      ],
      [
        'project.update, with the changed field only',
        {
          action: 'project.update',
          targetType: 'project',
          targetId: project,
          projectId: project,
          actor: byAuditor,
          changes: () => ({
            before: { description: null },
            after: { description: 'Now described' },
          }),
        },
      ],
      [
        'project.update by root',
        {
          action: 'project.update',
          targetType: 'project',
          targetId: () => tenant.project.id,
          projectId: () => tenant.project.id,
          actor: () => root,
          changes: () => ({
            before: { name: tenant.project.name },
            after: { name: 'Renamed by root' },
          }),
        },
      ],
      [
        'api_key.create',
        {
          action: 'api_key.create',
          targetType: 'api_key',
          targetId: () => made.apiKey.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ after: apiKeyFields() }),
        },
      ],
      [
        'api_key.revoke',
        {
          action: 'api_key.revoke',
          targetType: 'api_key',
          targetId: () => made.apiKey.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ before: apiKeyFields() }),
        },
      ],
      [
        'provider.create, with the key redacted',
        {
          action: 'provider.create',
          targetType: 'provider',
          targetId: () => made.provider.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ after: providerAfterCreate() }),
        },
      ],
      [
        'provider.update replacing the key, with the changed fields only',
        {
          action: 'provider.update',
          targetType: 'provider',
          targetId: () => made.provider.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({
            before: { baseUrl: 'http://127.0.0.1:11434/v1', apiKey: REDACTED },
            after: { baseUrl: 'http://127.0.0.1:8000/v1', apiKey: REDACTED },
          }),
          pick: (row) => row.changes.after?.baseUrl !== undefined,
        },
      ],
      [
        'provider.update removing the key',
        {
          action: 'provider.update',
          targetType: 'provider',
          targetId: () => made.provider.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ before: { apiKey: REDACTED }, after: { apiKey: null } }),
          pick: (row) => row.changes.after?.baseUrl === undefined,
        },
      ],
      [
        'model.add, with prices in dollars as the API takes them',
        {
          action: 'model.add',
          targetType: 'model',
          targetId: () => made.model.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ after: modelFields() }),
        },
      ],
      [
        'model.remove',
        {
          action: 'model.remove',
          targetType: 'model',
          targetId: () => made.model.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ before: modelFields() }),
        },
      ],
      [
        'provider.delete',
        {
          action: 'provider.delete',
          targetType: 'provider',
          targetId: () => made.provider.id,
          projectId: project,
          actor: byAuditor,
          changes: () => ({
            before: {
              ...providerAfterCreate(),
              baseUrl: 'http://127.0.0.1:8000/v1',
              apiKey: null,
            },
          }),
        },
      ],
      [
        'admin_key.create by an admin key',
        {
          action: 'admin_key.create',
          targetType: 'admin_key',
          targetId: () => made.temporaryAdminKey.id,
          projectId: () => null,
          actor: byAuditor,
          changes: () => ({
            after: { name: 'temporary', lastFour: made.temporaryAdminKey.key.slice(-4) },
          }),
        },
      ],
      [
        'admin_key.revoke',
        {
          action: 'admin_key.revoke',
          targetType: 'admin_key',
          targetId: () => made.temporaryAdminKey.id,
          projectId: () => null,
          actor: byAuditor,
          changes: () => ({
            before: { name: 'temporary', lastFour: made.temporaryAdminKey.key.slice(-4) },
          }),
        },
      ],
      [
        'project.delete',
        {
          action: 'project.delete',
          targetType: 'project',
          targetId: project,
          projectId: project,
          actor: byAuditor,
          changes: () => ({ before: { name: 'Scripted project', description: 'Now described' } }),
        },
      ],
    ];

    it.each(cases)('records %s', async (_label, expected) => {
      const rows = (await allRows()).filter(
        (row) =>
          row.action === expected.action &&
          row.targetId === expected.targetId() &&
          (expected.pick?.(row) ?? true),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual({
        id: expect.stringMatching(/^aud_[0-9a-f]{32}$/) as unknown,
        organizationId: tenant.organization.id,
        projectId: expected.projectId(),
        actor: expected.actor(),
        action: expected.action,
        targetType: expected.targetType,
        targetId: expected.targetId(),
        changes: expected.changes(),
        ip: '127.0.0.1',
        userAgent: USER_AGENT,
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
      });
    });

    it('records the whole history and nothing of other organizations', async () => {
      const rows = await allRows();
      const mine = rows.filter((row) => row.userAgent === USER_AGENT);
      expect(mine).toHaveLength(cases.length);
      for (const row of rows) expect(row.organizationId).toBe(tenant.organization.id);
      // The tenant factory's own requests are in the log too, made with the root token.
      expect(
        rows
          .filter((row) => row.userAgent !== USER_AGENT)
          .map((row) => row.action)
          .sort(),
      ).toEqual(['api_key.create', 'api_key.create', 'project.create']);
    });

    it('holds no secret in any audit row, over the API or in the table', async () => {
      const pages = [(await listAudit('limit=200')).text, (await listAudit('limit=1')).text];
      const stored = JSON.stringify(
        await testApp.app.get(DataSource).query<unknown[]>('SELECT * FROM audit_logs'),
      );
      for (const text of [...pages, stored]) {
        for (const secret of secrets) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(secret.slice(0, -4));
        }
      }
      expect(stored).toContain(REDACTED);
    });
  });

  describe('filters', () => {
    const ids = (rows: AuditLogResponseDto[]) => rows.map((row) => row.id);

    async function expectFiltered(query: string, keep: (row: AuditLogResponseDto) => boolean) {
      const all = await allRows();
      const response = await listAudit(`limit=200&${query}`);
      expect(response.status).toBe(200);
      const expected = ids(all.filter(keep));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect(ids(response.body.data)).toEqual(expected);
    }

    it('by action', () =>
      expectFiltered('action=provider.update', (row) => row.action === 'provider.update'));

    it('by project', () =>
      expectFiltered(`projectId=${made.project.id}`, (row) => row.projectId === made.project.id));

    it('by actor id', () =>
      expectFiltered(`actorId=${auditor.id}`, (row) => row.actor.id === auditor.id));

    it.each(['root', 'admin_key'])('by actor type %s', (type) =>
      expectFiltered(`actorType=${type}`, (row) => row.actor.type === type),
    );

    it('by several at once', () =>
      expectFiltered(
        'action=project.update&actorType=root',
        (row) => row.action === 'project.update' && row.actor.type === 'root',
      ));

    it('by time: from is inclusive, to exclusive', async () => {
      const all = await allRows();
      const times = [...new Set(all.map((row) => row.createdAt))];
      expect(times.length).toBeGreaterThanOrEqual(3);
      const pivot = times[Math.floor(times.length / 2)]!;
      await expectFiltered(`from=${pivot}`, (row) => row.createdAt >= pivot);
      await expectFiltered(`to=${pivot}`, (row) => row.createdAt < pivot);
      const [newest] = times;
      await expectFiltered(
        `from=${pivot}&to=${newest}`,
        (row) => row.createdAt >= pivot && row.createdAt < newest!,
      );
    });

    it.each([
      ['actorType=robot', 'actorType'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=two', 'limit'],
      ['colour=blue', 'colour'],
    ])('answers 400 naming the parameter for %s', async (query, param) => {
      expectApiError(await listAudit(query), 400, 'invalid_request', param);
    });
  });

  describe('pagination', () => {
    async function walk(query: string): Promise<AuditLogResponseDto[][]> {
      const pages: AuditLogResponseDto[][] = [];
      let cursor: string | null = null;
      do {
        const response: JsonResponse<AuditLogListResponseDto> = await listAudit(
          `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(response.status).toBe(200);
        pages.push(response.body.data);
        cursor = response.body.nextCursor;
        expect(pages.length).toBeLessThan(100);
      } while (cursor !== null);
      return pages;
    }

    it('walks every row newest first, two at a time, without repeats', async () => {
      const all = await allRows();
      const pages = await walk('limit=2');
      expect(pages.length).toBe(Math.ceil(all.length / 2));
      for (const page of pages) expect(page.length).toBeGreaterThan(0);
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(2);
      const walked = pages.flat();
      expect(new Set(walked.map((row) => row.id)).size).toBe(walked.length);
      expect(walked).toEqual(all);
      for (let at = 1; at < walked.length; at++) {
        expect(walked[at - 1]!.createdAt >= walked[at]!.createdAt).toBe(true);
      }
    });

    it('keeps the filter across pages', async () => {
      const expected = (await allRows()).filter((row) => row.actor.id === auditor.id);
      const walked = (await walk(`limit=1&actorId=${auditor.id}`)).flat();
      expect(walked).toEqual(expected);
    });

    it.each([
      ['not a cursor', 'not-a-cursor'],
      ['JSON of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
      ['a cursor with a bad time', Buffer.from('["yesterday","aud_x"]').toString('base64url')],
    ])('answers 400 invalid_cursor to %s', async (_label, cursor) => {
      const error = expectApiError(
        await listAudit(`limit=2&cursor=${encodeURIComponent(cursor)}`),
        400,
        'invalid_cursor',
        'cursor',
      );
      expect(error.message).toBe('cursor is not a value returned as nextCursor by this endpoint');
    });
  });

  describe('access', () => {
    it('shows an admin key of the organization the same rows as the root token', async () => {
      const response = await listAudit('limit=200', auditor.key);
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual(await allRows());
    });

    it('answers 404 organization_not_found to an admin key of another organization', async () => {
      expectApiError(
        await listAudit('limit=200', otherAdminKey.key),
        404,
        'organization_not_found',
        null,
      );
    });

    it('answers 401 without credentials', async () => {
      expectApiError(await listAudit('', null), 401, 'missing_api_key', null);
    });

    it.each([
      ['PUT', '/{id}'],
      ['PATCH', '/{id}'],
      ['DELETE', '/{id}'],
      ['PUT', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', ''],
    ])('has no %s %s: rows cannot be changed or deleted', async (method, suffix) => {
      const before = await allRows();
      const target = before[0]!;
      const response = await call(method, `${auditPath()}${suffix.replace('{id}', target.id)}`, {
        body: { action: 'nothing.happened' },
      });
      expect([404, 405]).toContain(response.status);
      expectApiError(
        response,
        response.status,
        response.status === 404 ? 'unknown_url' : 'method_not_allowed',
        null,
      );
      expect(await allRows()).toEqual(before);
    });
  });
});
