import { randomUUID } from 'node:crypto';
import {
  countWords,
  FakeUpstream,
  type FakeAnswer,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-upstream';

export interface FakeOpenAIOptions extends FakeUpstreamOptions {
  /** Model ids served at GET /models; null: the server has no /models endpoint (404). */
  models?: string[] | null;
  /** The assistant's answer to every chat completion. */
  reply?: string;
}

/**
 * An OpenAI-compatible server (as Ollama, vLLM or LM Studio serve it) on 127.0.0.1:0:
 * GET {base}/models and POST {base}/chat/completions, key as `Authorization: Bearer`.
 */
export class FakeOpenAIUpstream extends FakeUpstream {
  models: string[] | null;
  reply: string;

  private constructor(options: FakeOpenAIOptions) {
    super(options);
    this.models =
      options.models === undefined ? ['fake-gpt-small', 'fake-gpt-large'] : options.models;
    this.reply = options.reply ?? 'OK';
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
    const body = request.body as { model?: unknown; messages?: unknown } | null;
    if (typeof body?.model !== 'string')
      return this.error(400, 'you must provide a model parameter');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return this.error(400, "'messages' must be a non-empty array");
    }
    const promptTokens = countWords(body.messages);
    const completionTokens = countWords([{ content: this.reply }]);
    return {
      status: 200,
      body: {
        id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: this.reply },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      },
    };
  }
}
