import { ApiProperty } from '@nestjs/swagger';
import type { OrganizationEntity } from '../entities/organization.entity';

export class OrganizationResponseDto {
  @ApiProperty({ description: 'Organization id.', example: 'org_8a1d0c6b2e3f4a5b9c7d1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ description: 'Display name.', example: 'Acme Corp' })
  name!: string;

  @ApiProperty({
    description: 'When the organization was created.',
    format: 'date-time',
    type: String,
  })
  createdAt!: string;
}

export class OrganizationListResponseDto {
  @ApiProperty({ type: [OrganizationResponseDto] })
  data!: OrganizationResponseDto[];
}

export function toOrganizationResponse(entity: OrganizationEntity): OrganizationResponseDto {
  return { id: entity.id, name: entity.name, createdAt: entity.createdAt.toISOString() };
}
