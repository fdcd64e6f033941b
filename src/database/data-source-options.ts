import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaults as pgDefaults, types as pgTypes } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/migrations';
import type { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';

const PG_TIMESTAMP_WITHOUT_TZ = 1114;

/** The only place that knows whether the database is SQLite or PostgreSQL. */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;

  if (database.type === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return { ...common, type: 'better-sqlite3', database: database.path, enableWAL: true };
  }

  // `timestamp` columns hold UTC: write and read them as UTC whatever the process's TZ.
  pgDefaults.parseInputDatesAsUTC = true;
  pgTypes.setTypeParser(PG_TIMESTAMP_WITHOUT_TZ, (text) => new Date(`${text.replace(' ', 'T')}Z`));
  return {
    ...common,
    type: 'postgres',
    url: database.url,
    extra: { max: 10, options: '-c timezone=UTC' },
  };
}
