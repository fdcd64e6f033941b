import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** The path as received, base path and query string included, e.g. `/v1/chat/completions`. */
  path: string;
  /** `METHOD /path` below the base path, e.g. `POST /chat/completions`; null outside the base path. */
  endpoint: string | null;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed; null when there was none or it was not JSON (see `rawBody`). */
  body: unknown;
  rawBody: string;
  /** The client closed the connection before the answer was complete (not set by the fake's own cuts). */
  closedByClient: boolean;
}

/** What the assistant answers: text and/or tool calls. Streaming and non-streaming answers say the same. */
export interface FakeContent {
  text?: string;
  toolCalls?: FakeToolCall[];
}

export interface FakeToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments; streamed in a few fragments. */
  arguments: string;
}

export interface FakeAnswer {
  status: number;
  /** Sent as JSON; a string is sent as is. Ignored when `events` is given. */
  body: unknown;
  headers?: Record<string, string>;
  /** A server-sent event stream instead of a body: each item one complete event (`data: …\n\n`). */
  events?: string[];
}

/** What the next streamed answer does after `after` events: the socket is destroyed, or it goes quiet. */
interface StreamScript {
  after: number;
  then: 'cut' | 'stall';
}

export interface ScriptedAnswer extends FakeAnswer {
  /** Only for this endpoint (`METHOD /path` below the base path); default: any request. */
  endpoint?: string;
  /** How many matching requests get this answer; default 1. */
  times?: number;
}

export interface FakeUpstreamOptions {
  /** Where the API begins, as in a provider's baseUrl (`http://127.0.0.1:<port>/v1`). Default `/v1`. */
  basePath?: string;
  /** The assistant's answer to every message (default: the text `OK`). */
  content?: FakeContent;
}

/**
 * The vendor-neutral part of a scriptable upstream on 127.0.0.1:0: records every request, checks the
 * API key when one is required, answers scripted failures first, can hang, and routes the rest to
 * the vendor's handlers. Subclasses say how their vendor carries the key and shapes its errors.
 */
