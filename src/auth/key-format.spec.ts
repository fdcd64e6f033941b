import { createHash } from 'node:crypto';
import {
  ADMIN_KEY_PREFIX,
  GATEWAY_KEY_PREFIX,
  hashKey,
  issueKey,
  looksLikeAdminKey,
  looksLikeGatewayKey,
} from './key-format';

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('issueKey', () => {
  it.each([
    ['production gateway', GATEWAY_KEY_PREFIX.production, /^csk_[A-Za-z0-9_-]{43}$/],
    ['test gateway', GATEWAY_KEY_PREFIX.test, /^csk_test_[A-Za-z0-9_-]{43}$/],
    ['admin', ADMIN_KEY_PREFIX, /^sya_[A-Za-z0-9_-]{43}$/],
  ])('issues a %s key as its prefix plus 32 random bytes in base64url', (_, prefix, shape) => {
    expect(issueKey(prefix).secret).toMatch(shape);
  });

  it('hashes the whole secret, prefix included, as hex SHA-256', () => {
    const issued = issueKey('csk_');

    expect(issued.hash).toBe(sha256Hex(issued.secret));
    expect(issued.hash).not.toBe(sha256Hex(issued.secret.slice('csk_'.length)));
    expect(issued.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the last four characters of the secret for display', () => {
    const issued = issueKey('sya_');

    expect(issued.lastFour).toHaveLength(4);
    expect(issued.secret.endsWith(issued.lastFour)).toBe(true);
  });

  it('issues a different secret and hash every time', () => {
    const first = issueKey('csk_');
    const second = issueKey('csk_');

    expect(second.secret).not.toBe(first.secret);
    expect(second.hash).not.toBe(first.hash);
  });

  it('issues keys the matching looksLike… check accepts', () => {
    expect(looksLikeGatewayKey(issueKey(GATEWAY_KEY_PREFIX.production).secret)).toBe(true);
    expect(looksLikeGatewayKey(issueKey(GATEWAY_KEY_PREFIX.test).secret)).toBe(true);
    expect(looksLikeAdminKey(issueKey(ADMIN_KEY_PREFIX).secret)).toBe(true);
  });
});

describe('hashKey', () => {
  it('is the SHA-256 hex digest of its input', () => {
    expect(hashKey('csk_abc')).toBe(createHash('sha256').update('csk_abc', 'utf8').digest('hex'));
  });

  it('distinguishes secrets that differ only in case', () => {
    expect(hashKey('csk_ABCDEFGH')).not.toBe(hashKey('csk_abcdefgh'));
  });
});

describe('looksLikeGatewayKey', () => {
  const pad = (prefix: string, length: number): string =>
    prefix + 'x'.repeat(length - prefix.length);

  it.each([
    ['a 40-character csk_ key', pad('csk_', 40)],
    ['a 128-character csk_ key', pad('csk_', 128)],
    ['a csk_test_ key', pad('csk_test_', 52)],
  ])('accepts %s', (_, secret) => {
    expect(looksLikeGatewayKey(secret)).toBe(true);
  });

  it.each([
    ['a 39-character csk_ key', pad('csk_', 39)],
    ['a 129-character csk_ key', pad('csk_', 129)],
    ['the bare prefix', 'csk_'],
    ['an empty string', ''],
    ['an upper-case prefix', pad('CSK_', 47)],
    ['an admin key', pad('sya_', 47)],
    ['a root token', pad('sy_root_', 51)],
    ['an OpenAI key', pad('sk-proj-', 60)],
    ['a key with the prefix in the middle', pad('x csk_', 47)],
  ])('rejects %s', (_, secret) => {
    expect(looksLikeGatewayKey(secret)).toBe(false);
  });
});

describe('looksLikeAdminKey', () => {
  const pad = (prefix: string, length: number): string =>
    prefix + 'x'.repeat(length - prefix.length);

  it.each([
    ['a 40-character sya_ key', pad('sya_', 40)],
    ['a 128-character sya_ key', pad('sya_', 128)],
  ])('accepts %s', (_, secret) => {
    expect(looksLikeAdminKey(secret)).toBe(true);
  });

  it.each([
    ['a 39-character sya_ key', pad('sya_', 39)],
    ['a 129-character sya_ key', pad('sya_', 129)],
    ['an empty string', ''],
    ['an upper-case prefix', pad('SYA_', 47)],
    ['a gateway key', pad('csk_', 47)],
    ['a root token', pad('sy_root_', 51)],
  ])('rejects %s', (_, secret) => {
    expect(looksLikeAdminKey(secret)).toBe(false);
  });
});
