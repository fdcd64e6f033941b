import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { deriveDataKey, masterKeyId } from './key-derivation';
import { SecretUnreadableError } from './secret-unreadable.error';

/** What a sealed secret belongs to. Opening needs the same values that sealing used. */
export interface SecretBinding {
  readonly organizationId: string;
  /** The row that stores the envelope, e.g. the custom provider's id. */
  readonly recordId: string;
  /** What the secret is for, e.g. `provider_api_key`. */
  readonly purpose: string;
}

const VERSION = 'v1';
const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{8}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

interface Envelope {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * Seals secrets (provider API keys) for storage and opens them again.
 *
 * An envelope is `v1:<masterKeyId>:<iv>:<tag>:<ciphertext>` (base64url parts): AES-256-GCM under a
 * data key derived per organization and purpose from the master key, with the whole
 * {@link SecretBinding} authenticated, so an envelope copied to another row or organization does not open.
 *
 * Rotation: construct with the new master key and the old ones as `previousMasterKeys`; envelopes
 * sealed under an old key still open, {@link SecretBox.needsReseal} finds them and
 * {@link SecretBox.reseal} moves them to the current key.
 */
@Injectable()
export class SecretBox {
  private readonly current: MasterKey;
  private readonly keys: readonly MasterKey[];

  /** @throws RangeError when a master key is not 32 bytes. */
  constructor(masterKey: Buffer, previousMasterKeys: readonly Buffer[] = []) {
    this.current = toMasterKey(masterKey);
    this.keys = [this.current, ...previousMasterKeys.map(toMasterKey)];
  }

  /** Seals under the current master key with a fresh random IV, so equal inputs give different envelopes. */
  seal(plaintext: string, binding: SecretBinding): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(
      'aes-256-gcm',
      deriveDataKey(this.current.key, binding.organizationId, binding.purpose),
      iv,
      { authTagLength: TAG_BYTES },
    );
    cipher.setAAD(additionalData(this.current.id, binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.current.id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join(':');
  }

  /**
   * Opens an envelope sealed under the current or a previous master key.
   * @throws SecretUnreadableError with reason `malformed`, `unknown_master_key` or `authentication_failed`.
   */
  open(envelope: string, binding: SecretBinding): string {
    const parsed = parseEnvelope(envelope);
    const candidates = this.keys.filter((key) => key.id === parsed.keyId);
    if (candidates.length === 0) throw SecretUnreadableError.unknownMasterKey(parsed.keyId);
    // Ids are 32 bits, so two configured keys may share one; the tag tells which of them sealed it.
    for (const candidate of candidates) {
      const plaintext = openWith(candidate, parsed, binding);
      if (plaintext !== null) return plaintext;
    }
    throw SecretUnreadableError.authenticationFailed();
  }

  /**
   * True when the envelope was sealed under any key other than the current master key.
   * @throws SecretUnreadableError with reason `malformed`.
   */
  needsReseal(envelope: string): boolean {
    return parseEnvelope(envelope).keyId !== this.current.id;
  }

  /**
   * Opens the envelope with whichever configured key sealed it and seals it again under the current key.
   * @throws SecretUnreadableError as {@link SecretBox.open} does.
   */
  reseal(envelope: string, binding: SecretBinding): string {
    return this.seal(this.open(envelope, binding), binding);
  }
}

function toMasterKey(key: Buffer): MasterKey {
  if (key.length !== MASTER_KEY_BYTES) {
    throw new RangeError(`A master key must be ${MASTER_KEY_BYTES} bytes, not ${key.length}`);
  }
  return { id: masterKeyId(key), key: Buffer.from(key) };
}

// A JSON array keeps the fields apart whatever characters they hold; the header is included so that
// an envelope cannot be relabelled.
function additionalData(keyId: string, binding: SecretBinding): Buffer {
  return Buffer.from(
    JSON.stringify([VERSION, keyId, binding.organizationId, binding.recordId, binding.purpose]),
    'utf8',
  );
}

function openWith(master: MasterKey, envelope: Envelope, binding: SecretBinding): string | null {
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveDataKey(master.key, binding.organizationId, binding.purpose),
    envelope.iv,
    { authTagLength: TAG_BYTES },
  );
  decipher.setAAD(additionalData(master.id, binding));
  decipher.setAuthTag(envelope.tag);
  try {
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

function parseEnvelope(envelope: string): Envelope {
  const parts = envelope.split(':');
  if (parts.length !== 5) {
    throw SecretUnreadableError.malformed(
      `expected 5 parts separated by ':', found ${parts.length}`,
    );
  }
  const [version, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw SecretUnreadableError.malformed('unsupported version');
  if (!KEY_ID.test(keyId)) {
    throw SecretUnreadableError.malformed('the master key id is not 8 lowercase hex characters');
  }
  return {
    keyId,
    iv: decodePart('IV', iv, IV_BYTES),
    tag: decodePart('tag', tag, TAG_BYTES),
    ciphertext: decodePart('ciphertext', ciphertext, null),
  };
}

function decodePart(name: string, text: string, length: number | null): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  // Node's decoder skips characters it does not know; insist on the canonical encoding instead.
  if (!BASE64URL.test(text) || bytes.toString('base64url') !== text) {
    throw SecretUnreadableError.malformed(`the ${name} is not base64url`);
  }
  if (length !== null && bytes.length !== length) {
    throw SecretUnreadableError.malformed(`the ${name} is ${bytes.length} bytes, not ${length}`);
  }
  return bytes;
}
