import { randomUUID } from 'node:crypto';
import {
  countWords,
  FakeUpstream,
  type FakeAnswer,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-upstream';

export interface FakeAnthropicOptions extends FakeUpstreamOptions {
  /** Model ids served at GET /models; null: the server has no /models endpoint (404). */
  models?: string[] | null;
  /** The assistant's answer to every message. */
  reply?: string;
}

/**
 * An Anthropic-compatible server on 127.0.0.1:0: GET {base}/models and POST {base}/messages, key as
 * `x-api-key`, and like Anthropic's API it refuses requests without an `anthropic-version` header.
 */
export class FakeAnthropicUpstream extends FakeUpstream {
  models: string[] | null;
  reply: string;

  private constructor(options: FakeAnthropicOptions) {
    super(options);
    this.models =
      options.models === undefined ? ['fake-claude-haiku', 'fake-claude-opus'] : options.models;
    this.reply = options.reply ?? 'OK';
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicUpstream> {
    const fake = new FakeAnthropicUpstream(options);
    await fake.listen();
    return fake;
  }

  protected routes(): Record<string, (request: RecordedRequest) => FakeAnswer> {
    return {
      'GET /models': () => {
        if (this.models === null) return this.error(404, 'Not found');
        return {
          status: 200,
          body: {
            data: this.models.map((id) => ({
              type: 'model',
              id,
              display_name: id.replace(/-/g, ' '),
              created_at: '2025-01-01T00:00:00Z',
            })),
            has_more: false,
            first_id: this.models[0] ?? null,
            last_id: this.models[this.models.length - 1] ?? null,
          },
        };
      },
      'POST /messages': (request) => this.message(request),
    };
  }

  protected credentialOf(request: RecordedRequest): string | null {
    const header = request.headers['x-api-key'];
    return typeof header === 'string' ? header : null;
  }

  protected errorBody(status: number, message: string): unknown {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 403
          ? 'permission_error'
          : status === 404
            ? 'not_found_error'
            : status === 429
              ? 'rate_limit_error'
              : status === 529
                ? 'overloaded_error'
                : status >= 500
                  ? 'api_error'
                  : 'invalid_request_error';
    return { type: 'error', error: { type, message } };
  }

  protected override precondition(request: RecordedRequest): FakeAnswer | null {
    return request.headers['anthropic-version'] === undefined
      ? this.error(400, 'anthropic-version: header is required')
      : null;
  }

  private message(request: RecordedRequest): FakeAnswer {
    const body = request.body as {
      model?: unknown;
      messages?: unknown;
      max_tokens?: unknown;
    } | null;
    if (typeof body?.model !== 'string') return this.error(400, 'model: Field required');
    if (typeof body.max_tokens !== 'number') return this.error(400, 'max_tokens: Field required');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return this.error(400, 'messages: at least one message is required');
    }
    return {
      status: 200,
      body: {
        id: `msg_${randomUUID().replace(/-/g, '')}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text: this.reply }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: countWords(body.messages),
          output_tokens: countWords([{ content: this.reply }]),
        },
      },
    };
  }
}
