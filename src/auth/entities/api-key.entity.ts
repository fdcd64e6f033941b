import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProjectEntity } from '../../tenancy/entities/project.entity';
import type { KeyEnvironment } from '../key-format';

export interface ApiKeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

@Entity('api_keys')
@Index('IDX_api_keys_project', ['projectId'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'project_id', type: 'varchar', length: 40 })
  projectId!: string;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_api_keys_project' })
  project?: ProjectEntity;

  @Column({ type: 'varchar', length: 16 })
  environment!: KeyEnvironment;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  /** Hex SHA-256 of the whole key; the key itself is never stored. */
  @Index('UQ_api_keys_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ name: 'last_four', type: 'varchar', length: 4 })
  lastFour!: string;

  @Column({ type: 'simple-json', nullable: true })
  limits!: ApiKeyLimits | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;
}
