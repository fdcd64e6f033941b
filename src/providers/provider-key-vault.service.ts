import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error';
import { SecretBox } from '../crypto/secret-box.service';
import { SecretUnreadableError } from '../crypto/secret-unreadable.error';
import type { CustomProviderEntity } from './entities/custom-provider.entity';

// Changing this label makes every stored provider key unreadable: it is part of the key derivation.
const PURPOSE = 'provider_api_key';

export interface ProviderKeyOwner {
  organizationId: string;
  providerId: string;
}

/** Seals provider API keys for storage and opens them only when a request is forwarded or tested. */
@Injectable()
export class ProviderKeyVault {
  constructor(private readonly secretBox: SecretBox) {}

  /** The columns that store `apiKey` (null: no key). */
  sealed(
    apiKey: string | null,
    owner: ProviderKeyOwner,
  ): Pick<CustomProviderEntity, 'apiKeyCiphertext' | 'apiKeyLastFour'> {
    if (apiKey === null) return { apiKeyCiphertext: null, apiKeyLastFour: null };
    return {
      apiKeyCiphertext: this.secretBox.seal(apiKey, binding(owner)),
      apiKeyLastFour: apiKey.length >= 8 ? apiKey.slice(-4) : null,
    };
  }

  /** The provider's key in clear, or null when it has none. */
  open(
    provider: Pick<CustomProviderEntity, 'id' | 'apiKeyCiphertext'>,
    organizationId: string,
  ): string | null {
    if (provider.apiKeyCiphertext === null) return null;
    try {
      return this.secretBox.open(
        provider.apiKeyCiphertext,
        binding({ organizationId, providerId: provider.id }),
      );
    } catch (error) {
      if (error instanceof SecretUnreadableError)
        throw new ProviderKeyUnreadableError(provider.id, error.message);
      throw error;
    }
  }

  needsReseal(ciphertext: string): boolean {
    return this.secretBox.needsReseal(ciphertext);
  }

  reseal(ciphertext: string, owner: ProviderKeyOwner): string {
    return this.secretBox.reseal(ciphertext, binding(owner));
  }
}

export class ProviderKeyUnreadableError extends ApiError {
  constructor(providerId: string, reason: string) {
    super(
      409,
      'conflict_error',
      'provider_key_unreadable',
      `The API key of provider ${providerId} cannot be decrypted. ${reason}`,
    );
  }
}

function binding(owner: ProviderKeyOwner) {
  return { organizationId: owner.organizationId, recordId: owner.providerId, purpose: PURPOSE };
}
