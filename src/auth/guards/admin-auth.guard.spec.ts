import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AdminIdentity } from '../../common/http/request-context';
import type { AdminKeysService } from '../admin-keys.service';
import { issueKey } from '../key-format';
import { AdminAuthGuard } from './admin-auth.guard';

/** Knows the admin keys it was given; records every secret it was asked about. */
class FakeAdminKeys implements Pick<AdminKeysService, 'authenticate'> {
  readonly asked: string[] = [];
  private readonly principals = new Map<string, AdminIdentity>();

  add(secret: string, principal: AdminIdentity): void {
    this.principals.set(secret, principal);
  }

  authenticate(secret: string): Promise<AdminIdentity | null> {
    this.asked.push(secret);
    return Promise.resolve(this.principals.get(secret) ?? null);
  }
}

const ORIGIN = { ip: '203.0.113.9', userAgent: 'admin-cli/2.0' };

function requestWith(headers: Record<string, string>): FastifyRequest {
  return {
    headers: { 'user-agent': ORIGIN.userAgent, ...headers },
    ip: ORIGIN.ip,
  } as unknown as FastifyRequest;
}

describe('AdminAuthGuard', () => {
  const rootToken = issueKey('sy_root_').secret;
  let adminKeys: FakeAdminKeys;
  let guard: AdminAuthGuard;

  beforeEach(() => {
    adminKeys = new FakeAdminKeys();
    guard = new AdminAuthGuard(adminKeys as unknown as AdminKeysService, {
      adminToken: rootToken,
      masterKey: randomBytes(32),
    });
  });

  const activate = (request: FastifyRequest): Promise<boolean> =>
    guard.canActivate(new ExecutionContextHost([request]));

  it('recognises the root token and sets a root principal', async () => {
    const request = requestWith({ authorization: `Bearer ${rootToken}` });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.admin).toEqual({ kind: 'root', ...ORIGIN });
    expect(adminKeys.asked).toEqual([]);
  });

  it('recognises a root token that does not look like a generated one', async () => {
    guard = new AdminAuthGuard(adminKeys as unknown as AdminKeysService, {
      adminToken: 'my-own-root-token-of-decent-length',
      masterKey: randomBytes(32),
    });
    const request = requestWith({ authorization: 'Bearer my-own-root-token-of-decent-length' });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.admin).toEqual({ kind: 'root', ...ORIGIN });
  });

  it('accepts the root token in x-api-key too', async () => {
    const request = requestWith({ 'x-api-key': rootToken });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.admin).toEqual({ kind: 'root', ...ORIGIN });
  });

  it('sets an admin_key principal for an admin key that resolves', async () => {
    const secret = issueKey('sya_').secret;
    const principal: AdminIdentity = {
      kind: 'admin_key',
      keyId: 'adk_1',
      keyName: 'ci-deploy',
      organizationId: 'org_1',
    };
    adminKeys.add(secret, principal);
    const request = requestWith({ authorization: `Bearer ${secret}` });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.admin).toEqual({ ...principal, ...ORIGIN });
    expect(adminKeys.asked).toEqual([secret]);
  });

  it.each([
    ['no credential headers', {}],
    ['a Basic authorization header', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a Bearer scheme without a token', { authorization: 'Bearer' }],
  ])('answers 401 missing_api_key for %s', async (_, headers) => {
    const request = requestWith(headers);

    await expect(activate(request)).rejects.toMatchObject({
      status: 401,
      type: 'authentication_error',
      code: 'missing_api_key',
    });
    expect(request.admin).toBeUndefined();
  });

  it('answers 401 invalid_api_key for an admin key that does not resolve', async () => {
    const secret = issueKey('sya_').secret;
    const request = requestWith({ authorization: `Bearer ${secret}` });

    await expect(activate(request)).rejects.toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
    expect(adminKeys.asked).toEqual([secret]);
    expect(request.admin).toBeUndefined();
  });

  it.each([
    ['another root token', () => issueKey('sy_root_').secret],
    ['the root token with a character missing', () => rootToken.slice(0, -1)],
    ['the root token with a character added', () => `${rootToken}x`],
    ['the root token in upper case', () => rootToken.toUpperCase()],
    ['a gateway key', () => issueKey('csk_').secret],
  ])('answers 401 invalid_api_key for %s without an admin key lookup', async (_, credential) => {
    const request = requestWith({ authorization: `Bearer ${credential()}` });

    await expect(activate(request)).rejects.toMatchObject({ code: 'invalid_api_key' });
    expect(adminKeys.asked).toEqual([]);
    expect(request.admin).toBeUndefined();
  });
});
