import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { columns } from '../src/database/column-types';

export class CustomProvidersAndAudit1795616837620 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'custom_providers',
        columns: [
          c.id(),
          c.reference('project_id'),
          c.text('name', 64),
          c.text('name_key', 64),
          c.text('base_url', 2048),
          c.text('format', 16),
          { name: 'api_key_ciphertext', type: 'text', isNullable: true },
          c.text('api_key_last_four', 4, true),
          c.boolean('is_active'),
          { name: 'last_test_ok', type: 'boolean', isNullable: true },
          c.integer('last_test_latency_ms', true),
          c.integer('last_test_status', true),
          c.text('last_test_error', 1000, true),
          c.timestamp('last_tested_at', true),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_custom_providers_project_name',
            columnNames: ['project_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_custom_providers_project',
            columnNames: ['project_id'],
            referencedTableName: 'projects',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'custom_provider_models',
        columns: [
          c.id(),
          c.reference('provider_id'),
          c.text('name', 128),
          c.text('name_key', 128),
          c.text('upstream_name', 256, true),
          c.bigint('input_price_per_million', true),
          c.bigint('output_price_per_million', true),
          c.timestamp('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_custom_provider_models_provider_name',
            columnNames: ['provider_id', 'name_key'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_custom_provider_models_provider',
            columnNames: ['provider_id'],
            referencedTableName: 'custom_providers',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_logs',
        columns: [
          c.id(),
          c.reference('organization_id'),
          c.reference('project_id', true),
          c.text('actor_type', 16),
          c.reference('actor_id', true),
          c.text('actor_name', 128, true),
          c.text('action', 64),
          c.text('target_type', 32),
          c.reference('target_id'),
          c.json('changes'),
          c.text('ip', 64, true),
          c.text('user_agent', 512, true),
          c.timestamp('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_audit_logs_organization_time',
            columnNames: ['organization_id', 'created_at', 'id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_logs');
    await queryRunner.dropTable('custom_provider_models');
    await queryRunner.dropTable('custom_providers');
  }
}
