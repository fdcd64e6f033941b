import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import type { CustomProviderResponseDto } from '../../src/providers/dto/custom-provider-response.dto';
import { createProvider, providersPath } from '../factories/provider.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeOpenAIUpstream } from '../fakes/fake-openai-upstream';
import type { FakeUpstream } from '../fakes/fake-upstream';
import { expectApiError } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';

/** The built-in OpenAI provider's key, as the operator would set OPENAI_API_KEY. */
const BUILTIN_KEY = `sk-builtin-${randomBytes(12).toString('hex')}`;

describe('data plane routing', () => {
  let testApp: TestApp;
  /** Stands in for api.openai.com (OPENAI_BASE_URL). */
  let builtin: FakeOpenAIUpstream;
  /** The custom providers' server. */
  let custom: FakeOpenAIUpstream;

  beforeAll(async () => {
    [builtin, custom] = await Promise.all([FakeOpenAIUpstream.start(), FakeOpenAIUpstream.start()]);
    testApp = await createTestApp('data-plane-routing', {
      env: { OPENAI_API_KEY: BUILTIN_KEY, OPENAI_BASE_URL: builtin.baseUrl },
    });
  });
  afterAll(() => Promise.all([testApp?.close(), builtin?.close(), custom?.close()]));

  interface Setup {
    tenant: Tenant;
    client: OpenAI;
  }

  async function newSetup(name = 'Routing'): Promise<Setup> {
    const tenant = await createTenant(testApp, name);
    const client = new OpenAI({
      apiKey: tenant.productionKey.key,
      baseURL: `${testApp.baseUrl}/v1`,
      maxRetries: 0,
    });
    return { tenant, client };
  }

  function provider(
    { tenant }: Setup,
    body: Record<string, unknown>,
  ): Promise<CustomProviderResponseDto> {
    return createProvider(testApp, tenant.project.id, { baseUrl: custom.baseUrl, ...body });
  }

  /** Sends a chat completion for `model`; returns the model the upstream got and the provider header. */
  async function route(
    client: OpenAI,
    model: string,
    upstream: FakeUpstream = custom,
  ): Promise<{ upstreamModel: unknown; providerHeader: string | null }> {
    const before = upstream.requests.length;
    const { response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const received = upstream.requests.slice(before);
    expect(received).toHaveLength(1);
    const providerHeader = response.headers.get('x-switchyard-provider');
    for (const fake of [custom, builtin]) {
      expect(providerHeader ?? '').not.toContain(fake.origin);
      expect(providerHeader ?? '').not.toContain('127.0.0.1');
    }
    return { upstreamModel: (received[0]?.body as { model?: unknown }).model, providerHeader };
  }

  async function listedIds(client: OpenAI): Promise<string[]> {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return ids;
  }

  async function expectModelNotFound(setup: Setup, model: string): Promise<string> {
    const response = await requestJson(testApp.baseUrl, 'POST', '/v1/chat/completions', {
      token: setup.tenant.productionKey.key,
      body: { model, messages: [{ role: 'user', content: 'hello' }] },
    });
    const error = expectApiError(response, 404, 'model_not_found', 'model');
    // The SDK sees the same as a typed error.
    await expect(
      setup.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    return error.message;
  }

  it('sends the registered upstreamName for an exact model name (tier 1)', async () => {
    const setup = await newSetup();
    const local = await provider(setup, {
      name: 'Local',
      models: [{ name: 'llama-fast', upstreamName: 'llama3.1:8b-instruct' }, { name: 'qwen' }],
    });

    await expect(route(setup.client, 'llama-fast')).resolves.toEqual({
      upstreamModel: 'llama3.1:8b-instruct',
      providerHeader: `custom:${local.id}`,
    });
    await expect(route(setup.client, 'qwen')).resolves.toEqual({
      upstreamModel: 'qwen',
      providerHeader: `custom:${local.id}`,
    });
  });

  it("sends the first registered model for a provider name, or the provider's name when it has none (tier 2)", async () => {
    const setup = await newSetup();
    const withModels = await provider(setup, {
      name: 'Ollama',
      models: [{ name: 'first', upstreamName: 'first-upstream' }, { name: 'second' }],
    });
    const bare = await provider(setup, { name: 'mistral-7b' });

    await expect(route(setup.client, 'Ollama')).resolves.toEqual({
      upstreamModel: 'first-upstream',
      providerHeader: `custom:${withModels.id}`,
    });
    await expect(route(setup.client, 'mistral-7b')).resolves.toEqual({
      upstreamModel: 'mistral-7b',
      providerHeader: `custom:${bare.id}`,
    });
  });

  it('sends the part after the slash for Provider/suffix (tier 3)', async () => {
    const setup = await newSetup();
    const local = await provider(setup, { name: 'vLLM', models: [{ name: 'registered' }] });

    await expect(route(setup.client, 'vLLM/meta-llama/Llama-3.1-8B')).resolves.toEqual({
      upstreamModel: 'meta-llama/Llama-3.1-8B',
      providerHeader: `custom:${local.id}`,
    });
  });

  it('matches model and provider names case-insensitively, passing the suffix as given', async () => {
    const setup = await newSetup();
    await provider(setup, {
      name: 'LM Studio',
      models: [{ name: 'Phi-3', upstreamName: 'phi-3-mini-4k' }],
    });

    expect((await route(setup.client, 'PHI-3')).upstreamModel).toBe('phi-3-mini-4k');
    expect((await route(setup.client, 'lm studio')).upstreamModel).toBe('phi-3-mini-4k');
    expect((await route(setup.client, 'lm STUDIO/Gemma-2B-It')).upstreamModel).toBe('Gemma-2B-It');
  });

  it('routes a built-in model name to the built-in provider even when a custom provider registers it', async () => {
    const setup = await newSetup();
    await provider(setup, {
      name: 'Shadow',
      models: [{ name: 'gpt-4o', upstreamName: 'shadow-model' }, { name: 'shadow-only' }],
    });
    const customBefore = custom.requests.length;

    for (const model of ['gpt-4o', 'GPT-4o']) {
      const routed = await route(setup.client, model, builtin);
      expect(routed).toEqual({ upstreamModel: 'gpt-4o', providerHeader: 'openai' });
      expect(builtin.requests.at(-1)?.headers.authorization).toBe(`Bearer ${BUILTIN_KEY}`);
    }
    expect(custom.requests.length).toBe(customBefore);
    // The provider's other models still route to it.
    expect((await route(setup.client, 'shadow-only')).upstreamModel).toBe('shadow-only');
  });

  it('sends embeddings for a built-in embedding model to the built-in provider', async () => {
    const setup = await newSetup();
    const before = builtin.requestsTo('POST /embeddings').length;

    const { data, response } = await setup.client.embeddings
      .create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(data.data).toHaveLength(1);
    const sent = builtin.requestsTo('POST /embeddings').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${BUILTIN_KEY}`);
    expect((sent[0]?.body as { model?: unknown }).model).toBe('text-embedding-3-small');
  });

  it('answers 404 model_not_found naming the provider when the provider is inactive', async () => {
    const setup = await newSetup();
    await provider(setup, { name: 'Sleepy', isActive: false, models: [{ name: 'dozer' }] });
    const before = custom.requests.length;

    expect(await expectModelNotFound(setup, 'dozer')).toContain(
      "provider 'Sleepy' has a model named 'dozer' but is inactive",
    );
    expect(await expectModelNotFound(setup, 'sleepy')).toContain("provider 'sleepy' is inactive");
    expect(await expectModelNotFound(setup, 'Sleepy/anything')).toContain(
      `provider 'Sleepy' (before the "/") is inactive`,
    );
    expect(custom.requests.length).toBe(before);
  });

  it('answers 404 model_not_found listing every check that failed for an unknown model', async () => {
    const setup = await newSetup();
    await provider(setup, { name: 'Known', models: [{ name: 'known-model' }] });

    const message = await expectModelNotFound(setup, 'nowhere/model-x');
    expect(message).toContain("The model 'nowhere/model-x' does not exist");
    expect(message).toContain('it is not a built-in model');
    expect(message).toContain("no active provider has a model named 'nowhere/model-x'");
    expect(message).toContain("no active provider is named 'nowhere/model-x'");
    expect(message).toContain(`no active provider is named 'nowhere' (the part before the "/")`);

    // A built-in model whose provider is not configured says so.
    expect(await expectModelNotFound(setup, 'claude-haiku-4-5')).toContain(
      "'claude-haiku-4-5' is a built-in anthropic model, but ANTHROPIC_API_KEY is not set",
    );
  });

  it('applies a provider change to the very next request', async () => {
    const setup = await newSetup();
    const changing = await provider(setup, { name: 'Changing', models: [{ name: 'm-one' }] });
    const path = `${providersPath(setup.tenant.project.id)}/${changing.id}`;
    const admin = { token: testApp.adminToken };
    expect((await route(setup.client, 'm-one')).upstreamModel).toBe('m-one');
    expect(await listedIds(setup.client)).toContain('m-one');

    const deactivated = await requestJson(testApp.baseUrl, 'PATCH', path, {
      ...admin,
      body: { isActive: false },
    });
    expect(deactivated.status).toBe(200);
    await expectModelNotFound(setup, 'm-one');
    expect(await listedIds(setup.client)).not.toContain('m-one');

    const reactivated = await requestJson(testApp.baseUrl, 'PATCH', path, {
      ...admin,
      body: { isActive: true },
    });
    expect(reactivated.status).toBe(200);
    const added = await requestJson(testApp.baseUrl, 'POST', `${path}/models`, {
      ...admin,
      body: { name: 'm-two', upstreamName: 'm-two-upstream' },
    });
    expect(added.status).toBe(201);
    expect((await route(setup.client, 'm-two')).upstreamModel).toBe('m-two-upstream');
    expect((await route(setup.client, 'm-one')).upstreamModel).toBe('m-one');
    expect(await listedIds(setup.client)).toEqual(expect.arrayContaining(['m-one', 'm-two']));
  });

  it('lists configured built-in models and the active custom models and provider names', async () => {
    const setup = await newSetup();
    const active = await provider(setup, {
      name: 'Listed',
      models: [
        { name: 'listed-a' },
        { name: 'listed-b', upstreamName: 'b-upstream' },
        { name: 'gpt-4o' },
      ],
    });
    await provider(setup, { name: 'Hidden', isActive: false, models: [{ name: 'hidden-a' }] });

    const models: OpenAI.Models.Model[] = [];
    for await (const model of setup.client.models.list()) models.push(model);
    const ids = models.map((model) => model.id);
    const owner = (id: string): string[] =>
      models.filter((model) => model.id === id).map((model) => model.owned_by);

    expect(owner('gpt-4o')).toEqual(['openai']); // listed once, as the built-in it routes to
    expect(owner('text-embedding-3-small')).toEqual(['openai']);
    expect(ids.some((id) => id.startsWith('claude'))).toBe(false); // ANTHROPIC_API_KEY not set
    for (const id of ['listed-a', 'listed-b', 'Listed'])
      expect(owner(id)).toEqual([`custom:${active.id}`]);
    expect(ids).not.toContain('b-upstream');
    expect(ids).not.toContain('hidden-a');
    expect(ids).not.toContain('Hidden');
    for (const model of models) expect(model.object).toBe('model');
  });

  it("never routes to or lists another project's providers", async () => {
    const mine = await newSetup('Mine');
    const theirs = await newSetup('Theirs');
    const theirProvider = await provider(theirs, {
      name: 'Private',
      models: [{ name: 'their-model' }],
    });
    const myProvider = await provider(mine, {
      name: 'Private',
      models: [{ name: 'my-model', upstreamName: 'mine-upstream' }],
    });

    await expectModelNotFound(mine, 'their-model');
    await expect(route(mine.client, 'Private')).resolves.toEqual({
      upstreamModel: 'mine-upstream',
      providerHeader: `custom:${myProvider.id}`,
    });
    await expect(route(theirs.client, 'Private')).resolves.toEqual({
      upstreamModel: 'their-model',
      providerHeader: `custom:${theirProvider.id}`,
    });

    const listed: OpenAI.Models.Model[] = [];
    for await (const model of mine.client.models.list()) listed.push(model);
    expect(listed.map((model) => model.id)).not.toContain('their-model');
    expect(listed.map((model) => model.owned_by)).not.toContain(`custom:${theirProvider.id}`);
  });
});
