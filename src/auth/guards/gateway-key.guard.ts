import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthenticationError } from '../../common/errors/api-error';
import { GatewayKeyCache } from '../gateway-key-cache.service';
import { looksLikeGatewayKey } from '../key-format';
import { credentialFrom } from './bearer-token';

/** Data plane: a csk_… key in `Authorization: Bearer` or `x-api-key` → request.gateway. */
@Injectable()
export class GatewayKeyGuard implements CanActivate {
  constructor(private readonly keyCache: GatewayKeyCache) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const secret = credentialFrom(request);
    if (secret === null) {
      throw new AuthenticationError(
        'missing_api_key',
        'No API key provided. Send your Switchyard key as "Authorization: Bearer csk_…".',
      );
    }
    const principal = looksLikeGatewayKey(secret) ? await this.keyCache.resolve(secret) : null;
    if (principal === null) {
      throw new AuthenticationError(
        'invalid_api_key',
        'Invalid API key: it is unknown or has been revoked.',
      );
    }
    request.gateway = principal;
    return true;
  }
}
