import type { SseEvent } from '../adapters/sse-parser';
import type { StreamTranslator } from './stream-translator';

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/**
 * Relays an OpenAI-format stream event by event without re-serialising it. Only chunks that carry a
 * usage object or an error are parsed: the usage is recorded, and the usage-only chunk the gateway
 * asked for on its own account is dropped when the client did not ask for it.
 */
export class OpenAIStreamRelay implements StreamTranslator {
  usage: Usage | null = null;
  failed = false;
  private done = false;

  constructor(private readonly includeUsage: boolean) {}

  push(event: SseEvent): string {
    const data = event.data;
    if (data === '[DONE]') {
      this.done = true;
      return ''; // end() writes it, once everything before it is out
    }
    if (data.includes('"usage":{')) {
      const chunk = parse(data);
      if (chunk?.usage) this.usage = chunk.usage;
      if (!this.includeUsage && Array.isArray(chunk?.choices) && chunk.choices.length === 0)
        return '';
    } else if (data.startsWith('{"error"')) {
      this.failed = true;
    }
    return `data: ${data}\n\n`;
  }

  /** [DONE] only when the upstream sent it and nothing failed: a cut stream must not look complete. */
  end(): string {
    if (this.failed) return ''; // the upstream's own error event has been relayed
    if (!this.done) {
      this.failed = true;
      return STREAM_CUT;
    }
    return 'data: [DONE]\n\n';
  }
}

const STREAM_CUT = `data: ${JSON.stringify({
  error: {
    message: 'The provider stream ended before it was complete.',
    type: 'upstream_error',
    code: 'upstream_stream_interrupted',
    param: null,
  },
})}\n\n`;

function parse(data: string): { usage?: Usage; choices?: unknown[] } | null {
  try {
    return JSON.parse(data) as { usage?: Usage; choices?: unknown[] };
  } catch {
    return null;
  }
}
