import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { UpstreamForwarder } from '../providers/forwarding/upstream-forwarder.service';
import { clientAbortSignal } from './client-abort';
import { checkEmbeddingsRequest } from './embeddings-request';
import { GatewayPipeline } from './gateway-pipeline.service';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/embeddings')
export class EmbeddingsController {
  constructor(
    private readonly pipeline: GatewayPipeline,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create embeddings (OpenAI format), from an OpenAI-format provider' })
  @ApiBody({ schema: { type: 'object', required: ['model', 'input'], additionalProperties: true } })
  @ApiOkResponse({ description: 'An OpenAI embeddings list.' })
  @ApiErrors(400, 404, 413, 415, 429, 502, 504)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = checkEmbeddingsRequest(request.body);
    const signal = clientAbortSignal(reply);
    await this.pipeline.run(
      {
        endpoint: 'embeddings',
        principal: request.gateway!,
        model: body.model,
        body,
        requestId: request.id,
      },
      (route) => this.forwarder.embeddings(route, { body, requestId: request.id, reply, signal }),
    );
  }
}
