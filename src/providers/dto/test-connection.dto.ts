import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CreateCustomProviderDto } from './create-custom-provider.dto';

export class TestSavedProviderDto {
  @ApiPropertyOptional({
    description:
      "The model to try; defaults to the provider's first model, then to the first model the server lists.",
    example: 'llama3.1',
    minLength: 1,
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  model?: string;
}

/** A provider that is not saved yet: nothing is stored, not even the result. */
export class TestDraftProviderDto extends PickType(CreateCustomProviderDto, [
  'baseUrl',
  'format',
  'apiKey',
] as const) {
  @ApiPropertyOptional({
    description: 'The model to try; defaults to the first model the server lists.',
    example: 'llama3.1',
    minLength: 1,
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  model?: string;
}

export class ConnectionTestResultDto {
  @ApiProperty({ description: 'The server answered the test request successfully.', example: true })
  ok!: boolean;

  @ApiProperty({
    description: 'Time until the test request was answered, in milliseconds.',
    example: 182,
  })
  latencyMs!: number;

  @ApiProperty({
    description: "The server's HTTP status; null when no answer came.",
    type: Number,
    nullable: true,
    example: 200,
  })
  status!: number | null;

  @ApiProperty({
    description: 'The model the test request named; null when none could be chosen.',
    type: String,
    nullable: true,
    example: 'llama3.1',
  })
  model!: string | null;

  @ApiProperty({
    description: 'What went wrong, summarised (upstream error bodies are never echoed whole).',
    type: String,
    nullable: true,
    example: null,
  })
  error!: string | null;

  @ApiProperty({
    description: 'Models the server lists at GET {baseUrl}/models, when it has that endpoint.',
    type: [String],
    nullable: true,
    example: ['llama3.1', 'qwen2.5-coder:7b'],
  })
  discoveredModels!: string[] | null;
}
