import type { DataSource } from 'typeorm';

/** Every row of every table (migrations and job tables included), by table name. */
export async function dumpAllTables(
  dataSource: DataSource,
): Promise<Record<string, Record<string, unknown>[]>> {
  const tables =
    dataSource.options.type === 'postgres'
      ? await dataSource.query<{ name: string }[]>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
        )
      : await dataSource.query<{ name: string }[]>(
          `SELECT name FROM sqlite_master WHERE type = 'table'`,
        );
  if (tables.length === 0) throw new Error('No tables found');
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of tables) {
    dump[name] = await dataSource.query<Record<string, unknown>[]>(`SELECT * FROM "${name}"`);
  }
  return dump;
}