export abstract class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  /** What the chat endpoint answers, streamed or not; change it with `respondWith`. */
  content: FakeContent;
  private readonly server: Server;
  private readonly basePath: string;
  private readonly scripted: (ScriptedAnswer & { times: number })[] = [];
  private hangingEndpoints: Set<string> | 'all' | null = null;
  private requiredKey: string | null = null;
  private readonly streamScripts: StreamScript[] = [];
  private port = 0;

  protected constructor(options: FakeUpstreamOptions) {
    this.basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
    this.content = options.content ?? { text: 'OK' };
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  /** The vendor's routes, by endpoint (`GET /models`). */
  protected abstract routes(): Record<string, (request: RecordedRequest) => FakeAnswer>;

  /** The API key the request carries, in the vendor's way; null when it carries none. */
  protected abstract credentialOf(request: RecordedRequest): string | null;

  /** The vendor's error JSON. */
  protected abstract errorBody(status: number, message: string): unknown;

  /** Checks the vendor requires of every request (say, a version header); null when it passes. */
  protected precondition(_request: RecordedRequest): FakeAnswer | null {
    return null;
  }

  /** What a provider's baseUrl should be: `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return `${this.origin}${this.basePath}`;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The recorded requests to one endpoint, such as `POST /chat/completions`. */
  requestsTo(endpoint: string): RecordedRequest[] {
    return this.requests.filter((request) => request.endpoint === endpoint);
  }

  /**
   * From now on, a request without exactly this key gets the vendor's 401. The 401 echoes the key it
   * was given, as careless servers do, so tests can prove the gateway never passes that on.
   * null: no key needed (the default).
   */
  requireApiKey(key: string | null): void {
    this.requiredKey = key;
  }

  /** The next matching request(s) get this answer instead of the normal one. */
  scriptNext(answer: ScriptedAnswer): void {
    this.scripted.push({ ...answer, times: answer.times ?? 1 });
  }

  /** The next `times` matching requests get the vendor's error with this status. */
  failNext(
    status: number,
    options: { times?: number; endpoint?: string; message?: string } = {},
  ): void {
    this.scriptNext({
      ...this.error(status, options.message ?? `Scripted failure (HTTP ${status})`),
      times: options.times,
      endpoint: options.endpoint,
    });
  }

  /** From now on the chat endpoint answers this content (text and/or tool calls). */
  respondWith(content: FakeContent): void {
    this.content = content;
  }

  /** The next streamed answer sends `events` events, then its socket is destroyed (a provider that dies). */
  cutNextStreamAfter(events: number): void {
    this.streamScripts.push({ after: events, then: 'cut' });
  }

  /** The next streamed answer sends `events` events, then nothing more until the client leaves or close(). */
  stallNextStreamAfter(events: number): void {
    this.streamScripts.push({ after: events, then: 'stall' });
  }

  /** Matching requests (default: all) are recorded but never answered, until close(). */
  hang(endpoints?: string[]): void {
    this.hangingEndpoints = endpoints ? new Set(endpoints) : 'all';
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  protected error(status: number, message: string): FakeAnswer {
    return { status, body: this.errorBody(status, message) };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await this.record(request);
    let cutByUs = false;
    response.once('close', () => {
      if (!response.writableFinished && !cutByUs) recorded.closedByClient = true;
    });
    const { endpoint } = recorded;
    if (
      this.hangingEndpoints === 'all' ||
      (endpoint !== null && this.hangingEndpoints?.has(endpoint))
    ) {
      return; // close() ends the socket
    }
    const answer = this.answer(recorded);
    if (answer.events === undefined) {
      send(response, answer);
      return;
    }

    const script = this.streamScripts.shift();
    const events = script ? answer.events.slice(0, script.after) : answer.events;
    response.writeHead(answer.status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...answer.headers,
    });
    for (const event of events) {
      if (response.destroyed) return;
      await new Promise<void>((resolve) => response.write(event, () => resolve()));
    }
    if (script?.then === 'cut') {
      cutByUs = true;
      response.socket?.destroy();
    } else if (script === undefined) {
      response.end();
    } // 'stall': leave it open
  }

  private answer(request: RecordedRequest): FakeAnswer {
    const scripted = this.scripted.find(
      (answer) => answer.endpoint === undefined || answer.endpoint === request.endpoint,
    );
    if (scripted) {
      if (--scripted.times === 0) this.scripted.splice(this.scripted.indexOf(scripted), 1);
      return scripted;
    }
    if (this.requiredKey !== null) {
      const given = this.credentialOf(request);
      if (given !== this.requiredKey) {
        return this.error(
          401,
          given === null ? 'No API key provided.' : `Incorrect API key provided: ${given}`,
        );
      }
    }
    const failed = this.precondition(request);
    if (failed) return failed;
    const route = request.endpoint === null ? undefined : this.routes()[request.endpoint];
    return route
      ? route(request)
      : this.error(404, `Unknown request URL: ${request.method} ${request.path}`);
  }

  private async record(request: IncomingMessage): Promise<RecordedRequest> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '/';
    const pathname = path.split('?')[0]!;
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      endpoint: pathname.startsWith(`${this.basePath}/`)
        ? `${request.method} ${pathname.slice(this.basePath.length)}`
        : null,
      headers: request.headers,
      body: parseJson(rawBody),
      rawBody,
      closedByClient: false,
    };
    this.requests.push(recorded);
    return recorded;
  }
}

function send(response: ServerResponse, answer: FakeAnswer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  response.end(text);
}

/** One server-sent event: `data: <json>` (or a string as is), with an `event:` line when named. */
export function sseEvent(data: unknown, event?: string): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${text}\n\n`;
}

/** Splits a text into a few fragments (at least one), as a streaming model would send it. */
export function fragments(text: string, parts = 3): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A stand-in tokenizer: whitespace-separated words in every string `content` (or text part) of the messages. */
export function countWords(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let words = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    const texts =
      typeof content === 'string'
        ? [content]
        : Array.isArray(content)
          ? content.map((part) => (part as { text?: unknown } | null)?.text)
          : [];
    for (const text of texts) {
      if (typeof text === 'string') words += text.split(/\s+/).filter(Boolean).length;
    }
  }
  return words;
}
