import { ApiProperty } from '@nestjs/swagger';
import type { ProjectEntity } from '../entities/project.entity';

export class ProjectResponseDto {
  @ApiProperty({ description: 'Project id.', example: 'prj_0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e' })
  id!: string;

  @ApiProperty({
    description: 'The organization that owns the project.',
    example: 'org_8a1d0c6b2e3f4a5b9c7d1e2f3a4b5c6d',
  })
  organizationId!: string;

  @ApiProperty({ description: 'Display name.', example: 'Support assistant' })
  name!: string;

  @ApiProperty({
    description: 'What the project is for.',
    type: String,
    nullable: true,
    example: 'Answers customer tickets',
  })
  description!: string | null;

  @ApiProperty({ description: 'When the project was created.', format: 'date-time', type: String })
  createdAt!: string;

  @ApiProperty({
    description: 'When the project was last changed.',
    format: 'date-time',
    type: String,
  })
  updatedAt!: string;
}

export class ProjectListResponseDto {
  @ApiProperty({ type: [ProjectResponseDto] })
  data!: ProjectResponseDto[];
}

export function toProjectResponse(entity: ProjectEntity): ProjectResponseDto {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    name: entity.name,
    description: entity.description,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
