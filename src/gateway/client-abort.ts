import type { FastifyReply } from 'fastify';

/** A signal that fires when the client goes away before the answer is complete, so the upstream request stops too. */
export function clientAbortSignal(reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  return abort.signal;
}
