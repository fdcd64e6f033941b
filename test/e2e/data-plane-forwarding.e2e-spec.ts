// Over ~400 lines on purpose: every forwarding behaviour of the data plane (chat both ways, streaming,
// /v1/messages, embeddings, upstream failures) against both provider formats, sharing one app and helpers.
import Anthropic from '@anthropic-ai/sdk';
import type { ErrorBody } from '../../src/common/errors/error-body';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createProvider } from '../factories/provider.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeAnthropicUpstream } from '../fakes/fake-anthropic-upstream';
import { FAKE_EMBEDDING_DIMENSIONS, FakeOpenAIUpstream } from '../fakes/fake-openai-upstream';
import type { FakeContent, FakeUpstream, RecordedRequest } from '../fakes/fake-upstream';
import { expectApiError, REQUEST_ID_PATTERN } from '../support/api-error';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { expectEventually } from '../support/eventually';
import { requestJson, type JsonResponse } from '../support/http';

type Format = 'openai' | 'anthropic';

interface FormatCase {
  format: Format;
  chatEndpoint: string;
  /** The auth headers an upstream request carries for `key` (null: no key); undefined: absent. */
  authHeaders: (key: string | null) => Record<string, string | undefined>;
  /** What a streamed chat request carries upstream as `stream_options`. */
  upstreamStreamOptions: unknown;
}

const FORMATS: FormatCase[] = [
  {
    format: 'openai',
    chatEndpoint: 'POST /chat/completions',
    authHeaders: (key) => ({
      authorization: key === null ? undefined : `Bearer ${key}`,
      'x-api-key': undefined,
      'anthropic-version': undefined,
    }),
    upstreamStreamOptions: { include_usage: true },
  },
  {
    format: 'anthropic',
    chatEndpoint: 'POST /messages',
    authHeaders: (key) => ({
      'x-api-key': key ?? undefined,
      'anthropic-version': '2023-06-01',
      authorization: undefined,
    }),
    upstreamStreamOptions: undefined,
  },
];

function pickHeaders(
  headers: IncomingHttpHeaders,
  like: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.keys(like).map((name) => [name, headers[name]]));
}

/** The model name clients use, and what the provider registers it as upstream. */
const MODEL = 'target';
const UPSTREAM_MODEL = 'upstream-target';

