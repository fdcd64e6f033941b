import { finishReasonFromAnthropic, usageFromAnthropic } from './anthropic-to-openai.response';
import { anthropicErrorToOpenAI, openAIErrorFromParts } from './error-translation';
import type { SseEvent } from './sse-parser';
import type { AnthropicStreamEvent, AnthropicUsage, OpenAIUsage } from './wire-types';

export interface AnthropicToOpenAIStreamOptions {
  id: string;
  model: string;
  created: number;
  /** The client asked for `stream_options.include_usage`: end() sends the usage chunk. */
  includeUsage: boolean;
}

const DONE = 'data: [DONE]\n\n';
const CHUNK_TAIL = ',"logprobs":null,"finish_reason":null}]}\n\n';

/**
 * Anthropic Messages stream events → OpenAI `chat.completion.chunk` SSE bytes, one upstream event
 * at a time. Chunks are assembled from a precomputed prefix and the JSON of the delta alone, so an
 * event costs one JSON.parse and one small JSON.stringify.
 *
 * Completion rule: the stream is complete once message_delta carried a stop_reason (the client has
 * then seen its finish_reason). end() on a stream that never got there, an Anthropic `error`
 * event, unreadable data, or fail() produce an OpenAI error event, and no `[DONE]` follows.
 */
export class AnthropicToOpenAIStream {
  private readonly prefix: string;
  private readonly usagePrefix: string;
  private readonly includeUsage: boolean;
  /** Anthropic content block index → 0-based OpenAI tool call index. */
  private readonly toolIndexByBlock = new Map<number, number>();
  private toolCalls = 0;
  private anthropicUsage: Partial<AnthropicUsage> | null = null;
  private complete = false;
  private isFailed = false;
  private ended = false;

  constructor(options: AnthropicToOpenAIStreamOptions) {
    const head = `{"id":${JSON.stringify(options.id)},"object":"chat.completion.chunk","created":${options.created},"model":${JSON.stringify(options.model)},"choices":`;
    this.prefix = `data: ${head}[{"index":0,"delta":`;
    this.usagePrefix = `data: ${head}[],"usage":`;
    this.includeUsage = options.includeUsage;
  }

  /** Usage so far in OpenAI's shape: input known from message_start, output final after message_delta. */
  get usage(): OpenAIUsage | null {
    return this.anthropicUsage ? usageFromAnthropic(this.anthropicUsage) : null;
  }

  get failed(): boolean {
    return this.isFailed;
  }

  push(event: SseEvent): string {
    if (this.isFailed || this.ended || event.event === 'ping') return '';
    let parsed: AnthropicStreamEvent;
    try {
      parsed = JSON.parse(event.data) as AnthropicStreamEvent;
    } catch {
      return this.fail('Upstream sent an unreadable stream event');
    }
    if (typeof parsed !== 'object' || parsed === null) {
      return this.fail('Upstream sent an unreadable stream event');
    }
    switch (parsed.type) {
      case 'message_start':
        this.anthropicUsage = { ...parsed.message?.usage };
        return this.chunk('{"role":"assistant"}');
      case 'content_block_start': {
        const block = parsed.content_block;
        if (block.type === 'tool_use') {
          const index = this.toolCalls++;
          this.toolIndexByBlock.set(parsed.index, index);
          return this.chunk(
            `{"tool_calls":[{"index":${index},"id":${JSON.stringify(block.id)},"type":"function","function":{"name":${JSON.stringify(block.name)},"arguments":""}}]}`,
          );
        }
        if (block.type === 'text' && block.text) return this.content(block.text);
        if (block.type === 'thinking' && block.thinking) return this.reasoning(block.thinking);
        return '';
      }
      case 'content_block_delta': {
        const delta = parsed.delta;
        switch (delta.type) {
          case 'text_delta':
            return delta.text ? this.content(delta.text) : '';
          case 'input_json_delta': {
            const index = this.toolIndexByBlock.get(parsed.index);
            if (index === undefined || !delta.partial_json) return '';
            return this.chunk(
              `{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(delta.partial_json)}}}]}`,
            );
          }
          case 'thinking_delta':
            return delta.thinking ? this.reasoning(delta.thinking) : '';
          case 'signature_delta':
          case 'citations_delta':
          default:
            return ''; // no OpenAI form
        }
      }
      case 'message_delta': {
        // Counters in message_delta are cumulative totals: overwrite, never add.
        const usage = parsed.usage ?? {};
        const known = (this.anthropicUsage ??= {});
        for (const key of USAGE_KEYS) {
          const value = usage[key];
          if (typeof value === 'number') known[key] = value;
        }
        const reason = parsed.delta?.stop_reason;
        if (reason === null || reason === undefined || this.complete) return '';
        this.complete = true;
        return `${this.prefix}{},"logprobs":null,"finish_reason":"${finishReasonFromAnthropic(reason)}"}]}\n\n`;
      }
      case 'error':
        return this.failWith(anthropicErrorToOpenAI(null, event.data));
      case 'content_block_stop':
      case 'message_stop':
      case 'ping':
      default:
        return ''; // also event types added later, which Anthropic asks clients to ignore
    }
  }

  /** The upstream ended (EOF). Returns the usage chunk and [DONE], or an error if it was cut. */
  end(): string {
    if (this.ended) return '';
    if (!this.complete) return this.fail('Upstream stream ended before the message was complete');
    this.ended = true;
    const usage = this.includeUsage ? this.usage : null;
    return usage ? `${this.usagePrefix}${JSON.stringify(usage)}}\n\n${DONE}` : DONE;
  }

  /** For the forwarding code: the upstream connection broke or timed out mid-stream. */
  fail(message: string, code = 'upstream_stream_error'): string {
    return this.failWith(openAIErrorFromParts({ message, code }, null));
  }

  private failWith(body: object): string {
    if (this.isFailed || this.ended) return '';
    this.isFailed = true;
    this.ended = true;
    return `data: ${JSON.stringify(body)}\n\n`;
  }

  private content(text: string): string {
    return this.chunk(`{"content":${JSON.stringify(text)}}`);
  }

  private reasoning(text: string): string {
    return this.chunk(`{"reasoning_content":${JSON.stringify(text)}}`);
  }

  private chunk(deltaJson: string): string {
    return this.prefix + deltaJson + CHUNK_TAIL;
  }
}

const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;
