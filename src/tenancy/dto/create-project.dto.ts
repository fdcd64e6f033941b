import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateProjectDto {
  @ApiProperty({
    description: 'Display name, unique within the organization (case-insensitively).',
    example: 'Support assistant',
    minLength: 1,
    maxLength: 128,
  })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiPropertyOptional({
    description: 'What the project is for.',
    example: 'Answers customer tickets',
    maxLength: 1000,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}
