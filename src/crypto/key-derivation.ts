import { createHash, hkdfSync } from 'node:crypto';

const DATA_KEY_BYTES = 32;

/**
 * HKDF-SHA256 from the master key to a data key of one organization and purpose, so a data key
 * that leaks (or a ciphertext moved between organizations) says nothing about any other.
 */
export function deriveDataKey(masterKey: Buffer, organizationId: string, purpose: string): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      masterKey,
      `org:${organizationId}`,
      `switchyard/${purpose}/v1`,
      DATA_KEY_BYTES,
    ),
  );
}

// Domain-separated so that the id is not a plain hash of the key that could be matched elsewhere.
export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256')
    .update('switchyard/master-key-id/v1\0')
    .update(masterKey)
    .digest('hex')
    .slice(0, 8);
}
