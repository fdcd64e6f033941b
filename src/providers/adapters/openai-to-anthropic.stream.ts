import { openAIErrorToAnthropic } from './error-translation';
import { anthropicUsageFromOpenAI, stopReasonFromOpenAI } from './openai-to-anthropic.response';
import type { SseEvent } from './sse-parser';
import type { OpenAIChatCompletionChunk, OpenAIToolCallDelta, OpenAIUsage } from './wire-types';

export interface OpenAIToAnthropicStreamOptions {
  id: string;
  model: string;
}

/**
 * OpenAI `chat.completion.chunk` events → Anthropic Messages stream events, for `/v1/messages`
 * against an OpenAI-format target. Text and each tool call become content blocks, opened on their
 * first delta and closed when another block starts or the choice finishes. message_delta waits for
 * `[DONE]` (or end() after a finish_reason) because the usage chunk comes after the finish chunk.
 * A stream cut before any finish_reason, an `{"error":…}` event, unreadable data, or fail() end
 * it with an `error` event and no message_stop.
 */
export class OpenAIToAnthropicStream {
  private readonly id: string;
  private readonly model: string;
  private started = false;
  /** Anthropic index of the open content block, -1 when none is open. */
  private openBlock = -1;
  private openIsText = false;
  private nextBlock = 0;
  /** OpenAI tool call index → Anthropic content block index. */
  private readonly toolBlocks = new Map<number, number>();
  private finishReason: string | null = null;
  private openAIUsage: OpenAIUsage | null = null;
  private isFailed = false;
  private ended = false;

  constructor(options: OpenAIToAnthropicStreamOptions) {
    this.id = options.id;
    this.model = options.model;
  }

  /** The upstream's usage (OpenAI shape, like AnthropicToOpenAIStream's), once its usage chunk came. */
  get usage(): OpenAIUsage | null {
    return this.openAIUsage;
  }

  get failed(): boolean {
    return this.isFailed;
  }

  push(event: SseEvent): string {
    if (this.ended) return '';
    if (event.data === '[DONE]') return this.finish();
    let chunk: OpenAIChatCompletionChunk & { error?: unknown };
    try {
      chunk = JSON.parse(event.data) as OpenAIChatCompletionChunk;
    } catch {
      return this.fail('Upstream sent an unreadable stream event');
    }
    if (typeof chunk !== 'object' || chunk === null) {
      return this.fail('Upstream sent an unreadable stream event');
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      return this.failWith(openAIErrorToAnthropic(null, event.data));
    }
    let out = this.started ? '' : this.messageStart();
    if (chunk.usage) this.openAIUsage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice === undefined) return out;
    const delta = choice.delta;
    if (delta) {
      if (delta.content) out += this.text(delta.content);
      if (delta.refusal) out += this.text(delta.refusal);
      const calls = delta.tool_calls;
      if (calls) for (let k = 0; k < calls.length; k++) out += this.toolDelta(calls[k]!, k);
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      out += this.closeBlock();
    }
    return out;
  }

  /** The upstream ended (EOF): completes a stream that finished without `[DONE]`, else fails it. */
  end(): string {
    if (this.ended) return '';
    if (this.finishReason !== null) return this.finish();
    return this.fail('Upstream stream ended before the message was complete');
  }

  /** For the forwarding code: the upstream connection broke or timed out mid-stream. */
  fail(message: string, type = 'api_error'): string {
    return this.failWith({ type: 'error', error: { type, message } });
  }

  private failWith(body: object): string {
    if (this.ended) return '';
    this.isFailed = true;
    this.ended = true;
    return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
  }

  private finish(): string {
    let out = this.started ? '' : this.messageStart();
    out += this.closeBlock();
    const usage = anthropicUsageFromOpenAI(this.openAIUsage);
    out += sse(
      'message_delta',
      `{"type":"message_delta","delta":{"stop_reason":"${stopReasonFromOpenAI(this.finishReason)}","stop_sequence":null},"usage":${JSON.stringify(usage)}}`,
    );
    out += 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    this.ended = true;
    return out;
  }

  private messageStart(): string {
    this.started = true;
    return sse(
      'message_start',
      `{"type":"message_start","message":{"id":${JSON.stringify(this.id)},"type":"message","role":"assistant","model":${JSON.stringify(this.model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}`,
    );
  }

  private text(text: string): string {
    let out = '';
    if (this.openBlock === -1 || !this.openIsText) {
      out += this.closeBlock();
      out += this.openBlockEvent(`{"type":"text","text":""}`);
      this.openIsText = true;
    }
    return (
      out +
      sse(
        'content_block_delta',
        `{"type":"content_block_delta","index":${this.openBlock},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}`,
      )
    );
  }

  private toolDelta(call: OpenAIToolCallDelta, position: number): string {
    const toolIndex = typeof call.index === 'number' ? call.index : position;
    let block = this.toolBlocks.get(toolIndex);
    let out = '';
    if (block === undefined) {
      out += this.closeBlock();
      // Some OpenAI-compatible servers omit the id; the Anthropic SDK needs one to pair results.
      const id = call.id || `${this.id}_tool_${toolIndex}`;
      out += this.openBlockEvent(
        `{"type":"tool_use","id":${JSON.stringify(id)},"name":${JSON.stringify(call.function?.name ?? '')},"input":{}}`,
      );
      this.openIsText = false;
      block = this.openBlock;
      this.toolBlocks.set(toolIndex, block);
    }
    const args = call.function?.arguments;
    if (!args) return out;
    return (
      out +
      sse(
        'content_block_delta',
        `{"type":"content_block_delta","index":${block},"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(args)}}}`,
      )
    );
  }

  private openBlockEvent(blockJson: string): string {
    this.openBlock = this.nextBlock++;
    return sse(
      'content_block_start',
      `{"type":"content_block_start","index":${this.openBlock},"content_block":${blockJson}}`,
    );
  }

  private closeBlock(): string {
    if (this.openBlock === -1) return '';
    const out = sse(
      'content_block_stop',
      `{"type":"content_block_stop","index":${this.openBlock}}`,
    );
    this.openBlock = -1;
    this.openIsText = false;
    return out;
  }
}

function sse(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}
