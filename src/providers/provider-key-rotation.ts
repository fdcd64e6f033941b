import type { DataSource } from 'typeorm';
import { IsNull, Not } from 'typeorm';
import { SecretUnreadableError } from '../crypto/secret-unreadable.error';
import { CustomProviderEntity } from './entities/custom-provider.entity';
import { ProviderKeyUnreadableError, type ProviderKeyVault } from './provider-key-vault.service';

export interface RotationReport {
  /** Provider keys stored in all. */
  total: number;
  /** Re-sealed under the current master key by this run. */
  resealed: number;
  /** Already sealed under the current master key. */
  current: number;
  /** Keys no configured master key can open, by provider id. */
  unreadable: string[];
}

/**
 * Re-seals every stored provider key under the current master key. Idempotent: a second run finds
 * everything current. A row changed meanwhile (say, its key replaced) is left as the change made it.
 */
export async function rotateProviderKeys(
  dataSource: DataSource,
  vault: ProviderKeyVault,
): Promise<RotationReport> {
  const providers = await dataSource.getRepository(CustomProviderEntity).find({
    where: { apiKeyCiphertext: Not(IsNull()) },
    relations: { project: true },
    order: { createdAt: 'ASC' },
  });
  const report: RotationReport = {
    total: providers.length,
    resealed: 0,
    current: 0,
    unreadable: [],
  };
  for (const provider of providers) {
    const ciphertext = provider.apiKeyCiphertext!;
    try {
      if (!vault.needsReseal(ciphertext)) {
        report.current++;
        continue;
      }
      const resealed = vault.reseal(ciphertext, {
        organizationId: provider.project!.organizationId,
        providerId: provider.id,
      });
      await dataSource
        .getRepository(CustomProviderEntity)
        .update({ id: provider.id, apiKeyCiphertext: ciphertext }, { apiKeyCiphertext: resealed });
      report.resealed++;
    } catch (error) {
      if (!(error instanceof SecretUnreadableError || error instanceof ProviderKeyUnreadableError))
        throw error;
      report.unreadable.push(provider.id);
    }
  }
  return report;
}
