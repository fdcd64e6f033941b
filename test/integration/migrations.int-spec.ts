import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/migrate';
import { MIGRATIONS } from '../../migrations/migrations';
import { OrganizationEntity } from '../../src/tenancy/entities/organization.entity';
import { ProjectEntity } from '../../src/tenancy/entities/project.entity';
import { createPostgresDatabase, type TestDatabase } from '../support/test-environment';

const TABLES = [
  'organizations',
  'projects',
  'admin_keys',
  'api_keys',
  'custom_providers',
  'custom_provider_models',
  'audit_logs',
];

interface Target {
  config: DatabaseConfig;
  cleanup(): Promise<void>;
}

const drivers: [string, () => Promise<Target>][] = [
  [
    'SQLite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'switchyard-migrations-'));
      const cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
      return Promise.resolve({ config: { type: 'sqlite', path: join(dir, 'db.sqlite') }, cleanup });
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const database: TestDatabase = await createPostgresDatabase('migrations');
      return { config: { type: 'postgres', url: database.url }, cleanup: () => database.drop() };
    },
  ],
];

describe.each(drivers)('migrations on %s', (_name, createTarget) => {
  let target: Target;
  let dataSource: DataSource;

  beforeAll(async () => {
    target = await createTarget();
    dataSource = await new DataSource(dataSourceOptions(target.config)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await target.cleanup();
  });

  it('applies every migration to an empty database, then finds nothing left to apply', async () => {
    expect(await runMigrations(dataSource)).toBe(MIGRATIONS.length);
    expect(await runMigrations(dataSource)).toBe(0);
    expect(await existingTables(dataSource)).toEqual(TABLES);
  });

  it('leaves no drift between the migrated schema and the entities', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('reverts every migration and applies them again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    expect(await existingTables(dataSource)).toEqual([]);
    expect(await runMigrations(dataSource)).toBe(MIGRATIONS.length);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });

  it('enforces project names unique per organization, case-insensitively through name_key', async () => {
    const now = new Date();
    await dataSource
      .getRepository(OrganizationEntity)
      .insert({ id: 'org_a', name: 'A', createdAt: now });
    const projects = dataSource.getRepository(ProjectEntity);
    const project = (id: string, name: string) => ({
      id,
      organizationId: 'org_a',
      name,
      nameKey: name.toLowerCase(),
      description: null,
      createdAt: now,
      updatedAt: now,
    });
    await projects.insert(project('prj_1', 'Support'));
    await expect(projects.insert(project('prj_2', 'SUPPORT'))).rejects.toThrow(QueryFailedError);
  });
});

describe('migrations on PostgreSQL, started by several replicas at once', () => {
  it('run once under the advisory lock', async () => {
    const database = await createPostgresDatabase('migration_lock');
    const sources = await Promise.all(
      [1, 2, 3].map(() =>
        new DataSource(dataSourceOptions({ type: 'postgres', url: database.url })).initialize(),
      ),
    );
    try {
      const applied = await Promise.all(sources.map((source) => runMigrations(source)));
      expect(applied.reduce((sum, count) => sum + count, 0)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
      await database.drop();
    }
  });
});

async function existingTables(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const present: string[] = [];
    for (const table of TABLES) if (await runner.hasTable(table)) present.push(table);
    return present;
  } finally {
    await runner.release();
  }
}
