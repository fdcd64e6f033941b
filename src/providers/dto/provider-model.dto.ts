import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

const MAX_PRICE = 100_000;

export class CreateProviderModelDto {
  @ApiProperty({
    description:
      'The name applications send as `model` (case-insensitive, unique within the provider).',
    example: 'llama3.1',
    minLength: 1,
    maxLength: 128,
  })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiPropertyOptional({
    description: 'The name the upstream server knows the model by, when it differs from `name`.',
    example: 'llama3.1:8b-instruct-q4_K_M',
    minLength: 1,
    maxLength: 256,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  upstreamName?: string | null;

  @ApiPropertyOptional({
    description:
      'US dollars per million input tokens, for cost accounting; unpriced models cost 0.',
    example: 0.15,
    minimum: 0,
    maximum: MAX_PRICE,
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  @Max(MAX_PRICE)
  inputPricePerMillion?: number | null;

  @ApiPropertyOptional({
    description: 'US dollars per million output tokens.',
    example: 0.6,
    minimum: 0,
    maximum: MAX_PRICE,
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  @Max(MAX_PRICE)
  outputPricePerMillion?: number | null;
}
