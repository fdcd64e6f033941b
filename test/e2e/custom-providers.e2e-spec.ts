// Over ~400 lines on purpose: the registry's endpoints, their validation table and the isolation
// table share one app and one set of tenants, and every call goes through the same key-leak check.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CreatedAdminKeyResponseDto } from '../../src/auth/dto/admin-key-response.dto';
import type {
  CustomProviderListResponseDto,
  CustomProviderResponseDto,
  ProviderModelListResponseDto,
  ProviderModelResponseDto,
} from '../../src/providers/dto/custom-provider-response.dto';
import type { ConnectionTestResultDto } from '../../src/providers/dto/test-connection.dto';
import type { ProjectResponseDto } from '../../src/tenancy/dto/project-response.dto';
import { providersPath } from '../factories/provider.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson, type JsonResponse } from '../support/http';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const byName = <T extends { name: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));

describe('custom providers', () => {
  let testApp: TestApp;
  let tenant: Tenant;
  let fake: FakeOpenAIUpstream;
  /** Every upstream key a test sends; no response may contain one. */
  const planted: string[] = [];

  beforeAll(async () => {
    [testApp, fake] = await Promise.all([
      createTestApp('custom-providers'),
      FakeOpenAIUpstream.start(),
    ]);
    tenant = await createTenant(testApp, 'Providers');
  });
  afterAll(() => Promise.all([testApp?.close(), fake?.close()]));

  function plant(label = 'upstream-key'): string {
    const key = `${label}-${randomBytes(16).toString('hex')}`;
    planted.push(key);
    return key;
  }

  /** Every admin call of this file: the raw text of every answer is checked for planted keys. */
  async function call<T = unknown>(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown } = {},
  ): Promise<JsonResponse<T>> {
    const response = await requestJson<T>(testApp.baseUrl, method, path, {
      token: options.token === null ? undefined : (options.token ?? testApp.adminToken),
      body: options.body,
    });
    for (const key of planted) {
      expect(response.text).not.toContain(key);
      expect(response.text).not.toContain(key.slice(0, -4));
    }
    return response;
  }

  async function create(
    body: Record<string, unknown>,
    projectId = tenant.project.id,
    token?: string,
  ): Promise<CustomProviderResponseDto> {
    const response = await call<CustomProviderResponseDto>('POST', providersPath(projectId), {
      token,
      body: { format: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', ...body },
    });
    if (response.status !== 201) throw new Error(`create answered ${response.text}`);
    return response.body;
  }

  const providerPath = (provider: { id: string; projectId: string }) =>
    `${providersPath(provider.projectId)}/${provider.id}`;

  const get = (provider: CustomProviderResponseDto) =>
    call<CustomProviderResponseDto>('GET', providerPath(provider));

  const patch = (provider: CustomProviderResponseDto, body: unknown) =>
    call<CustomProviderResponseDto>('PATCH', providerPath(provider), { body });

  describe('lifecycle', () => {
    it('creates a provider with its models and answers 201 without the key', async () => {
      const apiKey = plant();
      const response = await call<CustomProviderResponseDto>(
        'POST',
        providersPath(tenant.project.id),
        {
          body: {
            name: 'Local Ollama',
            baseUrl: 'http://127.0.0.1:11434/v1',
            format: 'openai',
            apiKey,
            models: [
              {
                name: 'llama3.1',
                upstreamName: 'llama3.1:8b-instruct-q4_K_M',
                inputPricePerMillion: 0.15,
                outputPricePerMillion: 0.6,
              },
              { name: 'Qwen2.5' },
            ],
          },
        },
      );
      expect(response.status).toBe(201);
      const provider = response.body;
      const modelShape = {
        id: expect.stringMatching(/^cpm_[0-9a-f]{32}$/) as unknown,
        providerId: provider.id,
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
      };
      expect(provider).toEqual({
        id: expect.stringMatching(/^cp_[0-9a-f]{32}$/) as unknown,
        projectId: tenant.project.id,
        name: 'Local Ollama',
        baseUrl: 'http://127.0.0.1:11434/v1',
        format: 'openai',
        isActive: true,
        hasApiKey: true,
        apiKeyLastFour: apiKey.slice(-4),
        models: [
          {
            ...modelShape,
            name: 'llama3.1',
            upstreamName: 'llama3.1:8b-instruct-q4_K_M',
            inputPricePerMillion: 0.15,
            outputPricePerMillion: 0.6,
          },
          {
            ...modelShape,
            name: 'Qwen2.5',
            upstreamName: null,
            inputPricePerMillion: null,
            outputPricePerMillion: null,
          },
        ],
        lastTest: null,
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
        updatedAt: provider.createdAt,
      });
      expect(provider).not.toHaveProperty('apiKey');

      const fetched = await get(provider);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(provider);
    });

    it('creates an inactive anthropic provider without a key or models', async () => {
      const provider = await create({
        name: 'Claude proxy',
        format: 'anthropic',
        isActive: false,
        baseUrl: 'https://127.0.0.1:8443/v1',
      });
      expect(provider).toMatchObject({
        format: 'anthropic',
        isActive: false,
        hasApiKey: false,
        apiKeyLastFour: null,
        models: [],
        baseUrl: 'https://127.0.0.1:8443/v1',
      });
    });

    it("lists the project's providers only, with their models", async () => {
      const own = await createTenant(testApp, 'Listing');
      const [first, second] = await Promise.all([
        create({ name: 'first', models: [{ name: 'a' }, { name: 'b' }] }, own.project.id),
        create({ name: 'second', apiKey: plant() }, own.project.id),
      ]);
      await create({ name: 'elsewhere' });
      const response = await call<CustomProviderListResponseDto>(
        'GET',
        providersPath(own.project.id),
      );
      expect(response.status).toBe(200);
      expect(byName(response.body.data)).toEqual([first, second]);
    });

    it('keeps models in the order they were given, everywhere they are listed', async () => {
      const names = ['zeta', 'alpha', 'Mid', 'beta'];
      const provider = await create({
        name: 'Ordered',
        models: names.map((name) => ({ name })),
      });
      expect(provider.models.map((model) => model.name)).toEqual(names);
      expect((await get(provider)).body.models.map((model) => model.name)).toEqual(names);
      const models = await call<ProviderModelListResponseDto>(
        'GET',
        `${providerPath(provider)}/models`,
      );
      expect(models.body.data.map((model) => model.name)).toEqual(names);
      const list = await call<CustomProviderListResponseDto>(
        'GET',
        providersPath(tenant.project.id),
      );
      const listed = list.body.data.find((item) => item.id === provider.id);
      expect(listed?.models.map((model) => model.name)).toEqual(names);
    });

    it('answers 401 missing_api_key without admin credentials', async () => {
      const response = await call('GET', providersPath(tenant.project.id), { token: null });
      expectApiError(response, 401, 'missing_api_key', null);
    });

    it('changes name, baseUrl, format and isActive one at a time, keeping the key', async () => {
      const apiKey = plant();
      let current = await create({ name: 'Changeable', apiKey });
      const steps: [Record<string, unknown>, Partial<CustomProviderResponseDto>][] = [
        [{ name: 'Changed' }, { name: 'Changed' }],
        [{ baseUrl: 'http://127.0.0.1:8000/v1/' }, { baseUrl: 'http://127.0.0.1:8000/v1' }],
        [{ format: 'anthropic' }, { format: 'anthropic' }],
        [{ isActive: false }, { isActive: false }],
        [{ isActive: true }, { isActive: true }],
        [{}, {}],
      ];
      for (const [body, changed] of steps) {
        const response = await patch(current, body);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ...current,
          ...changed,
          updatedAt: expect.stringMatching(ISO_DATE) as unknown,
        });
        expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(
          Date.parse(current.updatedAt),
        );
        expect(response.body).toMatchObject({ hasApiKey: true, apiKeyLastFour: apiKey.slice(-4) });
        expect((await get(current)).body).toEqual(response.body);
        current = response.body;
      }
    });

    it('replaces the key with a string, keeps it when absent and removes it with null', async () => {
      const first = plant();
      const second = plant();
      const provider = await create({ name: 'Key changes', apiKey: first });
      const steps: [Record<string, unknown>, boolean, string | null][] = [
        [{ apiKey: second }, true, second.slice(-4)],
        [{ name: 'Key changes 2' }, true, second.slice(-4)],
        [{ apiKey: null }, false, null],
        [{ isActive: true }, false, null],
        // Too short to show any of it: a key under 8 characters gets no last four.
        [{ apiKey: 'short' }, true, null],
        [{ apiKey: first }, true, first.slice(-4)],
      ];
      for (const [body, hasApiKey, apiKeyLastFour] of steps) {
        const response = await patch(provider, body);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ hasApiKey, apiKeyLastFour });
        expect((await get(provider)).body).toMatchObject({ hasApiKey, apiKeyLastFour });
      }
    });

    it('sends upstream the key a PATCH set, and none once it is removed', async () => {
      const first = plant();
      const second = plant();
      const provider = await create({
        name: 'Key in use',
        baseUrl: fake.baseUrl,
        apiKey: first,
        models: [{ name: 'fake-gpt-small' }],
      });
      const testAndLastAuthorization = async () => {
        const response = await call<ConnectionTestResultDto>(
          'POST',
          `${providerPath(provider)}/test`,
          { body: {} },
        );
        expect(response.body).toMatchObject({ ok: true, status: 200 });
        return fake.requestsTo('POST /chat/completions').at(-1)?.headers.authorization;
      };

      fake.requireApiKey(first);
      expect(await testAndLastAuthorization()).toBe(`Bearer ${first}`);

      expect((await patch(provider, { apiKey: second })).status).toBe(200);
      fake.requireApiKey(second);
      expect(await testAndLastAuthorization()).toBe(`Bearer ${second}`);

      expect((await patch(provider, { name: 'Key still in use' })).status).toBe(200);
      expect(await testAndLastAuthorization()).toBe(`Bearer ${second}`);

      expect((await patch(provider, { apiKey: null })).status).toBe(200);
      fake.requireApiKey(null);
      expect(await testAndLastAuthorization()).toBeUndefined();
    });

    it('deletes a provider with its models', async () => {
      const provider = await create({
        name: 'Doomed',
        apiKey: plant(),
        models: [{ name: 'm1' }, { name: 'm2' }],
      });
      const response = await call('DELETE', providerPath(provider));
      expect(response.status).toBe(204);
      expect(response.text).toBe('');

      expectApiError(await get(provider), 404, 'provider_not_found', null);
      expectApiError(
        await call('GET', `${providerPath(provider)}/models`),
        404,
        'provider_not_found',
        null,
      );
      expectApiError(
        await call('DELETE', `${providerPath(provider)}/models/${provider.models[0]!.id}`),
        404,
        'provider_not_found',
        null,
      );
      expectApiError(await call('DELETE', providerPath(provider)), 404, 'provider_not_found');
      const list = await call<CustomProviderListResponseDto>(
        'GET',
        providersPath(tenant.project.id),
      );
      expect(list.body.data.map((item) => item.id)).not.toContain(provider.id);

      const dataSource = testApp.app.get(DataSource);
      const models = await dataSource.query<unknown[]>(
        `SELECT * FROM custom_provider_models WHERE provider_id = '${provider.id}'`,
      );
      expect(models).toEqual([]);
    });

    it('answers 404 provider_not_found for an id that does not exist', async () => {
      const response = await call('GET', `${providersPath(tenant.project.id)}/cp_missing`);
      expect(expectApiError(response, 404, 'provider_not_found', null).message).toContain(
        'cp_missing',
      );
    });
  });

  describe('normalising baseUrl', () => {
    it.each([
      ['http://127.0.0.1:11434/v1/', 'http://127.0.0.1:11434/v1'],
      ['http://127.0.0.1:11434/v1///', 'http://127.0.0.1:11434/v1'],
      ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
      ['HTTP://LOCALHOST:8000/openai/v1/', 'http://localhost:8000/openai/v1'],
      ['  http://127.0.0.1:1234/v1  ', 'http://127.0.0.1:1234/v1'],
    ])('stores %j as %j', async (baseUrl, stored) => {
      const provider = await create({ name: `url ${randomBytes(4).toString('hex')}`, baseUrl });
      expect(provider.baseUrl).toBe(stored);
      const renamed = await patch(provider, { baseUrl });
      expect(renamed.body.baseUrl).toBe(stored);
    });
  });

  describe('validation', () => {
    let own: Tenant;
    beforeAll(async () => {
      own = await createTenant(testApp, 'Validation');
    });

    const valid = { name: 'Valid', baseUrl: 'http://127.0.0.1:11434/v1', format: 'openai' };
    const END_AT_V1 = /end the base URL at \/v1/;

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['an empty name', { name: '' }, 'name', /^name must be longer than or equal to 1 char/],
      [
        'a name of 65 characters',
        { name: 'n'.repeat(65) },
        'name',
        /^name must be shorter than or equal to 64 char/,
      ],
      [
        'a name containing "/"',
        { name: 'ollama/local' },
        'name',
        /^name must not contain "\/": it separates the provider name from the model/,
      ],
      ['a name with leading whitespace', { name: ' padded' }, 'name', /whitespace/],
      ['a missing name', { name: undefined }, 'name', /^name must/],
      ['a name that is not a string', { name: 7 }, 'name', /^name must be a string/],
      ['a missing baseUrl', { baseUrl: undefined }, 'baseUrl', /^baseUrl must be a string/],
      [
        'a baseUrl that is not a URL',
        { baseUrl: 'not a url' },
        'baseUrl',
        /absolute http:\/\/ or https:\/\/ URL/,
      ],
      [
        'an ftp baseUrl',
        { baseUrl: 'ftp://127.0.0.1/v1' },
        'baseUrl',
        /must use http or https, not ftp/,
      ],
      [
        'a file baseUrl',
        { baseUrl: 'file:///etc/passwd' },
        'baseUrl',
        /must use http or https, not file/,
      ],
      [
        'a baseUrl with credentials',
        { baseUrl: 'http://admin:hunter2@127.0.0.1:11434/v1' },
        'baseUrl',
        /must not contain credentials; put the key in apiKey/,
      ],
      [
        'a baseUrl with a query string',
        { baseUrl: 'http://127.0.0.1:11434/v1?api-version=1' },
        'baseUrl',
        /must not contain a query string/,
      ],
      [
        'a baseUrl with a fragment',
        { baseUrl: 'http://127.0.0.1:11434/v1#models' },
        'baseUrl',
        /must not contain a query string or fragment/,
      ],
      [
        'a baseUrl ending in /chat/completions',
        { baseUrl: 'http://127.0.0.1:11434/v1/chat/completions' },
        'baseUrl',
        /end the base URL at \/v1 and remove '\/chat\/completions'$/,
      ],
      [
        'a baseUrl ending in /chat/completions/',
        { baseUrl: 'http://127.0.0.1:11434/v1/chat/completions/' },
        'baseUrl',
        /end the base URL at \/v1 and remove '\/chat\/completions'$/,
      ],
      [
        'a baseUrl ending in /messages',
        { baseUrl: 'https://127.0.0.1/anthropic/v1/messages', format: 'anthropic' },
        'baseUrl',
        /end the base URL at \/v1 and remove '\/messages'$/,
      ],
      [
        'a baseUrl ending in /models',
        { baseUrl: 'http://127.0.0.1:11434/v1/models' },
        'baseUrl',
        END_AT_V1,
      ],
      [
        'a baseUrl of 2049 characters',
        { baseUrl: `http://127.0.0.1/${'a'.repeat(2032)}` },
        'baseUrl',
        /at most 2048 characters/,
      ],
      [
        'an unknown format',
        { format: 'gemini' },
        'format',
        /^format must be one of the following values: openai, anthropic$/,
      ],
      ['a missing format', { format: undefined }, 'format', /^format must be one of/],
      ['an empty apiKey', { apiKey: '' }, 'apiKey', /^apiKey must be longer than or equal to 1/],
      ['an apiKey that is not a string', { apiKey: 1234 }, 'apiKey', /^apiKey must be a string/],
      ['an isActive that is not a boolean', { isActive: 'yes' }, 'isActive', /boolean/],
      ['models that are not an array', { models: 'llama' }, 'models', /^models must be an array/],
      [
        'two models whose names differ only in case',
        { models: [{ name: 'Llama3' }, { name: 'llama3' }] },
        'models',
        /must not contain two models with the same name \(names are case-insensitive\)/,
      ],
      ['a model without a name', { models: [{}] }, 'models[0].name', /^models\[0\]\.name must/],
      [
        'a model with an empty name',
        { models: [{ name: 'ok' }, { name: '' }] },
        'models[1].name',
        /longer than or equal to 1/,
      ],
      [
        'a negative input price',
        { models: [{ name: 'm', inputPricePerMillion: -1 }] },
        'models[0].inputPricePerMillion',
        /^models\[0\]\.inputPricePerMillion must not be less than 0$/,
      ],
      [
        'a negative output price',
        { models: [{ name: 'm', outputPricePerMillion: -0.01 }] },
        'models[0].outputPricePerMillion',
        /must not be less than 0/,
      ],
      [
        'a price given as a string',
        { models: [{ name: 'm', inputPricePerMillion: '0.15' }] },
        'models[0].inputPricePerMillion',
        /must be a number/,
      ],
      ['an unknown field', { colour: 'blue' }, 'colour', /^property colour should not exist$/],
      [
        'an unknown field in a model',
        { models: [{ name: 'm', colour: 'blue' }] },
        'models[0].colour',
        /^property models\[0\]\.colour should not exist$/,
      ],
    ])('refuses %s with 400 naming the field', async (_label, change, param, message) => {
      const response = await call('POST', providersPath(own.project.id), {
        body: { ...valid, ...change },
      });
      const error = expectApiError(response, 400, 'invalid_request', param);
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('hunter2');
      const list = await call<CustomProviderListResponseDto>('GET', providersPath(own.project.id));
      expect(list.body.data).toEqual([]);
    });

    it('answers 409 provider_name_taken to a name used in the project, in any case', async () => {
      const [project, otherProject] = await Promise.all([
        createTenant(testApp, 'Names').then((created) => created.project.id),
        createTenant(testApp, 'Other names').then((created) => created.project.id),
      ]);
      await create({ name: 'Local Ollama' }, project);
      const response = await call('POST', providersPath(project), {
        body: { ...valid, name: 'LOCAL ollama' },
      });
      const error = expectApiError(response, 409, 'provider_name_taken', 'name');
      expect(error.type).toBe('conflict_error');
      expect(error.message).toBe("A provider named 'LOCAL ollama' already exists in this project.");
      // Another project may use the name.
      expect((await create({ name: 'Local Ollama' }, otherProject)).name).toBe('Local Ollama');
    });

    describe('on PATCH', () => {
      let alpha: CustomProviderResponseDto;
      let beta: CustomProviderResponseDto;
      beforeAll(async () => {
        const project = (await createTenant(testApp, 'Patching')).project.id;
        alpha = await create({ name: 'Alpha', apiKey: plant() }, project);
        beta = await create({ name: 'Beta' }, project);
      });

      it.each<[string, Record<string, unknown>, string, RegExp]>([
        ['an empty name', { name: '' }, 'name', /longer than or equal to 1/],
        ['a name containing "/"', { name: 'a/b' }, 'name', /must not contain "\/"/],
        [
          'a baseUrl ending in /messages',
          { baseUrl: 'http://127.0.0.1:8000/v1/messages' },
          'baseUrl',
          END_AT_V1,
        ],
        ['a baseUrl with a query', { baseUrl: 'http://127.0.0.1/v1?x=1' }, 'baseUrl', /query/],
        ['an unknown format', { format: 'cohere' }, 'format', /one of the following values/],
        ['a non-boolean isActive', { isActive: 1 }, 'isActive', /boolean/],
        ['an apiKey that is a number', { apiKey: 42 }, 'apiKey', /must be a string/],
        ['an empty apiKey', { apiKey: '' }, 'apiKey', /longer than or equal to 1/],
        ['models (changed on their own endpoints)', { models: [] }, 'models', /should not exist/],
        ['an unknown field', { id: 'cp_other' }, 'id', /^property id should not exist$/],
      ])('refuses %s with 400 and changes nothing', async (_label, body, param, message) => {
        const before = (await get(alpha)).body;
        const response = await patch(alpha, body);
        expect(expectApiError(response, 400, 'invalid_request', param).message).toMatch(message);
        expect((await get(alpha)).body).toEqual(before);
      });

      it('answers 409 provider_name_taken when renaming onto another provider in any case', async () => {
        const response = await patch(beta, { name: 'ALPHA' });
        expectApiError(response, 409, 'provider_name_taken', 'name');
        expect((await get(beta)).body.name).toBe('Beta');
      });

      it('lets a provider change the case of its own name', async () => {
        const response = await patch(alpha, { name: 'ALPHA' });
        expect(response.status).toBe(200);
        expect(response.body.name).toBe('ALPHA');
      });
    });
  });

  describe('models', () => {
    let provider: CustomProviderResponseDto;
    let other: CustomProviderResponseDto;
    const modelsPath = (of = provider) => `${providerPath(of)}/models`;

    beforeAll(async () => {
      provider = await create({ name: 'With models', models: [{ name: 'llama3.1' }] });
      other = await create({ name: 'Other models', models: [{ name: 'other-model' }] });
    });

    it("lists the provider's models", async () => {
      const response = await call<ProviderModelListResponseDto>('GET', modelsPath());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: provider.models });
    });

    it('adds a model and answers 201 with it', async () => {
      const response = await call<ProviderModelResponseDto>('POST', modelsPath(), {
        body: {
          name: 'mistral',
          upstreamName: 'mistral:7b-instruct',
          inputPricePerMillion: 0.1,
          outputPricePerMillion: 0.25,
        },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^cpm_[0-9a-f]{32}$/) as unknown,
        providerId: provider.id,
        name: 'mistral',
        upstreamName: 'mistral:7b-instruct',
        inputPricePerMillion: 0.1,
        outputPricePerMillion: 0.25,
        createdAt: expect.stringMatching(ISO_DATE) as unknown,
      });
      const listed = await call<ProviderModelListResponseDto>('GET', modelsPath());
      expect(listed.body.data).toContainEqual(response.body);
      expect((await get(provider)).body.models).toContainEqual(response.body);
    });

    it('answers 409 model_name_taken to a name the provider has, in any case', async () => {
      const response = await call('POST', modelsPath(), { body: { name: 'LLAMA3.1' } });
      const error = expectApiError(response, 409, 'model_name_taken', 'name');
      expect(error.message).toBe(
        "This provider already has a model named 'LLAMA3.1' (names are case-insensitive).",
      );
      // Another provider may have a model of that name.
      const elsewhere = await call('POST', modelsPath(other), { body: { name: 'llama3.1' } });
      expect(elsewhere.status).toBe(201);
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['a missing name', {}, 'name', /^name must/],
      [
        'a name of 129 characters',
        { name: 'm'.repeat(129) },
        'name',
        /shorter than or equal to 128/,
      ],
      ['an empty upstreamName', { name: 'm', upstreamName: '' }, 'upstreamName', /longer than/],
      [
        'a negative input price',
        { name: 'm', inputPricePerMillion: -5 },
        'inputPricePerMillion',
        /^inputPricePerMillion must not be less than 0$/,
      ],
      [
        'a negative output price',
        { name: 'm', outputPricePerMillion: -5 },
        'outputPricePerMillion',
        /must not be less than 0/,
      ],
      ['an unknown field', { name: 'm', alias: 'x' }, 'alias', /^property alias should not exist$/],
    ])('refuses %s with 400 naming the field', async (_label, body, param, message) => {
      const response = await call('POST', modelsPath(), { body });
      expect(expectApiError(response, 400, 'invalid_request', param).message).toMatch(message);
    });

    it('removes a model, then answers 404 model_not_found for it', async () => {
      const added = await call<ProviderModelResponseDto>('POST', modelsPath(), {
        body: { name: 'short-lived' },
      });
      expect(added.status).toBe(201);
      const removed = await call('DELETE', `${modelsPath()}/${added.body.id}`);
      expect(removed.status).toBe(204);
      const listed = await call<ProviderModelListResponseDto>('GET', modelsPath());
      expect(listed.body.data.map((model) => model.id)).not.toContain(added.body.id);
      expectApiError(
        await call('DELETE', `${modelsPath()}/${added.body.id}`),
        404,
        'model_not_found',
        null,
      );
    });

    it("answers 404 model_not_found for another provider's model and leaves it", async () => {
      const foreign = other.models[0]!;
      expectApiError(
        await call('DELETE', `${modelsPath()}/${foreign.id}`),
        404,
        'model_not_found',
        null,
      );
      const otherModels = await call<ProviderModelListResponseDto>('GET', modelsPath(other));
      expect(otherModels.body.data).toContainEqual(foreign);
    });
  });

  describe('isolation', () => {
    let own: Tenant;
    let foreignTenant: Tenant;
    let sibling: ProjectResponseDto;
    let ownProvider: CustomProviderResponseDto;
    let siblingProvider: CustomProviderResponseDto;
    let foreignProvider: CustomProviderResponseDto;
    let ownAdminKey: CreatedAdminKeyResponseDto;
    let foreignAdminKey: CreatedAdminKeyResponseDto;
    /** The upstream of every provider here: no call that answers 404 may reach it. */
    let upstream: FakeOpenAIUpstream;

    const adminKey = async (of: Tenant) => {
      const response = await call<CreatedAdminKeyResponseDto>(
        'POST',
        `/api/v1/organizations/${of.organization.id}/admin-keys`,
        { body: { name: 'isolation' } },
      );
      expect(response.status).toBe(201);
      return response.body;
    };

    beforeAll(async () => {
      [own, foreignTenant, upstream] = await Promise.all([
        createTenant(testApp, 'Isolated'),
        createTenant(testApp, 'Foreign'),
        FakeOpenAIUpstream.start(),
      ]);
      const siblingResponse = await call<ProjectResponseDto>(
        'POST',
        `/api/v1/organizations/${own.organization.id}/projects`,
        { body: { name: 'Sibling' } },
      );
      sibling = siblingResponse.body;
      const provider = (projectId: string, name: string) =>
        create(
          { name, baseUrl: upstream.baseUrl, apiKey: plant(), models: [{ name: `${name}-model` }] },
          projectId,
        );
      [ownProvider, siblingProvider, foreignProvider, ownAdminKey, foreignAdminKey] =
        await Promise.all([
          provider(own.project.id, 'own'),
          provider(sibling.id, 'sibling'),
          provider(foreignTenant.project.id, 'foreign'),
          adminKey(own),
          adminKey(foreignTenant),
        ]);
    });
    afterAll(() => upstream?.close());

    type Target = { projectId: string; providerId: string; modelId: string };
    const providerCalls: [string, string, (target: Target) => string, unknown][] = [
      ['GET', 'get', (t) => `${providersPath(t.projectId)}/${t.providerId}`, undefined],
      ['PATCH', 'update', (t) => `${providersPath(t.projectId)}/${t.providerId}`, { name: 'x' }],
      ['DELETE', 'delete', (t) => `${providersPath(t.projectId)}/${t.providerId}`, undefined],
      ['POST', 'test', (t) => `${providersPath(t.projectId)}/${t.providerId}/test`, {}],
      [
        'GET',
        'list models',
        (t) => `${providersPath(t.projectId)}/${t.providerId}/models`,
        undefined,
      ],
      [
        'POST',
        'add a model',
        (t) => `${providersPath(t.projectId)}/${t.providerId}/models`,
        { name: 'intruder' },
      ],
      [
        'DELETE',
        'remove a model',
        (t) => `${providersPath(t.projectId)}/${t.providerId}/models/${t.modelId}`,
        undefined,
      ],
    ];
    const target = (projectId: string, provider: CustomProviderResponseDto): Target => ({
      projectId,
      providerId: provider.id,
      modelId: provider.models[0]!.id,
    });

    async function expectUntouched(): Promise<void> {
      for (const provider of [ownProvider, siblingProvider, foreignProvider]) {
        const response = await get(provider);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(provider);
      }
      expect(upstream.requests).toEqual([]);
    }

    it('lets an admin key of the organization read its provider', async () => {
      const response = await call('GET', providerPath(ownProvider), { token: ownAdminKey.key });
      expect(response.status).toBe(200);
      expect(response.body).toEqual(ownProvider);
    });

    it.each(providerCalls)(
      '%s (%s) with an admin key of another organization answers 404 project_not_found',
      async (method, _label, path, body) => {
        const response = await call(method, path(target(own.project.id, ownProvider)), {
          token: foreignAdminKey.key,
          body,
        });
        expectApiError(response, 404, 'project_not_found', null);
        await expectUntouched();
      },
    );

    it.each([
      ['GET', 'list', undefined],
      ['POST', 'create', { name: 'intruder', baseUrl: 'http://127.0.0.1:1/v1', format: 'openai' }],
    ])(
      '%s providers (%s) with an admin key of another organization answers 404',
      async (method, _label, body) => {
        const response = await call(method, providersPath(own.project.id), {
          token: foreignAdminKey.key,
          body,
        });
        expectApiError(response, 404, 'project_not_found', null);
      },
    );

    it('a draft test with an admin key of another organization answers 404 and connects nowhere', async () => {
      const response = await call('POST', `${providersPath(own.project.id)}/test`, {
        token: foreignAdminKey.key,
        body: { baseUrl: upstream.baseUrl, format: 'openai', model: 'fake-gpt-small' },
      });
      expectApiError(response, 404, 'project_not_found', null);
      expect(upstream.requests).toEqual([]);
    });

    it.each(providerCalls)(
      '%s (%s) with the root token on a provider of a sibling project answers 404 provider_not_found',
      async (method, _label, path, body) => {
        const response = await call(method, path(target(own.project.id, siblingProvider)), {
          body,
        });
        expectApiError(response, 404, 'provider_not_found', null);
        await expectUntouched();
      },
    );

    it.each(providerCalls)(
      "%s (%s) with the root token on another organization's provider answers 404",
      async (method, _label, path, body) => {
        const response = await call(method, path(target(own.project.id, foreignProvider)), {
          body,
        });
        expectApiError(response, 404, 'provider_not_found', null);
        await expectUntouched();
      },
    );

    it.each(providerCalls)(
      "%s (%s) with an admin key on its own project but another organization's provider answers 404",
      async (method, _label, path, body) => {
        const response = await call(method, path(target(foreignTenant.project.id, ownProvider)), {
          token: foreignAdminKey.key,
          body,
        });
        expectApiError(response, 404, 'provider_not_found', null);
        await expectUntouched();
      },
    );

    it('answers 404 for the providers of a deleted project, and deletes them', async () => {
      const project = await call<ProjectResponseDto>(
        'POST',
        `/api/v1/organizations/${own.organization.id}/projects`,
        { body: { name: 'Short-lived' } },
      );
      const doomed = await create(
        { name: 'in a deleted project', apiKey: plant(), models: [{ name: 'm' }] },
        project.body.id,
      );
      expect((await call('DELETE', `/api/v1/projects/${project.body.id}`)).status).toBe(204);

      expectApiError(await get(doomed), 404, 'project_not_found', null);
      expectApiError(await call('GET', providersPath(project.body.id)), 404, 'project_not_found');
      for (const [method, , path, body] of providerCalls) {
        const response = await call(method, path(target(own.project.id, doomed)), { body });
        expectApiError(response, 404, 'provider_not_found', null);
      }
      const dataSource = testApp.app.get(DataSource);
      const providers = await dataSource.query<unknown[]>(
        `SELECT id FROM custom_providers WHERE id = '${doomed.id}'`,
      );
      const models = await dataSource.query<unknown[]>(
        `SELECT id FROM custom_provider_models WHERE provider_id = '${doomed.id}'`,
      );
      expect([providers, models]).toEqual([[], []]);
    });
  });

  it('never writes a provider key to the logs', async () => {
    const apiKey = plant();
    const provider = await create({ name: 'Logged', apiKey, baseUrl: fake.baseUrl });
    await patch(provider, { apiKey: plant() });
    await call('POST', `${providerPath(provider)}/test`, { body: { model: 'fake-gpt-small' } });
    await call('POST', providersPath(tenant.project.id), { body: { name: '', apiKey } });
    const logs = testApp.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const key of planted) expect(logs).not.toContain(key);
  });
});
