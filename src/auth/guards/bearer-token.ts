import type { FastifyRequest } from 'fastify';

/** The credential from `Authorization: Bearer …`, or from `x-api-key` (the Anthropic SDK's header). */
export function credentialFrom(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1]! : null;
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey.trim() : null;
}
