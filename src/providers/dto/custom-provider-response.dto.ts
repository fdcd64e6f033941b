import { ApiProperty } from '@nestjs/swagger';
import { fromMicroDollars } from '../../database/money.transformer';
import type { CustomProviderModelEntity } from '../entities/custom-provider-model.entity';
import {
  PROVIDER_FORMATS,
  type CustomProviderEntity,
  type ProviderFormat,
} from '../entities/custom-provider.entity';

export class ProviderModelResponseDto {
  @ApiProperty({ example: 'cpm_7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d' })
  id!: string;

  @ApiProperty({ example: 'cp_1f2e3d4c5b6a79880a1b2c3d4e5f6a7b' })
  providerId!: string;

  @ApiProperty({ description: 'The name applications send as `model`.', example: 'llama3.1' })
  name!: string;

  @ApiProperty({
    description: 'Sent upstream instead of `name`; null when the same.',
    type: String,
    nullable: true,
    example: null,
  })
  upstreamName!: string | null;

  @ApiProperty({
    description: 'US dollars per million input tokens; null when unpriced.',
    type: Number,
    nullable: true,
    example: 0.15,
  })
  inputPricePerMillion!: number | null;

  @ApiProperty({
    description: 'US dollars per million output tokens; null when unpriced.',
    type: Number,
    nullable: true,
    example: 0.6,
  })
  outputPricePerMillion!: number | null;

  @ApiProperty({ format: 'date-time', type: String })
  createdAt!: string;
}

export class LastConnectionTestDto {
  @ApiProperty({ example: true })
  ok!: boolean;

  @ApiProperty({ type: Number, nullable: true, example: 182 })
  latencyMs!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 200 })
  status!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error!: string | null;

  @ApiProperty({ format: 'date-time', type: String })
  testedAt!: string;
}

export class CustomProviderResponseDto {
  @ApiProperty({ example: 'cp_1f2e3d4c5b6a79880a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty({ example: 'prj_0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e' })
  projectId!: string;

  @ApiProperty({ example: 'Local Ollama' })
  name!: string;

  @ApiProperty({ format: 'uri', example: 'http://localhost:11434/v1' })
  baseUrl!: string;

  @ApiProperty({ enum: PROVIDER_FORMATS, enumName: 'ProviderFormat', example: 'openai' })
  format!: ProviderFormat;

  @ApiProperty({ description: 'Inactive providers are not routed to.', example: true })
  isActive!: boolean;

  @ApiProperty({
    description: 'An upstream API key is stored (it is never returned).',
    example: false,
  })
  hasApiKey!: boolean;

  @ApiProperty({
    description: 'The last four characters of the stored key, to recognise it.',
    type: String,
    nullable: true,
    example: null,
  })
  apiKeyLastFour!: string | null;

  @ApiProperty({ type: [ProviderModelResponseDto] })
  models!: ProviderModelResponseDto[];

  @ApiProperty({
    description: 'The last saved connection test; null when never tested.',
    type: LastConnectionTestDto,
    nullable: true,
  })
  lastTest!: LastConnectionTestDto | null;

  @ApiProperty({ format: 'date-time', type: String })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', type: String })
  updatedAt!: string;
}

export class CustomProviderListResponseDto {
  @ApiProperty({ type: [CustomProviderResponseDto] })
  data!: CustomProviderResponseDto[];
}

export class ProviderModelListResponseDto {
  @ApiProperty({ type: [ProviderModelResponseDto] })
  data!: ProviderModelResponseDto[];
}

export function toProviderModelResponse(
  model: CustomProviderModelEntity,
): ProviderModelResponseDto {
  return {
    id: model.id,
    providerId: model.providerId,
    name: model.name,
    upstreamName: model.upstreamName,
    inputPricePerMillion:
      model.inputPricePerMillion === null ? null : fromMicroDollars(model.inputPricePerMillion),
    outputPricePerMillion:
      model.outputPricePerMillion === null ? null : fromMicroDollars(model.outputPricePerMillion),
    createdAt: model.createdAt.toISOString(),
  };
}

/** Built field by field: the key's ciphertext has no way into a response. */
export function toCustomProviderResponse(
  provider: CustomProviderEntity,
  models: CustomProviderModelEntity[],
): CustomProviderResponseDto {
  return {
    id: provider.id,
    projectId: provider.projectId,
    name: provider.name,
    baseUrl: provider.baseUrl,
    format: provider.format,
    isActive: provider.isActive,
    hasApiKey: provider.apiKeyCiphertext !== null,
    apiKeyLastFour: provider.apiKeyLastFour,
    models: models.map(toProviderModelResponse),
    lastTest:
      provider.lastTestedAt === null || provider.lastTestOk === null
        ? null
        : {
            ok: provider.lastTestOk,
            latencyMs: provider.lastTestLatencyMs,
            status: provider.lastTestStatus,
            error: provider.lastTestError,
            testedAt: provider.lastTestedAt.toISOString(),
          },
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  };
}
