import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/load-config';
import { resolveMasterKey } from '../config/local-secrets';
import { SecretBox } from '../crypto/secret-box.service';
import { dataSourceOptions } from '../database/data-source-options';
import { rotateProviderKeys } from '../providers/provider-key-rotation';
import { ProviderKeyVault } from '../providers/provider-key-vault.service';

/**
 * `npm run keys:rotate`: after SWITCHYARD_MASTER_KEY is changed (and the old key moved to
 * SWITCHYARD_PREVIOUS_MASTER_KEYS), re-seals every stored secret under the new key.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    const vault = new ProviderKeyVault(
      new SecretBox(resolveMasterKey(config, [], false), config.previousMasterKeys),
    );
    const report = await rotateProviderKeys(dataSource, vault);
    console.log(
      `Provider keys: ${report.total} stored, ${report.resealed} re-sealed, ${report.current} already current, ${report.unreadable.length} unreadable`,
    );
    if (report.unreadable.length > 0) {
      console.error(
        `Unreadable (no configured master key opens them; set their API key again): ${report.unreadable.join(', ')}`,
      );
      process.exitCode = 2;
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
