import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { KEY_ENVIRONMENTS, type KeyEnvironment } from '../key-format';

export class KeyLimitsDto {
  @ApiPropertyOptional({
    description: 'Most requests per minute this key may make.',
    example: 600,
    minimum: 1,
    maximum: 1_000_000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requestsPerMinute?: number;

  @ApiPropertyOptional({
    description: 'Most prompt plus completion tokens per minute.',
    example: 200000,
    minimum: 1,
    maximum: 1_000_000_000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  tokensPerMinute?: number;
}

export class CreateApiKeyDto {
  @ApiProperty({
    description: 'A label that says which application uses the key.',
    example: 'support-bot',
    minLength: 1,
    maxLength: 128,
  })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiProperty({
    description:
      'production keys start with csk_, test keys with csk_test_; their traffic is tracked separately.',
    enum: KEY_ENVIRONMENTS,
    enumName: 'KeyEnvironment',
    example: 'production',
  })
  @IsIn(KEY_ENVIRONMENTS)
  environment!: KeyEnvironment;

  @ApiPropertyOptional({
    description: 'Limits for this key on top of the project limits.',
    type: KeyLimitsDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => KeyLimitsDto)
  limits?: KeyLimitsDto;
}
