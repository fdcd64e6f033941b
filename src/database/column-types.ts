import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column definitions for migrations that come out identical to what the entities declare on
 * both SQLite and PostgreSQL, so the drift check finds nothing to change.
 * Entities declare timestamps as `type: Date`, which TypeORM maps to `datetime` (SQLite) or
 * `timestamp` (PostgreSQL, stored and read as UTC; see data-source-options.ts).
 */
export function columns(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  return {
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '40',
      isPrimary: true,
    }),
    reference: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '40',
      isNullable: nullable,
    }),
    text: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    json: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'text',
      isNullable: nullable,
    }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamp' : 'datetime',
      isNullable: nullable,
    }),
    boolean: (name: string): TableColumnOptions => ({ name, type: 'boolean' }),
    integer: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: nullable,
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'bigint',
      isNullable: nullable,
    }),
  };
}
