import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateAdminKeyDto {
  @ApiProperty({
    description: 'A label that says who or what uses the key.',
    example: 'ci-deploy',
    minLength: 1,
    maxLength: 128,
  })
  @IsString()
  @Length(1, 128)
  name!: string;
}
