import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { ApiKeysService } from './api-keys.service';
import { AdminAuth } from './decorators/admin-auth.decorator';
import { ApiKeyListResponseDto, CreatedApiKeyResponseDto } from './dto/api-key-response.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('API keys')
@AdminAuth()
@Controller('api/v1/projects/:projectId/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a gateway key for the project',
    description: 'Applications send it as the OpenAI SDK apiKey. The key is in this response only.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiErrors(400, 404)
  create(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.apiKeys.create(admin, projectId, dto);
  }

  @Get()
  @ApiOperation({
    summary: "List the project's gateway keys",
    description: 'Keys show their prefix and last four characters only.',
  })
  @ApiOkResponse({ type: ApiKeyListResponseDto })
  @ApiErrors(404)
  async list(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
  ): Promise<ApiKeyListResponseDto> {
    return { data: await this.apiKeys.list(admin, projectId) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a gateway key',
    description:
      'The key stops working at once on the replica that handles this call and within KEY_CACHE_TTL_SECONDS everywhere.',
  })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiErrors(404)
  revoke(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    return this.apiKeys.revoke(admin, projectId, keyId);
  }
}
