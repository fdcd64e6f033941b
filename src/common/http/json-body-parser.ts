import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../errors/api-error';

/** Deeper bodies are refused: the validation pipe and class-transformer recurse, and would overflow the stack. */
export const MAX_JSON_DEPTH = 64;

type JsonParse = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
) => void;

/**
 * Fastify's own JSON parser (it keeps the prototype-poisoning checks), but failing with ApiErrors:
 * Nest turns Fastify's errors into bare HttpExceptions and drops their code, so a bad body would
 * not say `invalid_json`. Register with Nest's `bodyParser: false`, or Nest replaces it.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  // The callback form of the default parser; the declared type also allows a promise form.
  const parse = fastify.getDefaultJsonParser('error', 'error') as JsonParse;
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) {
        done(
          new InvalidRequestError(
            body.length === 0
              ? 'The request body is empty; send a JSON object.'
              : 'The request body is not valid JSON.',
            null,
            'invalid_json',
          ),
        );
      } else if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
        done(
          new InvalidRequestError(
            `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
          ),
        );
      } else {
        done(null, value);
      }
    });
  });
}

// Iterative on purpose: this must not overflow on the very input it guards against.
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ node: object; depth: number }> = [];
  if (typeof value === 'object' && value !== null) stack.push({ node: value, depth: 1 });
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.depth > max) return true;
    for (const child of Object.values(item.node)) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ node: child as object, depth: item.depth + 1 });
      }
    }
  }
  return false;
}
