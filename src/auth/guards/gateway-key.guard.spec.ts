import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyRequest } from 'fastify';
import { AuthenticationError } from '../../common/errors/api-error';
import type { GatewayPrincipal } from '../../common/http/request-context';
import type { GatewayKeyCache } from '../gateway-key-cache.service';
import { issueKey } from '../key-format';
import { GatewayKeyGuard } from './gateway-key.guard';

/** Knows the keys it was given; records every secret it was asked about. */
class FakeKeyCache implements Pick<GatewayKeyCache, 'resolve'> {
  readonly asked: string[] = [];
  private readonly principals = new Map<string, GatewayPrincipal>();

  add(secret: string, principal: GatewayPrincipal): void {
    this.principals.set(secret, principal);
  }

  resolve(secret: string): Promise<GatewayPrincipal | null> {
    this.asked.push(secret);
    return Promise.resolve(this.principals.get(secret) ?? null);
  }
}

const principal: GatewayPrincipal = {
  keyId: 'key_1',
  projectId: 'prj_1',
  organizationId: 'org_1',
  environment: 'production',
  limits: {},
};

function requestWith(headers: Record<string, string>): FastifyRequest {
  return { headers } as unknown as FastifyRequest;
}

describe('GatewayKeyGuard', () => {
  let keyCache: FakeKeyCache;
  let guard: GatewayKeyGuard;
  let secret: string;

  beforeEach(() => {
    keyCache = new FakeKeyCache();
    guard = new GatewayKeyGuard(keyCache as unknown as GatewayKeyCache);
    secret = issueKey('csk_').secret;
    keyCache.add(secret, principal);
  });

  const activate = (request: FastifyRequest): Promise<boolean> =>
    guard.canActivate(new ExecutionContextHost([request]));

  it('accepts a known key as a Bearer token and sets request.gateway', async () => {
    const request = requestWith({ authorization: `Bearer ${secret}` });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.gateway).toBe(principal);
  });

  it('accepts the Bearer scheme in any case and surrounding spaces', async () => {
    const request = requestWith({ authorization: `bearer   ${secret}  ` });

    await expect(activate(request)).resolves.toBe(true);
    expect(keyCache.asked).toEqual([secret]);
  });

  it('accepts a known key in x-api-key, as the Anthropic SDK sends it', async () => {
    const request = requestWith({ 'x-api-key': secret });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.gateway).toBe(principal);
  });

  it('accepts a test-environment key', async () => {
    const testSecret = issueKey('csk_test_').secret;
    const testPrincipal = { ...principal, environment: 'test' as const };
    keyCache.add(testSecret, testPrincipal);
    const request = requestWith({ authorization: `Bearer ${testSecret}` });

    await expect(activate(request)).resolves.toBe(true);
    expect(request.gateway).toBe(testPrincipal);
  });

  it.each([
    ['no credential headers', {}],
    ['an empty x-api-key', { 'x-api-key': '' }],
    ['a Bearer scheme without a token', { authorization: 'Bearer ' }],
    ['a Basic authorization header', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('answers 401 missing_api_key for %s', async (_, headers) => {
    const request = requestWith(headers);

    await expect(activate(request)).rejects.toMatchObject({
      status: 401,
      type: 'authentication_error',
      code: 'missing_api_key',
    });
    expect(request.gateway).toBeUndefined();
  });

  it('throws an AuthenticationError, which the filter passes through as is', async () => {
    await expect(activate(requestWith({}))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('answers 401 invalid_api_key for a well-formed key the cache does not know', async () => {
    const unknown = issueKey('csk_').secret;
    const request = requestWith({ authorization: `Bearer ${unknown}` });

    await expect(activate(request)).rejects.toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
    expect(keyCache.asked).toEqual([unknown]);
    expect(request.gateway).toBeUndefined();
  });

  it.each([
    ['an admin key', issueKey('sya_').secret],
    ['a root token', issueKey('sy_root_').secret],
    ['an OpenAI key', 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
    ['a truncated gateway key', 'csk_abc'],
  ])('answers 401 invalid_api_key for %s without a lookup', async (_, credential) => {
    await expect(activate(requestWith({ 'x-api-key': credential }))).rejects.toMatchObject({
      code: 'invalid_api_key',
    });
    expect(keyCache.asked).toEqual([]);
  });

  it('reads the Authorization header before x-api-key', async () => {
    const other = issueKey('csk_').secret;
    const request = requestWith({ authorization: `Bearer ${other}`, 'x-api-key': secret });

    await expect(activate(request)).rejects.toMatchObject({ code: 'invalid_api_key' });
    expect(keyCache.asked).toEqual([other]);
  });

  it('does not echo the offered key in the error message', async () => {
    const unknown = issueKey('csk_').secret;

    await expect(activate(requestWith({ 'x-api-key': unknown }))).rejects.toMatchObject({
      message: expect.not.stringContaining(unknown.slice(4)) as unknown,
    });
  });
});
