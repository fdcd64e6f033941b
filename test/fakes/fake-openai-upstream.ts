import { randomUUID } from 'node:crypto';
import {
  countWords,
  FakeUpstream,
  fragments,
  sseEvent,
  type FakeAnswer,
  type FakeContent,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-upstream';

export interface FakeOpenAIOptions extends FakeUpstreamOptions {
  /** Model ids served at GET /models; null: the server has no /models endpoint (404). */
  models?: string[] | null;
  /** The assistant's text answer to every chat completion (shorthand for `content: { text }`). */
  reply?: string;
}

/** The length of the vectors POST /embeddings answers. */
export const FAKE_EMBEDDING_DIMENSIONS = 4;

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

/**
 * An OpenAI-compatible server (as Ollama, vLLM or LM Studio serve it) on 127.0.0.1:0:
 * GET {base}/models, POST {base}/chat/completions (streamed as `chat.completion.chunk` events when
 * asked, with a usage chunk when `stream_options.include_usage` is set) and POST {base}/embeddings;
 * key as `Authorization: Bearer`.
 */
export class FakeOpenAIUpstream extends FakeUpstream {
  models: string[] | null;

  private constructor(options: FakeOpenAIOptions) {
    super({
      ...options,
      content:
        options.content ?? (options.reply === undefined ? undefined : { text: options.reply }),
    });
    this.models =
      options.models === undefined ? ['fake-gpt-small', 'fake-gpt-large'] : options.models;
  }

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIUpstream> {
    const fake = new FakeOpenAIUpstream(options);
    await fake.listen();
    return fake;
  }

  protected routes(): Record<string, (request: RecordedRequest) => FakeAnswer> {
    return {
      'GET /models': () =>
        this.models === null
          ? this.error(404, 'Not found')
          : {
              status: 200,
              body: {
                object: 'list',
                data: this.models.map((id) => ({ id, object: 'model', owned_by: 'fake' })),
              },
            },
      'POST /chat/completions': (request) => this.chatCompletion(request),
      'POST /embeddings': (request) => this.embeddings(request),
    };
  }

  protected credentialOf(request: RecordedRequest): string | null {
    const header = request.headers.authorization;
    return header === undefined ? null : (/^Bearer (.*)$/.exec(header)?.[1] ?? header);
  }

  protected errorBody(status: number, message: string): unknown {
    const [type, code] =
      status === 401
        ? ['invalid_request_error', 'invalid_api_key']
        : status === 404
          ? ['invalid_request_error', 'not_found']
          : status === 429
            ? ['requests', 'rate_limit_exceeded']
            : status >= 500
              ? ['server_error', null]
              : ['invalid_request_error', null];
    return { error: { message, type, param: null, code } };
  }

  private chatCompletion(request: RecordedRequest): FakeAnswer {
    const body = request.body as ChatBody | null;
    if (typeof body?.model !== 'string')
      return this.error(400, 'you must provide a model parameter');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return this.error(400, "'messages' must be a non-empty array");
    }
    const content = this.content;
    const promptTokens = countWords(body.messages);
    const completionTokens = countWords([{ content: content.text ?? '' }]);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const created = Math.floor(Date.now() / 1000);
    const finishReason = content.toolCalls?.length ? 'tool_calls' : 'stop';
    if (body.stream === true) {
      const chunk = (delta: unknown, finish: string | null = null): string =>
        sseEvent({
          id,
          object: 'chat.completion.chunk',
          created,
          model: body.model,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        });
      const events = [chunk({ role: 'assistant', content: '' })];
      for (const piece of fragments(content.text ?? '')) events.push(chunk({ content: piece }));
      (content.toolCalls ?? []).forEach((call, index) => {
        events.push(
          chunk({
            tool_calls: [
              {
                index,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: '' },
              },
            ],
          }),
        );
        for (const piece of fragments(call.arguments))
          events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      events.push(chunk({}, finishReason));
      if (body.stream_options?.include_usage === true) {
        events.push(
          sseEvent({
            id,
            object: 'chat.completion.chunk',
            created,
            model: body.model,
            choices: [],
            usage,
          }),
        );
      }
      events.push(sseEvent('[DONE]'));
      return { status: 200, body: null, events };
    }
    return {
      status: 200,
      body: {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [
          { index: 0, message: message(content), logprobs: null, finish_reason: finishReason },
        ],
        usage,
      },
    };
  }

  private embeddings(request: RecordedRequest): FakeAnswer {
    const body = request.body as { model?: unknown; input?: unknown; encoding_format?: unknown };
    if (typeof body?.model !== 'string')
      return this.error(400, 'you must provide a model parameter');
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const tokens = countWords(inputs.map((input) => ({ content: String(input) })));
    return {
      status: 200,
      body: {
        object: 'list',
        data: inputs.map((_, index) => {
          const vector = Array.from(
            { length: FAKE_EMBEDDING_DIMENSIONS },
            (__, k) => (index + 1) * 0.25 + k,
          );
          return {
            object: 'embedding',
            index,
            embedding:
              body.encoding_format === 'base64'
                ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
                : vector,
          };
        }),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  }
}

function message(content: FakeContent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: 'assistant',
    content: content.text ?? null,
    refusal: null,
  };
  if (content.toolCalls?.length) {
    out.tool_calls = content.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return out;
}
