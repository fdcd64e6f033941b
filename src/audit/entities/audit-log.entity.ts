import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditActorType = 'root' | 'admin_key';

export interface AuditChanges {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

@Entity('audit_logs')
@Index('IDX_audit_logs_organization_time', ['organizationId', 'createdAt', 'id'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  /** No foreign key: audit rows outlive what they describe. */
  @Column({ name: 'organization_id', type: 'varchar', length: 40 })
  organizationId!: string;

  @Column({ name: 'project_id', type: 'varchar', length: 40, nullable: true })
  projectId!: string | null;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: AuditActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 40, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 128, nullable: true })
  actorName!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 40 })
  targetId!: string;

  @Column({ type: 'simple-json' })
  changes!: AuditChanges;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
