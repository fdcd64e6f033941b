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
}

export interface FakeAnswer {
  status: number;
  /** Sent as JSON; a string is sent as is. */
  body: unknown;
  headers?: Record<string, string>;
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
}

/**
 * The vendor-neutral part of a scriptable upstream on 127.0.0.1:0: records every request, checks the
 * API key when one is required, answers scripted failures first, can hang, and routes the rest to
 * the vendor's handlers. Subclasses say how their vendor carries the key and shapes its errors.
 */
export abstract class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly basePath: string;
  private readonly scripted: (ScriptedAnswer & { times: number })[] = [];
  private hangingEndpoints: Set<string> | 'all' | null = null;
  private requiredKey: string | null = null;
  private port = 0;

  protected constructor(options: FakeUpstreamOptions) {
    this.basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
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
    const { endpoint } = recorded;
    if (
      this.hangingEndpoints === 'all' ||
      (endpoint !== null && this.hangingEndpoints?.has(endpoint))
    ) {
      return; // close() ends the socket
    }
    send(response, this.answer(recorded));
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
