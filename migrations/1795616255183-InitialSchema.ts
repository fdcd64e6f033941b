import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { columns } from '../src/database/column-types';

export class InitialSchema1795616255183 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'organizations',
        columns: [c.id(), c.text('name', 128), c.timestamp('created_at')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'projects',
        columns: [
          c.id(),
          c.reference('organization_id'),
          c.text('name', 128),
          c.text('name_key', 128),
          c.text('description', 1000, true),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_projects_organization_name',
            columnNames: ['organization_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_projects_organization',
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'admin_keys',
        columns: [
          c.id(),
          c.reference('organization_id'),
          c.text('name', 128),
          c.text('key_hash', 64),
          c.text('last_four', 4),
          c.timestamp('created_at'),
          c.timestamp('revoked_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_admin_keys_key_hash',
            columnNames: ['key_hash'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_admin_keys_organization',
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.id(),
          c.reference('project_id'),
          c.text('environment', 16),
          c.text('name', 128),
          c.text('key_hash', 64),
          c.text('last_four', 4),
          c.json('limits', true),
          c.timestamp('created_at'),
          c.timestamp('revoked_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_api_keys_key_hash',
            columnNames: ['key_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_api_keys_project', columnNames: ['project_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_api_keys_project',
            columnNames: ['project_id'],
            referencedTableName: 'projects',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_keys');
    await queryRunner.dropTable('admin_keys');
    await queryRunner.dropTable('projects');
    await queryRunner.dropTable('organizations');
  }
}
