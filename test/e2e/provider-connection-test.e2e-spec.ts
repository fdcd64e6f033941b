// Over ~400 lines on purpose: one table of cases per format, each run as a draft and as a saved
// provider, against four apps that differ only in their upstream policy and timeout.
import { randomBytes } from 'node:crypto';
import type { AuditLogListResponseDto } from '../../src/audit/dto/audit-log-response.dto';
import type {
  CustomProviderListResponseDto,
  CustomProviderResponseDto,
} from '../../src/providers/dto/custom-provider-response.dto';
import type { ConnectionTestResultDto } from '../../src/providers/dto/test-connection.dto';
import { createProvider, providersPath } from '../factories/provider.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream';
import { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream';
import type { FakeUpstream, RecordedRequest } from '../fakes/fake-upstream';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson, type JsonResponse } from '../support/http';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ANTHROPIC_VERSION = '2023-06-01';

type Format = 'openai' | 'anthropic';

interface FormatCase {
  format: Format;
  start: () => Promise<FakeUpstream & { models: string[] | null }>;
  chatEndpoint: string;
  /** The auth headers an upstream request carries for `key` (null: no key); undefined: absent. */
  authHeaders: (key: string | null) => Record<string, string | undefined>;
  /** A 200 body in the other format. */
  otherFormatBody: unknown;
}

const FORMATS: FormatCase[] = [
  {
    format: 'openai',
    start: () => FakeOpenAIUpstream.start(),
    chatEndpoint: 'POST /chat/completions',
    authHeaders: (key) => ({
      authorization: key === null ? undefined : `Bearer ${key}`,
      'x-api-key': undefined,
    }),
    otherFormatBody: { type: 'message', content: [{ type: 'text', text: 'OK' }] },
  },
  {
    format: 'anthropic',
    start: () => FakeAnthropicUpstream.start(),
    chatEndpoint: 'POST /messages',
    authHeaders: (key) => ({
      'x-api-key': key ?? undefined,
      'anthropic-version': ANTHROPIC_VERSION,
      authorization: undefined,
    }),
    otherFormatBody: { object: 'chat.completion', choices: [{ message: { content: 'OK' } }] },
  },
];

function expectAuth(format: FormatCase, request: RecordedRequest | undefined, key: string | null) {
  expect(request).toBeDefined();
  const expected = format.authHeaders(key);
  const sent = Object.fromEntries(
    Object.keys(expected).map((name) => [name, request?.headers[name]]),
  );
  expect(sent).toEqual(expected);
}

