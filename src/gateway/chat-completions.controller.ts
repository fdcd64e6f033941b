import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { UpstreamForwarder } from '../providers/forwarding/upstream-forwarder.service';
import { checkChatRequest } from './chat-request';
import { clientAbortSignal } from './client-abort';
import { GatewayPipeline } from './gateway-pipeline.service';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/chat/completions')
export class ChatCompletionsController {
  constructor(
    private readonly pipeline: GatewayPipeline,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a chat completion (OpenAI format); with stream: true, server-sent events',
    description:
      'Routes `model` to a built-in or custom provider and translates to its format where needed.',
  })
  @ApiBody({
    schema: { type: 'object', required: ['model', 'messages'], additionalProperties: true },
  })
  @ApiOkResponse({
    description:
      'An OpenAI chat.completion, or a text/event-stream of chat.completion.chunk events.',
  })
  @ApiErrors(400, 404, 413, 415, 429, 502, 504)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = checkChatRequest(request.body);
    const signal = clientAbortSignal(reply);
    await this.pipeline.run(
      {
        endpoint: 'chat.completions',
        principal: request.gateway!,
        model: body.model,
        body,
        requestId: request.id,
      },
      (route) => this.forwarder.chat(route, { body, requestId: request.id, reply, signal }),
    );
  }
}
