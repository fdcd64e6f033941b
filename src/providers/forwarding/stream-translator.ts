import type { SseEvent } from '../adapters/sse-parser';

export interface StreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** Turns upstream SSE events into the bytes the client gets; one per stream. */
export interface StreamTranslator {
  push(event: SseEvent): string;
  /** The stream's closing bytes: its end marker when complete, an error event when it was cut. */
  end(): string;
  readonly usage: StreamUsage | null;
  readonly failed: boolean;
}
