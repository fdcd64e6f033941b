import { ApiProperty } from '@nestjs/swagger';

export type CheckStatus = 'ok' | 'error' | 'disabled';
const CHECK_STATUSES: CheckStatus[] = ['ok', 'error', 'disabled'];

export class LivenessResponseDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
}

export class ReadinessChecksDto {
  @ApiProperty({
    enum: CHECK_STATUSES,
    enumName: 'CheckStatus',
    description: 'The database answers a query.',
  })
  database!: CheckStatus;

  @ApiProperty({
    enum: CHECK_STATUSES,
    enumName: 'CheckStatus',
    description: 'Redis answers PING; disabled when REDIS_URL is unset.',
  })
  redis!: CheckStatus;
}

export class ReadinessResponseDto {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