const TEXT_AND_TOOLS: FakeContent = {
  text: 'Let me look that up for you.',
  toolCalls: [
    { id: 'call_weather_01', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
    { id: 'call_time_02', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
  ],
};

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
  {
    type: 'function',
    function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
  },
];

const ANTHROPIC_TOOLS: Anthropic.Messages.Tool[] = TOOLS.map((tool) => ({
  name: tool.type === 'function' ? tool.function.name : 'unknown',
  input_schema: { type: 'object', properties: {} },
}));

const USER_MESSAGE = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

interface Arranged {
  fake: FakeUpstream;
  tenant: Tenant;
  key: string;
  providerId: string;
  openai: OpenAI;
  anthropic: Anthropic;
}

interface RawStream {
  status: number;
  headers: Headers;
  /** The `data:` payload of each event, in order. */
  data: string[];
  text: string;
}

describe('data plane forwarding', () => {
  let testApp: TestApp;
  const fakes: FakeUpstream[] = [];

  beforeAll(async () => {
    testApp = await createTestApp('data-plane-forwarding');
  });
  afterAll(() => testApp?.close());
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  async function startFake(format: Format, content?: FakeContent): Promise<FakeUpstream> {
    const fake =
      format === 'openai'
        ? await FakeOpenAIUpstream.start({ content })
        : await FakeAnthropicUpstream.start({ content });
    fakes.push(fake);
    return fake;
  }

  /** A tenant, a provider of `format` serving MODEL on a fresh fake, and both SDK clients. */
  async function arrange(
    format: Format,
    options: { apiKey?: string; content?: FakeContent; app?: TestApp; baseUrl?: string } = {},
  ): Promise<Arranged> {
    const app = options.app ?? testApp;
    const fake = await startFake(format, options.content ?? TEXT_AND_TOOLS);
    const tenant = await createTenant(app, 'Forwarding');
    const provider = await createProvider(app, tenant.project.id, {
      name: `${format}-provider`,
      format,
      baseUrl: options.baseUrl ?? fake.baseUrl,
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      models: [{ name: MODEL, upstreamName: UPSTREAM_MODEL }],
    });
    const key = tenant.productionKey.key;
    return {
      fake,
      tenant,
      key,
      providerId: provider.id,
      openai: new OpenAI({ apiKey: key, baseURL: `${app.baseUrl}/v1`, maxRetries: 0 }),
      anthropic: new Anthropic({ apiKey: key, baseURL: app.baseUrl, maxRetries: 0 }),
    };
  }

  function chatBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { model: MODEL, messages: USER_MESSAGE, ...extra };
  }

  function postChat(arranged: Arranged, body: Record<string, unknown>, app = testApp) {
    return requestJson(app.baseUrl, 'POST', '/v1/chat/completions', { token: arranged.key, body });
  }

  /** A streamed answer read whole with fetch, to see the exact events the gateway sent. */
  async function rawStream(arranged: Arranged, body: Record<string, unknown>): Promise<RawStream> {
    const response = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${arranged.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    const text = await response.text();
    expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
    expect(response.headers.get('x-switchyard-provider')).toMatch(/^custom:/);
    const data = text
      .split('\n\n')
      .filter((event) => event.trim() !== '')
      .map((event) => /^data: (.*)$/m.exec(event)?.[1] ?? '');
    return { status: response.status, headers: response.headers, data, text };
  }

  /** An error about the upstream: OpenAI's shape, and it says which provider failed (by id, never by address). */
  function expectUpstreamError(
    response: JsonResponse,
    arranged: Arranged,
    status: number,
    code: string,
  ): ErrorBody['error'] {
    const error = expectApiError(response, status, code);
    expect(response.headers.get('x-switchyard-provider')).toBe(`custom:${arranged.providerId}`);
    return error;
  }

  function lastRequest(fake: FakeUpstream, endpoint: string): RecordedRequest {
    const request = fake.requestsTo(endpoint).at(-1);
    if (!request) throw new Error(`The fake received no ${endpoint}`);
    return request;
  }

  function upstreamBody(fake: FakeUpstream, endpoint: string): Record<string, unknown> {
    return lastRequest(fake, endpoint).body as Record<string, unknown>;
  }

  describe.each(FORMATS)('chat completions against an $format-format provider', (formatCase) => {
    const { format, chatEndpoint } = formatCase;

    it('answers text and tool calls without streaming', async () => {
      const arranged = await arrange(format);
      const { data: completion, response } = await arranged.openai.chat.completions
        .create({ model: MODEL, messages: USER_MESSAGE, tools: TOOLS })
        .withResponse();

      expect(response.headers.get('x-switchyard-provider')).toBe(`custom:${arranged.providerId}`);
      expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
      expect(upstreamBody(arranged.fake, chatEndpoint).model).toBe(UPSTREAM_MODEL);
      const choice = completion.choices[0];
      expect(choice?.finish_reason).toBe('tool_calls');
      expect(choice?.message.content).toBe(TEXT_AND_TOOLS.text);
      expect(choice?.message.tool_calls).toEqual(
        TEXT_AND_TOOLS.toolCalls?.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      );
      expect(completion.usage?.prompt_tokens).toBe(6);
      expect(completion.usage?.completion_tokens).toBe(7);
    });

    it('streams text and tool-call deltas that the SDK reassembles into the non-streamed result', async () => {
      const arranged = await arrange(format);
      const plain = await arranged.openai.chat.completions.create({
        model: MODEL,
        messages: USER_MESSAGE,
        tools: TOOLS,
      });
      const streamed = await arranged.openai.chat.completions
        .stream({ model: MODEL, messages: USER_MESSAGE, tools: TOOLS })
        .finalChatCompletion();

      expect(upstreamBody(arranged.fake, chatEndpoint).stream).toBe(true);
      const pick = (completion: OpenAI.Chat.Completions.ChatCompletion) => ({
        content: completion.choices[0]?.message.content,
        tool_calls: completion.choices[0]?.message.tool_calls,
        finish_reason: completion.choices[0]?.finish_reason,
      });
      expect(pick(streamed)).toEqual(pick(plain));
      expect(streamed.choices[0]?.message.tool_calls).toHaveLength(2);
    });

    it('sends the usage chunk when the client asks for it, and only then', async () => {
      const arranged = await arrange(format, { content: { text: 'three little words' } });
      const plain = await arranged.openai.chat.completions.create({
        model: MODEL,
        messages: USER_MESSAGE,
      });

      const withUsage = await rawStream(
        arranged,
        chatBody({ stream_options: { include_usage: true } }),
      );
      expect(withUsage.status).toBe(200);
      expect(withUsage.data.at(-1)).toBe('[DONE]');
      const usageChunk = JSON.parse(withUsage.data.at(-2) ?? 'null') as {
        choices: unknown[];
        usage: OpenAI.Completions.CompletionUsage;
      };
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage).toMatchObject({
        prompt_tokens: plain.usage?.prompt_tokens,
        completion_tokens: plain.usage?.completion_tokens,
        total_tokens: plain.usage?.total_tokens,
      });

      const withoutUsage = await rawStream(arranged, chatBody());
      expect(withoutUsage.data.at(-1)).toBe('[DONE]');
      expect(withoutUsage.text).not.toContain('"usage"');
      // Asked upstream either way (OpenAI format), so accounting always knows the usage.
      expect(upstreamBody(arranged.fake, chatEndpoint).stream_options).toEqual(
        formatCase.upstreamStreamOptions,
      );
    });

    it("sends the decrypted provider key in the vendor's header, and none without a key", async () => {
      const upstreamKey = `sk-upstream-${randomBytes(12).toString('hex')}`;
      const keyed = await arrange(format, { apiKey: upstreamKey });
      keyed.fake.requireApiKey(upstreamKey);
      await keyed.openai.chat.completions.create({ model: MODEL, messages: USER_MESSAGE });
      const keyedHeaders = lastRequest(keyed.fake, chatEndpoint).headers;

      const keyless = await arrange(format);
      await keyless.openai.chat.completions.create({ model: MODEL, messages: USER_MESSAGE });
      const keylessHeaders = lastRequest(keyless.fake, chatEndpoint).headers;

      expect(pickHeaders(keyedHeaders, formatCase.authHeaders(upstreamKey))).toEqual(
        formatCase.authHeaders(upstreamKey),
      );
      expect(pickHeaders(keylessHeaders, formatCase.authHeaders(null))).toEqual(
        formatCase.authHeaders(null),
      );
      // The gateway key never goes upstream.
      const sent = JSON.stringify([keyedHeaders, keylessHeaders]);
      expect(sent).not.toContain(keyed.key);
      expect(sent).not.toContain(keyless.key);
    });

    it("passes an upstream 401 on with the provider's message but never its key", async () => {
      const upstreamKey = `sk-wrong-${randomBytes(12).toString('hex')}`;
      const arranged = await arrange(format, { apiKey: upstreamKey });
      arranged.fake.requireApiKey('sk-the-right-one');

      const response = await postChat(arranged, chatBody());
      const error = expectUpstreamError(
        response,
        arranged,
        502,
        format === 'openai' ? 'invalid_api_key' : 'upstream_error',
      );
      expect(error.type).toBe('authentication_error');
      expect(error.message).toContain('Incorrect API key provided');
      expect(response.text).not.toContain(upstreamKey);
      expect(response.text).not.toContain(upstreamKey.slice(0, -4));
      expect(arranged.fake.requestsTo(chatEndpoint)).toHaveLength(1); // a 4xx is not retried
    });

    it('answers 429 with the upstream message after retrying an upstream 429', async () => {
      const arranged = await arrange(format);
      arranged.fake.failNext(429, { times: 3, message: 'Slow down, please' });

      const error = expectUpstreamError(
        await postChat(arranged, chatBody()),
        arranged,
        429,
        format === 'openai' ? 'rate_limit_exceeded' : 'upstream_rate_limited',
      );
      expect(error.type).toBe('rate_limit_error');
      expect(error.message).toContain('Slow down, please');
      expect(arranged.fake.requestsTo(chatEndpoint)).toHaveLength(3);
    });

    it('answers 502 after retrying an upstream 500', async () => {
      const arranged = await arrange(format);
      arranged.fake.failNext(500, { times: 3, message: 'Kaboom inside the model server' });

      const error = expectUpstreamError(
        await postChat(arranged, chatBody()),
        arranged,
        502,
        'upstream_error',
      );
      expect(error.message).toContain('Kaboom inside the model server');
      expect(arranged.fake.requestsTo(chatEndpoint)).toHaveLength(3);
    });

    it('retries once after a 503 and answers 200', async () => {
      const arranged = await arrange(format);
      arranged.fake.failNext(503, { times: 1 });

      const { response } = await arranged.openai.chat.completions
        .create({ model: MODEL, messages: USER_MESSAGE })
        .withResponse();
      expect(response.status).toBe(200);
      expect(arranged.fake.requestsTo(chatEndpoint)).toHaveLength(2);
    });

    it('does not retry after an upstream 400 and passes its message on', async () => {
      const arranged = await arrange(format);
      arranged.fake.failNext(400, { times: 1, message: 'temperature is out of range' });

      const response = await postChat(arranged, chatBody());
      const error = expectUpstreamError(response, arranged, 400, 'upstream_error');
      expect(error.message).toContain('temperature is out of range');
      expect(arranged.fake.requestsTo(chatEndpoint)).toHaveLength(1);
    });

    it('ends a stream cut mid-way with an error event and no [DONE]', async () => {
      const arranged = await arrange(format);
      // OpenAI: the role chunk and a text fragment; Anthropic: message_start, the block start and a delta.
      const before = format === 'openai' ? 2 : 3;

      arranged.fake.cutNextStreamAfter(before);
      const sdkStream = await arranged.openai.chat.completions.create({
        model: MODEL,
        messages: USER_MESSAGE,
        stream: true,
      });
      const seen: string[] = [];
      await expect(
        (async () => {
          for await (const chunk of sdkStream) seen.push(chunk.choices[0]?.delta.content ?? '');
        })(),
      ).rejects.toThrow();
      expect(seen.join('')).not.toBe(TEXT_AND_TOOLS.text);

      arranged.fake.cutNextStreamAfter(before);
      const raw = await rawStream(arranged, chatBody());
      expect(raw.status).toBe(200);
      expect(raw.data).not.toContain('[DONE]');
      const last = JSON.parse(raw.data.at(-1) ?? 'null') as { error?: { message?: string } };
      expect(last.error?.message).toEqual(expect.any(String));
      expect(raw.data.length).toBeGreaterThan(1); // what came before the cut was relayed
    });

    it('closes the upstream request when the client aborts a stream', async () => {
      const arranged = await arrange(format);
      arranged.fake.stallNextStreamAfter(format === 'openai' ? 2 : 3);
      const abort = new AbortController();
      const response = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${arranged.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(chatBody({ stream: true })),
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value as Uint8Array)).toContain('data: ');
      const upstreamRequest = lastRequest(arranged.fake, chatEndpoint);
      expect(upstreamRequest.closedByClient).toBe(false);

      abort.abort();
      await expect(reader.read()).rejects.toThrow();
      await expectEventually(() => expect(upstreamRequest.closedByClient).toBe(true));
    });
  });

  it('closes the upstream request when the client leaves before a non-streamed answer', async () => {
    const arranged = await arrange('openai');
    arranged.fake.hang();
    const abort = new AbortController();
    const pending = fetch(`${testApp.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${arranged.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chatBody()),
      signal: abort.signal,
    });
    await expectEventually(() => expect(arranged.fake.requests).toHaveLength(1));
    const upstreamRequest = arranged.fake.requests[0]!;
    expect(upstreamRequest.closedByClient).toBe(false);

    abort.abort();
    await expect(pending).rejects.toThrow();
    await expectEventually(() => expect(upstreamRequest.closedByClient).toBe(true));
    expect(arranged.fake.requests).toHaveLength(1); // not retried
  });

  it('preserves unknown request fields upstream for an OpenAI-format provider', async () => {
    const arranged = await arrange('openai');
    const extra = {
      seed: 7,
      logit_bias: { '50256': -100 },
      vendor_extension: { top_k: 40, mirostat: 2 },
    };
    const response = await postChat(arranged, chatBody(extra));
    expect(response.status).toBe(200);
    expect(upstreamBody(arranged.fake, 'POST /chat/completions')).toEqual({
      model: UPSTREAM_MODEL,
      messages: USER_MESSAGE,
      ...extra,
    });
  });

  describe.each(FORMATS)(
    '/v1/messages against an $format-format provider',
    ({ format, chatEndpoint }) => {
      it('answers create and stream().finalMessage() with the same content', async () => {
        const arranged = await arrange(format);
        const request = {
          model: MODEL,
          max_tokens: 256,
          messages: USER_MESSAGE,
          tools: ANTHROPIC_TOOLS,
        };
        const created = await arranged.anthropic.messages.create(request);
        expect(upstreamBody(arranged.fake, chatEndpoint).model).toBe(UPSTREAM_MODEL);
        const streamed = await arranged.anthropic.messages.stream(request).finalMessage();
        expect(upstreamBody(arranged.fake, chatEndpoint).stream).toBe(true);

        const expected = [
          { type: 'text', text: TEXT_AND_TOOLS.text },
          ...(TEXT_AND_TOOLS.toolCalls ?? []).map((call) => ({
            type: 'tool_use',
            id: call.id,
            name: call.name,
            input: JSON.parse(call.arguments) as unknown,
          })),
        ];
        for (const message of [created, streamed]) {
          expect(message.role).toBe('assistant');
          expect(message.stop_reason).toBe('tool_use');
          expect(message.content).toMatchObject(expected);
          expect(message.usage.output_tokens).toBe(7);
        }
      });

      it('raises an error in the SDK when the upstream stream is cut', async () => {
        const arranged = await arrange(format);
        arranged.fake.cutNextStreamAfter(3);
        await expect(
          arranged.anthropic.messages
            .stream({ model: MODEL, max_tokens: 256, messages: USER_MESSAGE })
            .finalMessage(),
        ).rejects.toThrow();

        arranged.fake.cutNextStreamAfter(3);
        const response = await fetch(`${testApp.baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': arranged.key, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: MODEL,
            max_tokens: 256,
            messages: USER_MESSAGE,
            stream: true,
          }),
        });
        const text = await response.text();
        expect(text).toContain('event: error');
        expect(text).not.toContain('message_stop');
      });

      it("answers errors in Anthropic's envelope", async () => {
        const arranged = await arrange(format);
        const unknown = await requestJson(testApp.baseUrl, 'POST', '/v1/messages', {
          headers: { 'x-api-key': arranged.key, 'anthropic-version': '2023-06-01' },
          body: { model: 'no-such-model', max_tokens: 10, messages: USER_MESSAGE },
        });
        expect(unknown.status).toBe(404);
        expect(unknown.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
        expect(unknown.body).toEqual({
          type: 'error',
          error: {
            type: 'not_found_error',
            message: expect.stringContaining('no-such-model') as string,
          },
        });
        await expect(
          arranged.anthropic.messages.create({
            model: 'no-such-model',
            max_tokens: 10,
            messages: USER_MESSAGE,
          }),
        ).rejects.toBeInstanceOf(Anthropic.NotFoundError);

        arranged.fake.failNext(429, { times: 3, message: 'Upstream is busy' });
        const limited = await requestJson(testApp.baseUrl, 'POST', '/v1/messages', {
          headers: { 'x-api-key': arranged.key },
          body: { model: MODEL, max_tokens: 10, messages: USER_MESSAGE },
        });
        expect(limited.status).toBe(429);
        expect(limited.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
        expect(limited.body).toEqual({
          type: 'error',
          error: {
            type: 'rate_limit_error',
            message: expect.stringContaining('Upstream is busy') as string,
          },
        });
      });
    },
  );

  describe('embeddings', () => {
    it('forwards to an OpenAI-format provider, as floats and as base64', async () => {
      const arranged = await arrange('openai');
      const expected = (index: number) =>
        Array.from({ length: FAKE_EMBEDDING_DIMENSIONS }, (_, k) => (index + 1) * 0.25 + k);

      const floats = await arranged.openai.embeddings.create({
        model: MODEL,
        input: ['first text', 'second text'],
        encoding_format: 'float',
      });
      expect(upstreamBody(arranged.fake, 'POST /embeddings')).toMatchObject({
        model: UPSTREAM_MODEL,
        input: ['first text', 'second text'],
      });
      expect(floats.data.map((item) => item.embedding)).toEqual([expected(0), expected(1)]);
      expect(floats.usage.prompt_tokens).toBe(4);

      // The SDK asks for base64 by default and decodes it.
      const decoded = await arranged.openai.embeddings.create({ model: MODEL, input: 'one' });
      expect(upstreamBody(arranged.fake, 'POST /embeddings').encoding_format).toBe('base64');
      expect(decoded.data[0]?.embedding).toEqual(expected(0));
    });

    it('answers 400 embeddings_unsupported for an Anthropic-format provider', async () => {
      const arranged = await arrange('anthropic');
      const response = await requestJson(testApp.baseUrl, 'POST', '/v1/embeddings', {
        token: arranged.key,
        body: { model: MODEL, input: 'hello' },
      });
      expectApiError(response, 400, 'embeddings_unsupported', 'model');
      expect(arranged.fake.requests).toHaveLength(0);
    });
  });

  describe('unreachable and slow upstreams', () => {
    let slowApp: TestApp;

    beforeAll(async () => {
      slowApp = await createTestApp('data-plane-timeout', {
        env: { UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '300' },
      });
    });
    afterAll(() => slowApp?.close());

    it('answers 504 upstream_timeout when the upstream does not answer in time', async () => {
      const arranged = await arrange('openai', { app: slowApp });
      arranged.fake.hang();
      const error = expectUpstreamError(
        await postChat(arranged, chatBody(), slowApp),
        arranged,
        504,
        'upstream_timeout',
      );
      expect(error.message).not.toContain(arranged.fake.origin);
    });

    it('answers 502 upstream_unreachable when nothing listens at the address', async () => {
      const port = await closedPort();
      const arranged = await arrange('openai', { baseUrl: `http://127.0.0.1:${port}/v1` });
      const response = await postChat(arranged, chatBody());
      const error = expectUpstreamError(response, arranged, 502, 'upstream_unreachable');
      expect(response.text).not.toContain(String(port));
      expect(error.message).not.toContain('127.0.0.1');
    });
  });
});

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
