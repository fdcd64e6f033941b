import { createDecipheriv, randomBytes } from 'node:crypto';
import { deriveDataKey, masterKeyId } from './key-derivation';
import { type SecretBinding, SecretBox } from './secret-box.service';
import { SecretUnreadableError } from './secret-unreadable.error';

const PLAINTEXT = 'sk-live-0123456789abcdefghijklmnopqrstuvwxyz';
const BINDING: SecretBinding = {
  organizationId: 'org_1',
  recordId: 'prv_1',
  purpose: 'provider_api_key',
};

function errorOf(action: () => unknown): SecretUnreadableError {
  try {
    action();
  } catch (error) {
    if (error instanceof SecretUnreadableError) return error;
    throw error;
  }
  throw new Error('expected a SecretUnreadableError, but nothing was thrown');
}

function parts(envelope: string): string[] {
  return envelope.split(':');
}

function withPart(envelope: string, index: number, value: string): string {
  const copy = parts(envelope);
  copy[index] = value;
  return copy.join(':');
}

function flipFirstByte(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes.writeUInt8(bytes.readUInt8(0) ^ 0x01, 0);
  return bytes.toString('base64url');
}

function otherKeyId(keyId: string): string {
  return `${keyId.slice(0, 7)}${keyId.endsWith('0') ? '1' : '0'}`;
}

