import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CreateCustomProviderDto } from './create-custom-provider.dto';

/** Models are changed through the models endpoints, not here. */
export class UpdateCustomProviderDto extends PartialType(
  OmitType(CreateCustomProviderDto, ['apiKey', 'models'] as const),
) {
  @ApiPropertyOptional({
    description:
      'A string replaces the stored key; null removes it; leave it out to keep it. Write-only.',
    type: String,
    nullable: true,
    minLength: 1,
    maxLength: 4096,
    writeOnly: true,
    example: 'sk-local-fedcba9876543210',
  })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  apiKey?: string | null;
}
