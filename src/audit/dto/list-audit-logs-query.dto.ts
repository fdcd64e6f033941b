import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AuditActorType } from '../entities/audit-log.entity';

const ACTOR_TYPES: AuditActorType[] = ['root', 'admin_key'];

export class ListAuditLogsQueryDto {
  @ApiPropertyOptional({
    description: 'Only this action.',
    example: 'provider.update',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({
    description: 'Only changes in this project.',
    example: 'prj_0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  projectId?: string;

  @ApiPropertyOptional({
    description: 'Only changes made with this admin key id.',
    example: 'adk_3f1c9a0e5b7d4c2a9e8f1b2c3d4e5f60',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  actorId?: string;

  @ApiPropertyOptional({
    description: 'Only changes made by this kind of caller.',
    enum: ACTOR_TYPES,
    enumName: 'AuditActorType',
  })
  @IsOptional()
  @IsIn(ACTOR_TYPES)
  actorType?: AuditActorType;

  @ApiPropertyOptional({
    description: 'Only entries at or after this time.',
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Only entries before this time.',
    format: 'date-time',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Page size.', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