describe('SecretBox', () => {
  const masterKey = randomBytes(32);
  const box = new SecretBox(masterKey);

  describe('seal and open', () => {
    it('opens what it sealed', () => {
      expect(box.open(box.seal(PLAINTEXT, BINDING), BINDING)).toBe(PLAINTEXT);
    });

    it.each([
      ['empty', ''],
      ['non-ASCII', 'clé-🔑-ключ'],
      ['colon-bearing', 'a:b:c:d:e'],
    ])('round-trips %s text', (_label, text) => {
      expect(box.open(box.seal(text, BINDING), BINDING)).toBe(text);
    });

    it('produces a different envelope on every seal of the same text', () => {
      const first = box.seal(PLAINTEXT, BINDING);
      const second = box.seal(PLAINTEXT, BINDING);

      expect(parts(first)[2]).not.toBe(parts(second)[2]);
      expect(first).not.toBe(second);
    });

    it('writes v1:<master key id>:<12-byte iv>:<16-byte tag>:<ciphertext> in base64url', () => {
      const [version, keyId, iv, tag, ciphertext, ...rest] = parts(box.seal(PLAINTEXT, BINDING));

      expect(rest).toEqual([]);
      expect(version).toBe('v1');
      expect(keyId).toBe(masterKeyId(masterKey));
      expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
      expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
      expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(Buffer.byteLength(PLAINTEXT));
      expect(`${iv}${tag}${ciphertext}`).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it('is AES-256-GCM under the derived data key with the binding as a JSON array in the AAD', () => {
      const [, keyId, iv, tag, ciphertext] = parts(box.seal(PLAINTEXT, BINDING));
      const decipher = createDecipheriv(
        'aes-256-gcm',
        deriveDataKey(masterKey, BINDING.organizationId, BINDING.purpose),
        Buffer.from(iv!, 'base64url'),
      );
      decipher.setAAD(
        Buffer.from(JSON.stringify(['v1', keyId, 'org_1', 'prv_1', 'provider_api_key'])),
      );
      decipher.setAuthTag(Buffer.from(tag!, 'base64url'));

      const opened = Buffer.concat([
        decipher.update(Buffer.from(ciphertext!, 'base64url')),
        decipher.final(),
      ]).toString('utf8');

      expect(opened).toBe(PLAINTEXT);
    });

    it('keeps neither the plaintext nor an encoding of it in the envelope', () => {
      const envelope = box.seal(PLAINTEXT, BINDING);
      const plain = Buffer.from(PLAINTEXT);

      for (const encoded of [
        PLAINTEXT,
        plain.toString('base64'),
        plain.toString('base64url'),
        plain.toString('hex'),
      ]) {
        expect(envelope).not.toContain(encoded);
      }
    });

    it('refuses master keys that are not 32 bytes', () => {
      expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
      expect(() => new SecretBox(randomBytes(32), [randomBytes(31)])).toThrow(RangeError);
    });
  });

  describe('tampering', () => {
    it.each([
      ['iv', 2],
      ['tag', 3],
      ['ciphertext', 4],
    ])('fails with authentication_failed when the %s changes', (_label, index) => {
      const envelope = box.seal(PLAINTEXT, BINDING);
      const tampered = withPart(envelope, index, flipFirstByte(parts(envelope)[index]!));

      expect(errorOf(() => box.open(tampered, BINDING)).reason).toBe('authentication_failed');
    });

    it('fails with unknown_master_key when the key id names no configured key', () => {
      const envelope = box.seal(PLAINTEXT, BINDING);
      const tampered = withPart(envelope, 1, otherKeyId(parts(envelope)[1]!));

      expect(errorOf(() => box.open(tampered, BINDING)).reason).toBe('unknown_master_key');
    });

    it('fails with authentication_failed when the key id is relabelled to another configured key', () => {
      const oldKey = randomBytes(32);
      const rotated = new SecretBox(masterKey, [oldKey]);
      const relabelled = withPart(rotated.seal(PLAINTEXT, BINDING), 1, masterKeyId(oldKey));

      expect(errorOf(() => rotated.open(relabelled, BINDING)).reason).toBe('authentication_failed');
    });

    it('fails with malformed when the version changes', () => {
      const tampered = withPart(box.seal(PLAINTEXT, BINDING), 0, 'v2');

      expect(errorOf(() => box.open(tampered, BINDING)).reason).toBe('malformed');
    });
  });

  describe('binding', () => {
    it.each<[string, Partial<SecretBinding>]>([
      ['organization', { organizationId: 'org_2' }],
      ['record', { recordId: 'prv_2' }],
      ['purpose', { purpose: 'webhook_secret' }],
    ])('fails with authentication_failed for another %s', (_label, change) => {
      const envelope = box.seal(PLAINTEXT, BINDING);

      expect(errorOf(() => box.open(envelope, { ...BINDING, ...change })).reason).toBe(
        'authentication_failed',
      );
    });
  });

  describe('rotation', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const oldBox = new SecretBox(oldKey);
    const rotatedBox = new SecretBox(newKey, [oldKey]);
    const newOnlyBox = new SecretBox(newKey);

    it('opens envelopes sealed under a previous master key', () => {
      expect(rotatedBox.open(oldBox.seal(PLAINTEXT, BINDING), BINDING)).toBe(PLAINTEXT);
    });

    it('says envelopes under a previous key need resealing and fresh ones do not', () => {
      expect(rotatedBox.needsReseal(oldBox.seal(PLAINTEXT, BINDING))).toBe(true);
      expect(rotatedBox.needsReseal(rotatedBox.seal(PLAINTEXT, BINDING))).toBe(false);
    });

    it('says envelopes under an unknown key need resealing', () => {
      expect(newOnlyBox.needsReseal(oldBox.seal(PLAINTEXT, BINDING))).toBe(true);
    });

    it('reseals under the current key so that a box with only the new key opens it', () => {
      const resealed = rotatedBox.reseal(oldBox.seal(PLAINTEXT, BINDING), BINDING);

      expect(rotatedBox.needsReseal(resealed)).toBe(false);
      expect(parts(resealed)[1]).toBe(masterKeyId(newKey));
      expect(newOnlyBox.open(resealed, BINDING)).toBe(PLAINTEXT);
    });

    it('does not reseal an envelope for another binding', () => {
      const envelope = oldBox.seal(PLAINTEXT, BINDING);

      expect(
        errorOf(() => rotatedBox.reseal(envelope, { ...BINDING, organizationId: 'org_2' })).reason,
      ).toBe('authentication_failed');
    });

    it('reports unknown_master_key naming the id when the old key is gone', () => {
      const error = errorOf(() => newOnlyBox.open(oldBox.seal(PLAINTEXT, BINDING), BINDING));

      expect(error.reason).toBe('unknown_master_key');
      expect(error.message).toContain(`master key ${masterKeyId(oldKey)},`);
      expect(error.message).toContain('SWITCHYARD_PREVIOUS_MASTER_KEYS');
    });
  });

  describe('malformed envelopes', () => {
    const envelope = box.seal(PLAINTEXT, BINDING);
    const [, , iv, tag, ciphertext] = parts(envelope) as [string, string, string, string, string];

    it.each([
      ['an empty string', ''],
      ['four parts', parts(envelope).slice(0, 4).join(':')],
      ['six parts', `${envelope}:AAAA`],
      ['an upper-case version', withPart(envelope, 0, 'V1')],
      ['a key id that is not 8 hex characters', withPart(envelope, 1, 'ABCDEF12')],
      ['a standard-base64 character in the iv', withPart(envelope, 2, `+${iv.slice(1)}`)],
      ['a stray character in the ciphertext', withPart(envelope, 4, `${ciphertext}$`)],
      ['base64 padding in the tag', withPart(envelope, 3, `${tag}==`)],
      ['an 8-byte iv', withPart(envelope, 2, randomBytes(8).toString('base64url'))],
      ['a 16-byte iv', withPart(envelope, 2, randomBytes(16).toString('base64url'))],
      [
        'a truncated tag',
        withPart(envelope, 3, Buffer.from(tag, 'base64url').subarray(0, 12).toString('base64url')),
      ],
    ])('rejects %s as malformed', (_label, bad) => {
      expect(errorOf(() => box.open(bad, BINDING)).reason).toBe('malformed');
    });

    it('rejects a tag whose unused trailing bits are set, though it decodes to the same bytes', () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(tag.slice(-1));
      const nonCanonical = `${tag.slice(0, -1)}${alphabet[last | 1]}`;

      expect(Buffer.from(nonCanonical, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
      expect(errorOf(() => box.open(withPart(envelope, 3, nonCanonical), BINDING)).reason).toBe(
        'malformed',
      );
    });

    it('rejects a malformed envelope in needsReseal too', () => {
      expect(errorOf(() => box.needsReseal('v1:nothing')).reason).toBe('malformed');
    });
  });

  describe('error messages', () => {
    const oldKey = randomBytes(32);
    const rotatedBox = new SecretBox(masterKey, [oldKey]);

    function collectErrors() {
      const envelope = rotatedBox.seal(PLAINTEXT, BINDING);
      const open =
        (text: string, binding = BINDING) =>
        () =>
          rotatedBox.open(text, binding);
      return {
        unknownKey: errorOf(() => new SecretBox(randomBytes(32)).open(envelope, BINDING)),
        otherRecord: errorOf(open(envelope, { ...BINDING, recordId: 'prv_2' })),
        alteredCiphertext: errorOf(open(withPart(envelope, 4, flipFirstByte(parts(envelope)[4]!)))),
        shortIv: errorOf(open(withPart(envelope, 2, 'AAAA'))),
        badBase64: errorOf(open(`${envelope}$`)),
        extraPart: errorOf(open(`${envelope}:x`)),
      };
    }

    it('covers every reason', () => {
      const errors = Object.values(collectErrors());

      expect(new Set(errors.map((error) => error.reason))).toEqual(
        new Set(['malformed', 'unknown_master_key', 'authentication_failed']),
      );
    });

    it('never contain the plaintext or key bytes', () => {
      const dataKey = deriveDataKey(masterKey, BINDING.organizationId, BINDING.purpose);
      const forbidden = [
        PLAINTEXT,
        Buffer.from(PLAINTEXT).toString('base64'),
        Buffer.from(PLAINTEXT).toString('base64url'),
        ...[masterKey, oldKey, dataKey].flatMap((key) => [
          key.toString('hex'),
          key.toString('base64'),
          key.toString('base64url'),
        ]),
      ];

      for (const error of Object.values(collectErrors())) {
        for (const secret of forbidden) {
          expect(`${error.message}\n${error.stack}`).not.toContain(secret);
        }
      }
    });

    it('say how to fix the problem', () => {
      for (const error of Object.values(collectErrors())) {
        expect(error.message).toMatch(/set the provider's API key again$/);
      }
    });

    it('describe an altered or misplaced ciphertext', () => {
      expect(collectErrors().otherRecord.message).toContain(
        "the ciphertext was altered or belongs to another provider or organization: set the provider's API key again",
      );
    });
  });
});
