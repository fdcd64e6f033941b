import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAuth } from '../auth/decorators/admin-auth.decorator';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { CustomProvidersService } from './custom-providers.service';
import { CreateCustomProviderDto } from './dto/create-custom-provider.dto';
import {
  CustomProviderListResponseDto,
  CustomProviderResponseDto,
  toCustomProviderResponse,
} from './dto/custom-provider-response.dto';
import {
  ConnectionTestResultDto,
  TestDraftProviderDto,
  TestSavedProviderDto,
} from './dto/test-connection.dto';
import { UpdateCustomProviderDto } from './dto/update-custom-provider.dto';
import { ProviderConnectionsService } from './provider-connections.service';

@ApiTags('Custom providers')
@AdminAuth()
@Controller('api/v1/projects/:projectId/providers')
export class CustomProvidersController {
  constructor(
    private readonly providers: CustomProvidersService,
    private readonly connections: ProviderConnectionsService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a custom provider',
    description:
      'Any OpenAI- or Anthropic-compatible server (Ollama, vLLM, LM Studio, …), optionally with its models.',
  })
  @ApiCreatedResponse({ type: CustomProviderResponseDto })
  @ApiErrors(400, 404, 409)
  async create(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Body() dto: CreateCustomProviderDto,
  ): Promise<CustomProviderResponseDto> {
    const { provider, models } = await this.providers.create(admin, projectId, dto);
    return toCustomProviderResponse(provider, models);
  }

  @Get()
  @ApiOperation({ summary: "List the project's custom providers" })
  @ApiOkResponse({ type: CustomProviderListResponseDto })
  @ApiErrors(404)
  async list(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
  ): Promise<CustomProviderListResponseDto> {
    const providers = await this.providers.list(admin, projectId);
    return {
      data: providers.map(({ provider, models }) => toCustomProviderResponse(provider, models)),
    };
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test a provider before saving it',
    description: 'Sends a minimal request to the server described in the body; nothing is stored.',
  })
  @ApiOkResponse({ type: ConnectionTestResultDto })
  @ApiErrors(400, 404)
  testDraft(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Body() dto: TestDraftProviderDto,
  ): Promise<ConnectionTestResultDto> {
    return this.connections.testDraft(admin, projectId, dto);
  }

  @Get(':providerId')
  @ApiOperation({ summary: 'Get a custom provider' })
  @ApiOkResponse({ type: CustomProviderResponseDto })
  @ApiErrors(404)
  async get(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
  ): Promise<CustomProviderResponseDto> {
    const { provider } = await this.providers.findVisible(admin, projectId, providerId);
    return toCustomProviderResponse(provider, await this.providers.modelsOf(providerId));
  }

  @Patch(':providerId')
  @ApiOperation({
    summary: 'Change a custom provider',
    description: '`apiKey`: a string replaces the stored key, null removes it, absent keeps it.',
  })
  @ApiOkResponse({ type: CustomProviderResponseDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
    @Body() dto: UpdateCustomProviderDto,
  ): Promise<CustomProviderResponseDto> {
    const provider = await this.providers.update(admin, projectId, providerId, dto);
    return toCustomProviderResponse(provider, await this.providers.modelsOf(providerId));
  }

  @Delete(':providerId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a custom provider and its models' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(404)
  remove(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
  ): Promise<void> {
    return this.providers.remove(admin, projectId, providerId);
  }

  @Post(':providerId/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test a saved provider',
    description:
      "Sends a minimal request with the stored key and saves the result as the provider's last test.",
  })
  @ApiOkResponse({ type: ConnectionTestResultDto })
  @ApiErrors(400, 404, 409)
  testSaved(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
    @Body() dto: TestSavedProviderDto,
  ): Promise<ConnectionTestResultDto> {
    return this.connections.testSaved(admin, projectId, providerId, dto);
  }
}
