import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditActorType, AuditLogEntity } from '../entities/audit-log.entity';

export class AuditActorDto {
  @ApiProperty({ enum: ['root', 'admin_key'], enumName: 'AuditActorType', example: 'admin_key' })
  type!: AuditActorType;

  @ApiProperty({
    description: 'Admin key id; null for the root token.',
    type: String,
    nullable: true,
    example: 'adk_3f1c9a0e5b7d4c2a9e8f1b2c3d4e5f60',
  })
  id!: string | null;

  @ApiProperty({
    description: "The admin key's name, or root.",
    type: String,
    nullable: true,
    example: 'ci-deploy',
  })
  name!: string | null;
}

export class AuditChangesDto {
  @ApiPropertyOptional({
    description: 'Changed fields before the action; secrets appear as "[redacted]".',
    type: 'object',
    additionalProperties: {},
    example: { baseUrl: 'http://localhost:11434/v1' },
  })
  before?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Changed fields after the action; secrets appear as "[redacted]".',
    type: 'object',
    additionalProperties: {},
    example: { baseUrl: 'http://gpu-box.internal:8000/v1' },
  })
  after?: Record<string, unknown>;
}

export class AuditLogResponseDto {
  @ApiProperty({ example: 'aud_6c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f' })
  id!: string;

  @ApiProperty({ example: 'org_8a1d0c6b2e3f4a5b9c7d1e2f3a4b5c6d' })
  organizationId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'prj_0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e' })
  projectId!: string | null;

  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty({ description: '`<resource>.<verb>`.', example: 'provider.update' })
  action!: string;

  @ApiProperty({ description: 'What kind of thing was changed.', example: 'provider' })
  targetType!: string;

  @ApiProperty({ example: 'cp_1f2e3d4c5b6a79880a1b2c3d4e5f6a7b' })
  targetId!: string;

  @ApiProperty({ type: AuditChangesDto })
  changes!: AuditChangesDto;

  @ApiProperty({
    description: 'Client address as the gateway saw it.',
    type: String,
    nullable: true,
    example: '203.0.113.7',
  })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'switchyard-sdk/1.0' })
  userAgent!: string | null;

  @ApiProperty({ format: 'date-time', type: String })
  createdAt!: string;
}

export class AuditLogListResponseDto {
  @ApiProperty({ type: [AuditLogResponseDto] })
  data!: AuditLogResponseDto[];

  @ApiProperty({
    description: 'Pass as `cursor` for the next page; null on the last page.',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

export function toAuditLogResponse(entity: AuditLogEntity): AuditLogResponseDto {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    projectId: entity.projectId,
    actor: { type: entity.actorType, id: entity.actorId, name: entity.actorName },
    action: entity.action,
    targetType: entity.targetType,
    targetId: entity.targetId,
    changes: entity.changes,
    ip: entity.ip,
    userAgent: entity.userAgent,
    createdAt: entity.createdAt.toISOString(),
  };
}