describe('provider connection tests', () => {
  /** Every fake a test starts; closed after each test. */
  const fakes: FakeUpstream[] = [];
  const planted: string[] = [];

  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  async function started<T extends FakeUpstream>(fake: Promise<T>): Promise<T> {
    fakes.push(await fake);
    return fakes[fakes.length - 1] as T;
  }

  function plant(label = 'upstream-key'): string {
    const key = `${label}-${randomBytes(16).toString('hex')}`;
    planted.push(key);
    return key;
  }

  /** A fresh app with its own tenant; the key check covers every answer it gives. */
  function appWith(label: string, env: Record<string, string> = {}) {
    const state = {} as { app: TestApp; tenant: Tenant };
    beforeAll(async () => {
      state.app = await createTestApp(label, { env });
      state.tenant = await createTenant(state.app, label);
    });
    afterAll(() => state.app?.close());

    const call = async <T>(method: string, path: string, body?: unknown) => {
      const response = await requestJson<T>(state.app.baseUrl, method, path, {
        token: state.app.adminToken,
        body,
      });
      for (const key of planted) expect(response.text).not.toContain(key);
      return response;
    };
    const project = () => state.tenant.project.id;
    return {
      state,
      call,
      testDraft: (body: Record<string, unknown>) =>
        call<ConnectionTestResultDto>('POST', `${providersPath(project())}/test`, body),
      testSaved: (provider: { id: string }, body: Record<string, unknown> = {}) =>
        call<ConnectionTestResultDto>(
          'POST',
          `${providersPath(project())}/${provider.id}/test`,
          body,
        ),
      save: (body: Record<string, unknown>) =>
        createProvider(state.app, project(), {
          name: `provider ${randomBytes(4).toString('hex')}`,
          ...body,
        }),
      get: (provider: { id: string }) =>
        call<CustomProviderResponseDto>('GET', `${providersPath(project())}/${provider.id}`),
    };
  }

  function expectFailure(
    response: JsonResponse<ConnectionTestResultDto>,
    status: number | null,
    error: RegExp,
  ): ConnectionTestResultDto {
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: false, status });
    expect(typeof response.body.latencyMs).toBe('number');
    expect(response.body.error).toMatch(error);
    return response.body;
  }

  describe('with the default upstream policy', () => {
    const app = appWith('connection-test');

    describe.each(FORMATS)('$format format', (format) => {
      const start = () => started(format.start());

      it('passes a draft with its key, naming the first discovered model', async () => {
        const fake = await start();
        const apiKey = plant();
        fake.requireApiKey(apiKey);
        const response = await app.testDraft({
          baseUrl: fake.baseUrl,
          format: format.format,
          apiKey,
        });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          ok: true,
          latencyMs: expect.any(Number) as unknown,
          status: 200,
          model: fake.models![0],
          error: null,
          discoveredModels: fake.models,
        });
        expect(response.body.latencyMs).toBeGreaterThanOrEqual(0);

        const [listing] = fake.requestsTo('GET /models');
        expectAuth(format, listing, apiKey);
        const chats = fake.requestsTo(format.chatEndpoint);
        expect(chats).toHaveLength(1);
        const chat = chats[0]!;
        expectAuth(format, chat, apiKey);
        expect(chat.headers['content-type']).toMatch(/^application\/json/);
        const body = chat.body as { model: string; max_tokens: number; messages: unknown[] };
        expect(body.model).toBe(fake.models![0]);
        expect(body.max_tokens).toBeGreaterThan(0);
        expect(body.max_tokens).toBeLessThanOrEqual(5);
        expect(body.messages.length).toBeGreaterThan(0);
      });

      it('passes a draft with the model it was given', async () => {
        const fake = await start();
        const response = await app.testDraft({
          baseUrl: fake.baseUrl,
          format: format.format,
          model: 'explicit-model',
        });
        expect(response.body).toMatchObject({ ok: true, model: 'explicit-model' });
        expect(fake.requestsTo(format.chatEndpoint)[0]?.body).toMatchObject({
          model: 'explicit-model',
        });
      });

      it('sends no key header for a provider without a key', async () => {
        const fake = await start();
        const response = await app.testDraft({ baseUrl: fake.baseUrl, format: format.format });
        expect(response.body.ok).toBe(true);
        expect(fake.requests.length).toBeGreaterThanOrEqual(2);
        for (const request of fake.requests) expectAuth(format, request, null);
      });

      it('tests a saved provider with its first registered model, by its upstream name', async () => {
        const fake = await start();
        const apiKey = plant();
        fake.requireApiKey(apiKey);
        const provider = await app.save({
          baseUrl: fake.baseUrl,
          format: format.format,
          apiKey,
          models: [
            { name: 'zz-alias', upstreamName: 'upstream-name-of-zz' },
            { name: 'aa-second' },
          ],
        });
        const response = await app.testSaved(provider);
        expect(response.body).toEqual({
          ok: true,
          latencyMs: expect.any(Number) as unknown,
          status: 200,
          model: 'upstream-name-of-zz',
          error: null,
          discoveredModels: fake.models,
        });
        const [chat] = fake.requestsTo(format.chatEndpoint);
        expectAuth(format, chat, apiKey);
        expect(chat!.body).toMatchObject({ model: 'upstream-name-of-zz' });
      });

      it('tests a saved provider with a given model before its registered ones', async () => {
        const fake = await start();
        const provider = await app.save({
          baseUrl: fake.baseUrl,
          format: format.format,
          models: [{ name: 'registered' }],
        });
        const response = await app.testSaved(provider, { model: 'given' });
        expect(response.body).toMatchObject({ ok: true, model: 'given' });
        expect(fake.requestsTo(format.chatEndpoint)[0]?.body).toMatchObject({ model: 'given' });
      });

      it('tests a saved provider without models with the first discovered model', async () => {
        const fake = await start();
        const provider = await app.save({ baseUrl: fake.baseUrl, format: format.format });
        const response = await app.testSaved(provider);
        expect(response.body).toMatchObject({
          ok: true,
          model: fake.models![0],
          discoveredModels: fake.models,
        });
      });

      it('says what to do when there is no model at all', async () => {
        const fake = await start();
        fake.models = null;
        const response = await app.testDraft({ baseUrl: fake.baseUrl, format: format.format });
        expect(expectFailure(response, null, /^No model to test: pass `model`/)).toMatchObject({
          model: null,
          discoveredModels: null,
        });
        expect(fake.requestsTo(format.chatEndpoint)).toEqual([]);
      });

      it('stores the last result of a saved test and shows it', async () => {
        const fake = await start();
        const provider = await app.save({
          baseUrl: fake.baseUrl,
          format: format.format,
          models: [{ name: 'm' }],
        });
        expect(provider.lastTest).toBeNull();

        const passed = (await app.testSaved(provider)).body;
        const afterPass = (await app.get(provider)).body.lastTest;
        expect(afterPass).toEqual({
          ok: true,
          latencyMs: passed.latencyMs,
          status: 200,
          error: null,
          testedAt: expect.stringMatching(ISO_DATE) as unknown,
        });

        fake.scriptNext({
          endpoint: format.chatEndpoint,
          status: 503,
          body: { error: { message: 'model is loading' } },
        });
        const failed = (await app.testSaved(provider)).body;
        expect(failed).toMatchObject({ ok: false, status: 503 });
        const afterFailure = (await app.get(provider)).body.lastTest!;
        expect(afterFailure).toEqual({
          ok: false,
          latencyMs: failed.latencyMs,
          status: 503,
          error: failed.error,
          testedAt: expect.stringMatching(ISO_DATE) as unknown,
        });
        expect(afterFailure.error).toBe('HTTP 503: the server failed (model is loading).');
        expect(Date.parse(afterFailure.testedAt)).toBeGreaterThanOrEqual(
          Date.parse(afterPass!.testedAt),
        );
        const listed = await app.call<CustomProviderListResponseDto>(
          'GET',
          providersPath(app.state.tenant.project.id),
        );
        expect(listed.body.data.find((item) => item.id === provider.id)?.lastTest).toEqual(
          afterFailure,
        );
      });

      describe('when the upstream refuses the key (and echoes it back)', () => {
        const REFUSED = /^HTTP 401: the server refused the API key \(.*\)\.$/;

        it('reports 401 for a draft without a model, from GET /models', async () => {
          const fake = await start();
          fake.requireApiKey(plant('right-key'));
          const apiKey = plant('wrong-key');
          const response = await app.testDraft({
            baseUrl: fake.baseUrl,
            format: format.format,
            apiKey,
          });
          const result = expectFailure(response, 401, REFUSED);
          expect(result.error).toContain('Incorrect API key provided');
          expect(result.error).not.toContain(apiKey);
          expect(fake.requestsTo('GET /models')[0]?.rawBody).toBe('');
          expect(fake.requestsTo(format.chatEndpoint)).toEqual([]);
        });

        it('reports 401 for a saved provider, and stores no key in the result', async () => {
          const fake = await start();
          fake.requireApiKey(plant('right-key'));
          const apiKey = plant('wrong-key');
          const provider = await app.save({
            baseUrl: fake.baseUrl,
            format: format.format,
            apiKey,
            models: [{ name: 'm' }],
          });
          const result = expectFailure(await app.testSaved(provider), 401, REFUSED);
          expect(result.error).toContain('[redacted]');
          expect(result.model).toBe('m');
          // The upstream really was sent the key and echoed it: the gateway took it out.
          const [chat] = fake.requestsTo(format.chatEndpoint);
          expectAuth(format, chat, apiKey);
          const stored = await app.get(provider);
          expect(stored.body.lastTest).toMatchObject({ ok: false, status: 401 });
        });
      });

      it('summarises a long upstream error instead of echoing it', async () => {
        const fake = await start();
        const apiKey = plant();
        fake.scriptNext({
          endpoint: format.chatEndpoint,
          status: 500,
          body: {
            error: { message: `${'stack frame '.repeat(200)}key=${apiKey}`, internal: 'dump' },
          },
        });
        const result = expectFailure(
          await app.testDraft({ baseUrl: fake.baseUrl, format: format.format, apiKey, model: 'm' }),
          500,
          /^HTTP 500: the server failed \(stack frame/,
        );
        expect(result.error!.length).toBeLessThan(400);
        expect(result.error).not.toContain('internal');
        expect(result.error).not.toContain('{');
      });

      it('reports a 200 that is not in the format, with a hint to check the format', async () => {
        const fake = await start();
        fake.scriptNext({
          endpoint: format.chatEndpoint,
          status: 200,
          body: format.otherFormatBody,
        });
        const result = expectFailure(
          await app.testDraft({ baseUrl: fake.baseUrl, format: format.format, model: 'm' }),
          200,
          new RegExp(`not in the ${format.format} format .*check the provider's format`),
        );
        expect(result.model).toBe('m');
      });

      it.each([
        ['a draft', false],
        ['a saved provider', true],
      ])('reports a refused connection for %s', async (_label, saved) => {
        const fake = await start();
        const { baseUrl } = fake;
        const port = new URL(baseUrl).port;
        await fake.close();
        fakes.splice(fakes.indexOf(fake), 1);
        const response = saved
          ? await app.testSaved(
              await app.save({ baseUrl, format: format.format, models: [{ name: 'm' }] }),
            )
          : await app.testDraft({ baseUrl, format: format.format });
        expectFailure(
          response,
          null,
          new RegExp(`^Connection refused by 127\\.0\\.0\\.1:${port}: is the server running`),
        );
      });
    });

    it('stores nothing for a draft test: no provider and no audit row', async () => {
      const fake = await started(FakeOpenAIUpstream.start());
      const tenant = await createTenant(app.state.app, 'Drafts');
      const audit = () =>
        app.call<AuditLogListResponseDto>(
          'GET',
          `/api/v1/organizations/${tenant.organization.id}/audit-logs?limit=200`,
        );
      const before = (await audit()).body.data;
      expect(before.length).toBeGreaterThan(0);

      const response = await app.call<ConnectionTestResultDto>(
        'POST',
        `${providersPath(tenant.project.id)}/test`,
        { baseUrl: fake.baseUrl, format: 'openai', apiKey: plant() },
      );
      expect(response.body.ok).toBe(true);

      const providers = await app.call<CustomProviderListResponseDto>(
        'GET',
        providersPath(tenant.project.id),
      );
      expect(providers.body.data).toEqual([]);
      expect((await audit()).body.data).toEqual(before);
    });

    describe('refusing metadata and link-local addresses', () => {
      it.each([
        ['http://169.254.169.254/v1', /'169\.254\.169\.254': 169\.254\.169\.254 is a link-local/],
        [
          'http://[::ffff:169.254.169.254]/v1',
          /\(169\.254\.169\.254\) is a link-local\/cloud-metadata address/,
        ],
        ['http://2852039166/v1', /169\.254\.169\.254 is a link-local/],
        ['http://0xa9.0xfe.0xa9.0xfe/v1', /169\.254\.169\.254 is a link-local/],
        [
          'http://metadata.google.internal/v1',
          /metadata\.google\.internal is a cloud metadata hostname/,
        ],
        ['http://[fd00:ec2::254]/v1', /is a cloud metadata address/],
        ['http://[fe80::1]/v1', /is a link-local/],
        ['http://0.0.0.0/v1', /is an unspecified address/],
      ])('refuses %s as a draft and as a saved provider', async (baseUrl, reason) => {
        const refusal = new RegExp(`^Refused to connect to upstream host .*${reason.source}`);
        expectFailure(await app.testDraft({ baseUrl, format: 'openai' }), null, refusal);
        expectFailure(
          await app.testDraft({ baseUrl, format: 'anthropic', model: 'm', apiKey: plant() }),
          null,
          refusal,
        );
        const provider = await app.save({ baseUrl, apiKey: plant(), models: [{ name: 'm' }] });
        const saved = expectFailure(await app.testSaved(provider), null, refusal);
        expect((await app.get(provider)).body.lastTest).toMatchObject({
          ok: false,
          status: null,
          error: saved.error,
        });
      });
    });
  });

  describe('with PROVIDER_TEST_TIMEOUT_MS=500', () => {
    const app = appWith('connection-timeout', { PROVIDER_TEST_TIMEOUT_MS: '500' });
    const NO_ANSWER = /^No answer within 0\.5 s: the server is slow or unreachable/;

    it.each(FORMATS)('reports no answer from a $format server that hangs', async (format) => {
      const fake = await started(format.start());
      fake.hang();
      expectFailure(
        await app.testDraft({ baseUrl: fake.baseUrl, format: format.format }),
        null,
        NO_ANSWER,
      );
      const provider = await app.save({
        baseUrl: fake.baseUrl,
        format: format.format,
        models: [{ name: 'm' }],
      });
      expectFailure(await app.testSaved(provider), null, NO_ANSWER);
      expect((await app.get(provider)).body.lastTest).toMatchObject({ ok: false, status: null });
    });

    it('reports no answer when only the test request hangs', async () => {
      const fake = await started(FakeOpenAIUpstream.start());
      fake.hang(['POST /chat/completions']);
      const result = expectFailure(
        await app.testDraft({ baseUrl: fake.baseUrl, format: 'openai' }),
        null,
        NO_ANSWER,
      );
      expect(result).toMatchObject({ model: fake.models![0], discoveredModels: fake.models });
      expect(fake.requestsTo('POST /chat/completions')).toHaveLength(1);
    });
  });

  describe('with SWITCHYARD_UPSTREAM_BLOCK_PRIVATE=true', () => {
    const app = appWith('connection-block-private', { SWITCHYARD_UPSTREAM_BLOCK_PRIVATE: 'true' });

    it.each([
      ['localhost, which resolves to 127.0.0.1', 'localhost', /127\.0\.0\.1 is a loopback address/],
      ['127.0.0.1', '127.0.0.1', /127\.0\.0\.1 is a loopback address/],
    ])('refuses %s without connecting, and says how to allow it', async (_label, host, reason) => {
      const fake = await started(FakeOpenAIUpstream.start());
      const baseUrl = fake.baseUrl.replace('127.0.0.1', host);
      for (const response of [
        await app.testDraft({ baseUrl, format: 'openai' }),
        await app.testSaved(await app.save({ baseUrl, models: [{ name: 'm' }] })),
      ]) {
        const result = expectFailure(response, null, /^Refused to connect to upstream host/);
        expect(result.error).toMatch(reason);
        expect(result.error).toContain('SWITCHYARD_UPSTREAM_ALLOW_CIDRS');
      }
      expect(fake.requests).toEqual([]);
    });
  });

  describe('with private addresses blocked but loopback allowlisted', () => {
    const app = appWith('connection-allow-cidrs', {
      SWITCHYARD_UPSTREAM_BLOCK_PRIVATE: 'true',
      SWITCHYARD_UPSTREAM_ALLOW_CIDRS: '127.0.0.0/8,::1/128',
    });

    it('reaches a server on localhost', async () => {
      const fake = await started(FakeOpenAIUpstream.start());
      const baseUrl = fake.baseUrl.replace('127.0.0.1', 'localhost');
      expect((await app.testDraft({ baseUrl, format: 'openai' })).body).toMatchObject({
        ok: true,
        status: 200,
      });
      const provider = await app.save({ baseUrl, models: [{ name: 'm' }] });
      expect((await app.testSaved(provider)).body).toMatchObject({ ok: true, status: 200 });
      expect(fake.requestsTo('POST /chat/completions')).toHaveLength(2);
    });

    it('still refuses a private address outside the allowlist', async () => {
      const result = expectFailure(
        await app.testDraft({ baseUrl: 'http://10.0.0.1:11434/v1', format: 'openai', model: 'm' }),
        null,
        /^Refused to connect to upstream host '10\.0\.0\.1': 10\.0\.0\.1 is a private address/,
      );
      expect(result.latencyMs).toBeLessThan(1000);
    });
  });
});
