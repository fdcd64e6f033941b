import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from '../../tenancy/entities/project.entity';
import { CustomProviderModelEntity } from './custom-provider-model.entity';

export type ProviderFormat = 'openai' | 'anthropic';
export const PROVIDER_FORMATS: readonly ProviderFormat[] = ['openai', 'anthropic'];

@Entity('custom_providers')
@Index('UQ_custom_providers_project_name', ['projectId', 'nameKey'], { unique: true })
export class CustomProviderEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'project_id', type: 'varchar', length: 40 })
  projectId!: string;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_custom_providers_project' })
  project?: ProjectEntity;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** Lower-cased name, for case-insensitive uniqueness and routing. */
  @Column({ name: 'name_key', type: 'varchar', length: 64 })
  nameKey!: string;

  @Column({ name: 'base_url', type: 'varchar', length: 2048 })
  baseUrl!: string;

  @Column({ type: 'varchar', length: 16 })
  format!: ProviderFormat;

  /** SecretBox envelope of the upstream API key; never the key itself. */
  @Column({ name: 'api_key_ciphertext', type: 'text', nullable: true })
  apiKeyCiphertext!: string | null;

  @Column({ name: 'api_key_last_four', type: 'varchar', length: 4, nullable: true })
  apiKeyLastFour!: string | null;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @Column({ name: 'last_test_ok', type: 'boolean', nullable: true })
  lastTestOk!: boolean | null;

  @Column({ name: 'last_test_latency_ms', type: 'integer', nullable: true })
  lastTestLatencyMs!: number | null;

  @Column({ name: 'last_test_status', type: 'integer', nullable: true })
  lastTestStatus!: number | null;

  @Column({ name: 'last_test_error', type: 'varchar', length: 1000, nullable: true })
  lastTestError!: string | null;

  @Column({ name: 'last_tested_at', type: Date, nullable: true })
  lastTestedAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @OneToMany(() => CustomProviderModelEntity, (model) => model.provider)
  models?: CustomProviderModelEntity[];
}
