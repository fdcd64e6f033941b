import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PROVIDER_FORMATS, type ProviderFormat } from '../entities/custom-provider.entity';
import { IsProviderBaseUrl } from './is-provider-base-url.decorator';
import { CreateProviderModelDto } from './provider-model.dto';

export const MAX_MODELS_PER_PROVIDER = 500;

export class CreateCustomProviderDto {
  @ApiProperty({
    description:
      'Unique within the project (case-insensitive). Also routes: `model: "<name>"` picks the first model, `model: "<name>/<upstream model>"` any model the server has.',
    example: 'Local Ollama',
    minLength: 1,
    maxLength: 64,
  })
  @IsString()
  @Length(1, 64)
  @Matches(/^[^/]*$/, {
    message:
      'name must not contain "/": it separates the provider name from the model in "provider/model"',
  })
  @Matches(/^\S(.*\S)?$/, { message: 'name must not start or end with whitespace' })
  name!: string;

  @ApiProperty({
    description:
      'The server address up to and including the API version, without /chat/completions. A trailing slash is removed.',
    example: 'http://localhost:11434/v1',
    format: 'uri',
    maxLength: 2048,
  })
  @IsString()
  @IsProviderBaseUrl()
  baseUrl!: string;

  @ApiProperty({
    description:
      'The API the server speaks: openai (POST /chat/completions) or anthropic (POST /messages).',
    enum: PROVIDER_FORMATS,
    enumName: 'ProviderFormat',
    example: 'openai',
  })
  @IsIn(PROVIDER_FORMATS)
  format!: ProviderFormat;

  @ApiPropertyOptional({
    description:
      'The upstream API key, if the server needs one. Write-only: stored encrypted and never returned.',
    example: 'sk-local-0123456789abcdef',
    minLength: 1,
    maxLength: 4096,
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  apiKey?: string;

  @ApiPropertyOptional({
    description: 'Inactive providers are not routed to.',
    default: true,
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({
    description: 'Models to register with the provider.',
    type: [CreateProviderModelDto],
    maxItems: MAX_MODELS_PER_PROVIDER,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MODELS_PER_PROVIDER)
  @ArrayUnique(
    (model: CreateProviderModelDto) =>
      typeof model?.name === 'string' ? model.name.toLowerCase() : model,
    {
      message: 'models must not contain two models with the same name (names are case-insensitive)',
    },
  )
  @ValidateNested({ each: true })
  @Type(() => CreateProviderModelDto)
  models?: CreateProviderModelDto[];
}
