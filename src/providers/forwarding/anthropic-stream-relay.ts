import type { SseEvent } from '../adapters/sse-parser';
import type { StreamTranslator, StreamUsage } from './stream-translator';

/**
 * Relays an Anthropic-format stream to an Anthropic client unchanged. Only message_start and
 * message_delta are parsed, for the usage; a stream without message_stop ends with an error event.
 */
export class AnthropicStreamRelay implements StreamTranslator {
  private input = 0;
  private output = 0;
  private complete = false;
  failed = false;

  get usage(): StreamUsage | null {
    return { prompt_tokens: this.input, completion_tokens: this.output };
  }

  push(event: SseEvent): string {
    switch (event.event) {
      case 'message_start': {
        const usage = parse(event.data)?.message?.usage;
        this.input =
          (usage?.input_tokens ?? 0) +
          (usage?.cache_read_input_tokens ?? 0) +
          (usage?.cache_creation_input_tokens ?? 0);
        this.output = usage?.output_tokens ?? 0;
        break;
      }
      case 'message_delta':
        this.output = parse(event.data)?.usage?.output_tokens ?? this.output;
        break;
      case 'message_stop':
        this.complete = true;
        break;
      case 'error':
        this.failed = true;
        break;
      case null:
      default:
        break;
    }
    return event.event === null
      ? `data: ${event.data}\n\n`
      : `event: ${event.event}\ndata: ${event.data}\n\n`;
  }

  end(): string {
    if (this.complete || this.failed) return '';
    this.failed = true;
    return `event: error\ndata: ${JSON.stringify({
      type: 'error',
      error: { type: 'api_error', message: 'The provider stream ended before it was complete.' },
    })}\n\n`;
  }
}

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

function parse(data: string): { message?: { usage?: Usage }; usage?: Usage } | null {
  try {
    return JSON.parse(data) as { message?: { usage?: Usage }; usage?: Usage };
  } catch {
    return null;
  }
}
