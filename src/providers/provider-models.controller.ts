import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
import {
  ProviderModelListResponseDto,
  ProviderModelResponseDto,
  toProviderModelResponse,
} from './dto/custom-provider-response.dto';
import { CreateProviderModelDto } from './dto/provider-model.dto';

@ApiTags('Custom providers')
@AdminAuth()
@Controller('api/v1/projects/:projectId/providers/:providerId/models')
export class ProviderModelsController {
  constructor(private readonly providers: CustomProvidersService) {}

  @Get()
  @ApiOperation({ summary: "List a provider's models" })
  @ApiOkResponse({ type: ProviderModelListResponseDto })
  @ApiErrors(404)
  async list(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
  ): Promise<ProviderModelListResponseDto> {
    await this.providers.findVisible(admin, projectId, providerId);
    return { data: (await this.providers.modelsOf(providerId)).map(toProviderModelResponse) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a model to a provider' })
  @ApiCreatedResponse({ type: ProviderModelResponseDto })
  @ApiErrors(400, 404, 409)
  async add(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
    @Body() dto: CreateProviderModelDto,
  ): Promise<ProviderModelResponseDto> {
    return toProviderModelResponse(
      await this.providers.addModel(admin, projectId, providerId, dto),
    );
  }

  @Delete(':modelId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a model from a provider' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiErrors(404)
  remove(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Param('providerId') providerId: string,
    @Param('modelId') modelId: string,
  ): Promise<void> {
    return this.providers.removeModel(admin, projectId, providerId, modelId);
  }
}
