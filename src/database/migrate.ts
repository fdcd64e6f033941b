import type { DataSource } from 'typeorm';

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK_ID = 4_172_020_611;

/**
 * Runs pending migrations. On PostgreSQL a session advisory lock makes replicas that start
 * together take turns; SQLite is a single-writer file and needs none.
 */
export async function runMigrations(dataSource: DataSource): Promise<number> {
  if (dataSource.options.type !== 'postgres') {
    return (await dataSource.runMigrations({ transaction: 'each' })).length;
  }
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return (await dataSource.runMigrations({ transaction: 'each' })).length;
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID])
      .catch(() => undefined);
    await lockRunner.release();
  }
}
