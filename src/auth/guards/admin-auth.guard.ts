import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../../common/errors/api-error';
import type { AdminIdentity } from '../../common/http/request-context';
import { SECRETS } from '../../config/config.module';
import type { Secrets } from '../../config/local-secrets';
import { AdminKeysService } from '../admin-keys.service';
import { looksLikeAdminKey } from '../key-format';
import { credentialFrom } from './bearer-token';

/** Admin plane: the root token or an organization's sya_… key in `Authorization: Bearer` → request.admin. */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly rootDigest: Buffer;

  constructor(
    private readonly adminKeys: AdminKeysService,
    @Inject(SECRETS) secrets: Secrets,
  ) {
    this.rootDigest = digest(secrets.adminToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const secret = credentialFrom(request);
    if (secret === null) {
      throw new AuthenticationError(
        'missing_api_key',
        'No admin credentials provided. Send the root admin token or an admin key as "Authorization: Bearer …".',
      );
    }
    const identity = await this.authenticate(secret);
    if (identity === null) {
      throw new AuthenticationError(
        'invalid_api_key',
        'Invalid admin credentials: the token is unknown or the key has been revoked.',
      );
    }
    request.admin = {
      ...identity,
      ip: request.ip ?? null,
      userAgent: request.headers['user-agent'] ?? null,
    };
    return true;
  }

  private async authenticate(secret: string): Promise<AdminIdentity | null> {
    // Compare digests so the comparison takes the same time whatever the length or content.
    if (timingSafeEqual(digest(secret), this.rootDigest)) return { kind: 'root' };
    return looksLikeAdminKey(secret) ? this.adminKeys.authenticate(secret) : null;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
