import { ApiProperty } from '@nestjs/swagger';
import type { ApiKeyEntity } from '../entities/api-key.entity';
import { GATEWAY_KEY_PREFIX, KEY_ENVIRONMENTS, type KeyEnvironment } from '../key-format';
import { KeyLimitsDto } from './create-api-key.dto';

export class ApiKeyResponseDto {
  @ApiProperty({ description: 'Gateway key id.', example: 'key_5d2e8f1a9b3c4d7e6f0a1b2c3d4e5f6a' })
  id!: string;

  @ApiProperty({
    description: 'The project whose traffic the key carries.',
    example: 'prj_0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e',
  })
  projectId!: string;

  @ApiProperty({ description: 'Label given at creation.', example: 'support-bot' })
  name!: string;

  @ApiProperty({ enum: KEY_ENVIRONMENTS, enumName: 'KeyEnvironment', example: 'production' })
  environment!: KeyEnvironment;

  @ApiProperty({ description: 'How the key starts.', example: 'csk_' })
  prefix!: string;

  @ApiProperty({
    description: 'The last four characters of the key, to tell keys apart.',
    example: 'f3Qa',
  })
  lastFour!: string;

  @ApiProperty({
    description: 'Per-key limits; empty when only the project limits apply.',
    type: KeyLimitsDto,
  })
  limits!: KeyLimitsDto;

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

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({
    description:
      'The key itself. Shown only in this response: store it now, it cannot be retrieved again.',
    example: 'csk_Vq1h8ZtN0wR4yK7bC2mX5pL9sD3fG6jA1eU8oI0tY4f3Qa',
  })
  key!: string;
}

export class ApiKeyListResponseDto {
  @ApiProperty({ type: [ApiKeyResponseDto] })
  data!: ApiKeyResponseDto[];
}

export function toApiKeyResponse(entity: ApiKeyEntity): ApiKeyResponseDto {
  return {
    id: entity.id,
    projectId: entity.projectId,
    name: entity.name,
    environment: entity.environment,
    prefix: GATEWAY_KEY_PREFIX[entity.environment],
    lastFour: entity.lastFour,
    limits: { ...entity.limits },
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
  };
}
