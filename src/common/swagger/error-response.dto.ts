import { ApiProperty } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({
    description: 'What went wrong and, where possible, how to fix it.',
    example: 'name must be shorter than or equal to 64 characters',
  })
  message!: string;

  @ApiProperty({
    description: 'Error category, as in the OpenAI API.',
    example: 'invalid_request_error',
  })
  type!: string;

  @ApiProperty({ description: 'Stable machine-readable code.', example: 'invalid_request' })
  code!: string;

  @ApiProperty({
    description: 'The request field the error is about, if any.',
    type: String,
    nullable: true,
    example: 'name',
  })
  param!: string | null;
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorDetailDto })
  error!: ErrorDetailDto;
}
