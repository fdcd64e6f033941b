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

export interface FakeAnthropicOptions extends FakeUpstreamOptions {
  /** Model ids served at GET /models; null: the server has no /models endpoint (404). */
  models?: string[] | null;
  /** The assistant's text answer to every message (shorthand for `content: { text }`). */
  reply?: string;
}

/**
 * An Anthropic-compatible server on 127.0.0.1:0: GET {base}/models and POST {base}/messages (streamed
 * as message_start / content_block_* / message_delta / message_stop events when asked), key as
 * `x-api-key`, and like Anthropic's API it refuses requests without an `anthropic-version` header.
 */
export class FakeAnthropicUpstream extends FakeUpstream {
  models: string[] | null;

  private constructor(options: FakeAnthropicOptions) {
    super({
      ...options,
      content:
        options.content ?? (options.reply === undefined ? undefined : { text: options.reply }),
    });
    this.models =
      options.models === undefined ? ['fake-claude-haiku', 'fake-claude-opus'] : options.models;
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
      stream?: unknown;
    } | null;
    if (typeof body?.model !== 'string') return this.error(400, 'model: Field required');
    if (typeof body.max_tokens !== 'number') return this.error(400, 'max_tokens: Field required');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return this.error(400, 'messages: at least one message is required');
    }
    const content = this.content;
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const usage = {
      input_tokens: countWords(body.messages),
      output_tokens: countWords([{ content: content.text ?? '' }]),
    };
    const stopReason = content.toolCalls?.length ? 'tool_use' : 'end_turn';
    if (body.stream === true) {
      const events = [
        sseEvent(
          {
            type: 'message_start',
            message: {
              id,
              type: 'message',
              role: 'assistant',
              model: body.model,
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
            },
          },
          'message_start',
        ),
      ];
      let index = 0;
      const block = (start: unknown, deltas: unknown[]): void => {
        events.push(
          sseEvent(
            { type: 'content_block_start', index, content_block: start },
            'content_block_start',
          ),
        );
        for (const delta of deltas)
          events.push(
            sseEvent({ type: 'content_block_delta', index, delta }, 'content_block_delta'),
          );
        events.push(sseEvent({ type: 'content_block_stop', index }, 'content_block_stop'));
        index++;
      };
      if (content.text !== undefined) {
        block(
          { type: 'text', text: '' },
          fragments(content.text).map((text) => ({ type: 'text_delta', text })),
        );
      }
      for (const call of content.toolCalls ?? []) {
        block(
          { type: 'tool_use', id: call.id, name: call.name, input: {} },
          fragments(call.arguments).map((partial_json) => ({
            type: 'input_json_delta',
            partial_json,
          })),
        );
      }
      events.push(
        sseEvent(
          {
            type: 'message_delta',
            delta: { stop_reason: stopReason, stop_sequence: null },
            usage: { output_tokens: usage.output_tokens },
          },
          'message_delta',
        ),
        sseEvent({ type: 'message_stop' }, 'message_stop'),
      );
      return { status: 200, body: null, events };
    }
    return {
      status: 200,
      body: {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: contentBlocks(content),
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      },
    };
  }
}

function contentBlocks(content: FakeContent): unknown[] {
  const blocks: unknown[] = [];
  if (content.text !== undefined) blocks.push({ type: 'text', text: content.text });
  for (const call of content.toolCalls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: JSON.parse(call.arguments) as unknown,
    });
  }
  return blocks;
}
