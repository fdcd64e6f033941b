export type SecretUnreadableReason = 'malformed' | 'unknown_master_key' | 'authentication_failed';

/** Messages say what happened and how to fix it, and never carry secret material. */
export class SecretUnreadableError extends Error {
  constructor(
    readonly reason: SecretUnreadableReason,
    message: string,
  ) {
    super(message);
    this.name = 'SecretUnreadableError';
  }

  static malformed(problem: string): SecretUnreadableError {
    return new SecretUnreadableError(
      'malformed',
      `The stored secret is not a readable envelope (${problem}): set the provider's API key again`,
    );
  }

  static unknownMasterKey(keyId: string): SecretUnreadableError {
    return new SecretUnreadableError(
      'unknown_master_key',
      `The stored secret was sealed with master key ${keyId}, which is neither SWITCHYARD_MASTER_KEY nor in SWITCHYARD_PREVIOUS_MASTER_KEYS: restore that key or set the provider's API key again`,
    );
  }

  static authenticationFailed(): SecretUnreadableError {
    return new SecretUnreadableError(
      'authentication_failed',
      "The stored secret cannot be opened because the ciphertext was altered or belongs to another provider or organization: set the provider's API key again",
    );
  }
}
