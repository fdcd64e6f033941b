import { createHash, randomBytes } from 'node:crypto';

export type KeyEnvironment = 'production' | 'test';
export const KEY_ENVIRONMENTS: readonly KeyEnvironment[] = ['production', 'test'];

export const GATEWAY_KEY_PREFIX: Record<KeyEnvironment, string> = {
  production: 'csk_',
  test: 'csk_test_',
};
export const ADMIN_KEY_PREFIX = 'sya_';

export interface IssuedKey {
  /** The whole key: returned to the caller once and never stored. */
  secret: string;
  hash: string;
  lastFour: string;
}

/** 32 random bytes (256 bits) after a prefix that says what the key is for. */
export function issueKey(prefix: string): IssuedKey {
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashKey(secret), lastFour: secret.slice(-4) };
}

// A fast hash is right here: the keys carry 256 bits of entropy, so there is nothing to brute-force.
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeGatewayKey(secret: string): boolean {
  return (
    secret.startsWith(GATEWAY_KEY_PREFIX.production) && secret.length >= 40 && secret.length <= 128
  );
}

export function looksLikeAdminKey(secret: string): boolean {
  return secret.startsWith(ADMIN_KEY_PREFIX) && secret.length >= 40 && secret.length <= 128;
}
