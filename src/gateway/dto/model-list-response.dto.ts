import { ApiProperty } from '@nestjs/swagger';

export class ModelDto {
  @ApiProperty({ description: 'The name to send as `model`.', example: 'llama3.1' })
  id!: string;

  @ApiProperty({ enum: ['model'], example: 'model' })
  object!: 'model';

  @ApiProperty({
    description: 'Unix time (seconds) the model became available.',
    example: 1764000000,
  })
  created!: number;

  @ApiProperty({ description: 'Who serves the model.', example: 'custom:cp_1f2e3d4c' })
  owned_by!: string;
}

export class ModelListResponseDto {
  @ApiProperty({ enum: ['list'], example: 'list' })
  object!: 'list';

  @ApiProperty({ type: [ModelDto] })
  data!: ModelDto[];
}
