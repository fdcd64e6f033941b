import { ApiProperty } from '@nestjs/swagger';
import type { AdminKeyEntity } from '../entities/admin-key.entity';
import { ADMIN_KEY_PREFIX } from '../key-format';

export class AdminKeyResponseDto {
  @ApiProperty({ description: 'Admin key id.', example: 'adk_3f1c9a0e5b7d4c2a9e8f1b2c3d4e5f60' })
  id!: string;

  @ApiProperty({
    description: 'The organization the key administers.',
    example: 'org_8a1d0c6b2e3f4a5b9c7d1e2f3a4b5c6d',
  })
  organizationId!: string;

  @ApiProperty({ description: 'Label given at creation.', example: 'ci-deploy' })
  name!: string;

  @ApiProperty({ description: 'How the key starts.', example: ADMIN_KEY_PREFIX })
  prefix!: string;

  @ApiProperty({
    description: 'The last four characters of the key, to tell keys apart.',
    example: 'x9Qz',
  })
  lastFour!: string;

  @ApiProperty({ description: 'When the key was created.', format: 'date-time', type: String })
  createdAt!: string;

  @ApiProperty({
    description: 'When the key was revoked; null while it is active.',
    format: 'date-time',
    type: String,
    nullable: true,
  })
  revokedAt!: string | null;
}

export class CreatedAdminKeyResponseDto extends AdminKeyResponseDto {
  @ApiProperty({
    description:
      'The key itself. Shown only in this response: store it now, it cannot be retrieved again.',
    example: 'sya_kT3vYb0m1xQe8Jd2nWc7hR5sA9fL4uP6gZ0oI1yE3x9Qz',
  })
  key!: string;
}

export class AdminKeyListResponseDto {
  @ApiProperty({ type: [AdminKeyResponseDto] })
  data!: AdminKeyResponseDto[];
}

export function toAdminKeyResponse(entity: AdminKeyEntity): AdminKeyResponseDto {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    name: entity.name,
    prefix: ADMIN_KEY_PREFIX,
    lastFour: entity.lastFour,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
  };
}
