import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateOrganizationDto {
  @ApiProperty({ description: 'Display name.', example: 'Acme Corp', minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  name!: string;
}
