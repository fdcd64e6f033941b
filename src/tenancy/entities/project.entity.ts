import { Column, Entity, Index, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from './organization.entity';

@Entity('projects')
@Index('UQ_projects_organization_name', ['organizationId', 'nameKey'], { unique: true })
export class ProjectEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ name: 'organization_id', type: 'varchar', length: 40 })
  organizationId!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_projects_organization' })
  organization?: OrganizationEntity;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  /** Lower-cased name: the unique index is on this, so names are unique case-insensitively on every driver. */
  @Column({ name: 'name_key', type: 'varchar', length: 128 })
  nameKey!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
