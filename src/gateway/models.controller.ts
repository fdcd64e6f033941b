import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ModelRouter } from '../routing/model-router.service';
import { ModelListResponseDto } from './dto/model-list-response.dto';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly router: ModelRouter) {}

  @Get()
  @ApiOperation({
    summary: "List the models this key's project can use (OpenAI format)",
    description:
      'Configured built-in models, every model of an active custom provider, and each custom provider name.',
  })
  @ApiOkResponse({ type: ModelListResponseDto })
  async list(@Req() request: FastifyRequest): Promise<ModelListResponseDto> {
    const models = await this.router.listModels(request.gateway!);
    return {
      object: 'list',
      data: models.map(({ id, ownedBy }) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: ownedBy,
      })),
    };
  }
}
