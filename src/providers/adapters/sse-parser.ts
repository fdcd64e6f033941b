export interface SseEvent {
  /** The `event:` field, or null when the event had none (OpenAI streams never set it). */
  event: string | null;
  /** The `data:` lines joined with '\n'; `[DONE]` is passed as is. */
  data: string;
}

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Incremental Server-Sent Events parser (WHATWG "event stream interpretation"), fed with upstream
 * chunks exactly as they arrive. Chunk boundaries may fall anywhere: inside a line, between the CR
 * and LF of a CRLF, or inside a multi-byte UTF-8 sequence (the streaming TextDecoder keeps the
 * partial bytes). `id:` and `retry:` are ignored; events without `data:` are not dispatched.
 * Feed either Buffers or strings to one parser, not both.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** The current line, when a chunk ended before its terminator. */
  private rest = '';
  /** The previous chunk ended with CR, so an LF at the start of the next one is the same CRLF. */
  private skipLf = false;
  private eventName: string | null = null;
  private data = '';
  private hasData = false;

  push(chunk: Buffer | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    if (text.length > 0) this.feed(text, out);
    return out;
  }

  /**
   * End of stream. The spec discards an event that was not closed by a blank line; we dispatch it
   * (servers that omit the final blank line exist). A cut stream is still detected by the stream
   * translators, which require their terminal event and reject unparseable JSON.
   */
  flush(): SseEvent[] {
    const out: SseEvent[] = [];
    const tail = this.decoder.decode();
    if (tail.length > 0) this.feed(tail, out);
    if (this.rest.length > 0) {
      const line = this.rest;
      this.rest = '';
      this.line(line, out);
    }
    this.dispatch(out);
    this.skipLf = false;
    return out;
  }

  private feed(text: string, out: SseEvent[]): void {
    const len = text.length;
    let i = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) i = 1;
    }
    // Cached positions of the next LF and CR, so a chunk with many lines stays linear.
    let lf = text.indexOf('\n', i);
    let cr = text.indexOf('\r', i);
    while (i < len) {
      if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
      if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
      if (lf === -1 && cr === -1) break;
      const end = lf === -1 ? cr : cr === -1 ? lf : lf < cr ? lf : cr;
      let next = end + 1;
      if (text.charCodeAt(end) === CR) {
        if (next < len) {
          if (text.charCodeAt(next) === LF) next++;
        } else {
          this.skipLf = true;
        }
      }
      let line = text.slice(i, end);
      if (this.rest.length > 0) {
        line = this.rest + line;
        this.rest = '';
      }
      this.line(line, out);
      i = next;
    }
    if (i < len) this.rest += text.slice(i);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // comment (keep-alive)
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      let start = colon + 1;
      if (line.charCodeAt(start) === SPACE) start++;
      value = line.slice(start);
    }
    if (field === 'data') {
      this.data = this.hasData ? this.data + '\n' + value : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.eventName = value.length > 0 ? value : null;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasData) out.push({ event: this.eventName, data: this.data });
    this.eventName = null;
    this.data = '';
    this.hasData = false;
  }
}
