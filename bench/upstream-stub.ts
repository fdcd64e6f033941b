/**
 * An OpenAI-format upstream for the benchmark: as cheap and as predictable as a server can be, so that
 * what the gateway adds stands out. Listens on 127.0.0.1 (port 0 unless BENCH_STUB_PORT is set) and,
 * when forked, reports its port to the parent over IPC and exits when the parent goes away.
 *
 * - POST /v1/chat/completions: a fixed chat.completion with usage, at once; with `stream: true` a paced
 *   stream of 20 chat.completion.chunk events (the first at once, then one every 5 ms), a usage chunk when
 *   `stream_options.include_usage` is set (as OpenAI does), then `data: [DONE]`.
 * - GET /v1/models: one model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STUB_MODEL = 'bench-upstream-model';
export const STREAM_CHUNKS = 20;
export const STREAM_INTERVAL_MS = 5;

const CREATED = 1_700_000_000;
const USAGE = {
  prompt_tokens: 19,
  completion_tokens: STREAM_CHUNKS,
  total_tokens: 19 + STREAM_CHUNKS,
};

const COMPLETION = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000000',
    object: 'chat.completion',
    created: CREATED,
    model: STUB_MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Hello! This is a fixed answer from the Switchyard benchmark upstream stub.',
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: USAGE,
    system_fingerprint: 'fp_bench',
  }),
);

function chunkEvent(index: number): Buffer {
  const last = index === STREAM_CHUNKS - 1;
  const delta = index === 0 ? { role: 'assistant', content: 'Hello' } : { content: ` w${index}` };
  return Buffer.from(
    `data: ${JSON.stringify({
      id: 'chatcmpl-bench0000000000000000000000',
      object: 'chat.completion.chunk',
      created: CREATED,
      model: STUB_MODEL,
      system_fingerprint: 'fp_bench',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: last ? 'stop' : null }],
    })}\n\n`,
  );
}

const CHUNKS: readonly Buffer[] = Array.from({ length: STREAM_CHUNKS }, (_, i) => chunkEvent(i));
const USAGE_CHUNK = Buffer.from(
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000000',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: STUB_MODEL,
    system_fingerprint: 'fp_bench',
    choices: [],
    usage: USAGE,
  })}\n\n`,
);
const DONE = Buffer.from('data: [DONE]\n\n');
const MODELS = Buffer.from(
  JSON.stringify({
    object: 'list',
    data: [{ id: STUB_MODEL, object: 'model', created: CREATED, owned_by: 'bench' }],
  }),
);

interface ChatBody {
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

function sendJson(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': body.length,
  });
  res.end(body);
}

function stream(res: ServerResponse, includeUsage: boolean): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const send = (): void => {
    timer = undefined;
    if (res.destroyed) return;
    res.write(CHUNKS[next]);
    next++;
    if (next < STREAM_CHUNKS) {
      timer = setTimeout(send, STREAM_INTERVAL_MS);
      return;
    }
    if (includeUsage) res.write(USAGE_CHUNK);
    res.end(DONE);
  };
  res.once('close', () => {
    if (timer !== undefined) clearTimeout(timer);
  });
  send();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, MODELS);
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    req.resume();
    return sendJson(
      res,
      404,
      Buffer.from(
        '{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}',
      ),
    );
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    let body: ChatBody;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as ChatBody;
    } catch {
      return sendJson(
        res,
        400,
        Buffer.from(
          '{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}',
        ),
      );
    }
    if (body.stream === true) return stream(res, body.stream_options?.include_usage === true);
    sendJson(res, 200, COMPLETION);
  });
}

function main(): void {
  const server = createServer(handle);
  // Long enough that no connection is dropped between the benchmark's phases.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  server.listen(Number(process.env.BENCH_STUB_PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    if (process.send) process.send({ port });
    else console.log(`upstream stub listening on http://127.0.0.1:${port}/v1`);
  });
}

if (require.main === module) main();
