import { createHash, createHmac, randomBytes } from 'node:crypto';
import { deriveDataKey, masterKeyId } from './key-derivation';

/** RFC 5869 written out with HMAC, to check the salt and info that deriveDataKey passes to hkdfSync. */
function referenceHkdf(ikm: Buffer, salt: string, info: string): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from(info), Buffer.from([1])]))
    .digest();
}

describe('deriveDataKey', () => {
  const masterKey = Buffer.alloc(32, 7);

  it('is HKDF-SHA256 with salt org:<id> and info switchyard/<purpose>/v1', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).toEqual(
      referenceHkdf(masterKey, 'org:org_1', 'switchyard/provider_api_key/v1'),
    );
  });

  it('returns 32 bytes', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).toHaveLength(32);
  });

  it('is deterministic', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).toEqual(
      deriveDataKey(Buffer.from(masterKey), 'org_1', 'provider_api_key'),
    );
  });

  it('gives each organization its own key', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).not.toEqual(
      deriveDataKey(masterKey, 'org_2', 'provider_api_key'),
    );
  });

  it('gives each purpose its own key', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).not.toEqual(
      deriveDataKey(masterKey, 'org_1', 'webhook_secret'),
    );
  });

  it('gives each master key its own key', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).not.toEqual(
      deriveDataKey(Buffer.alloc(32, 8), 'org_1', 'provider_api_key'),
    );
  });

  it('is not the master key itself', () => {
    expect(deriveDataKey(masterKey, 'org_1', 'provider_api_key')).not.toEqual(masterKey);
  });
});

describe('masterKeyId', () => {
  it('is 8 lowercase hex characters', () => {
    expect(masterKeyId(randomBytes(32))).toMatch(/^[0-9a-f]{8}$/);
  });

  it('is stable for the same key', () => {
    const key = randomBytes(32);

    expect(masterKeyId(key)).toBe(masterKeyId(Buffer.from(key)));
  });

  it('differs between keys', () => {
    expect(masterKeyId(Buffer.alloc(32, 1))).not.toBe(masterKeyId(Buffer.alloc(32, 2)));
  });

  it('reveals neither the key nor its plain SHA-256', () => {
    const key = randomBytes(32);

    expect(masterKeyId(key)).not.toBe(key.toString('hex').slice(0, 8));
    expect(masterKeyId(key)).not.toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
  });
});
