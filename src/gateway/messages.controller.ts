import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { UpstreamForwarder } from '../providers/forwarding/upstream-forwarder.service';
import { clientAbortSignal } from './client-abort';
import { GatewayPipeline } from './gateway-pipeline.service';
import { checkMessagesRequest } from './messages-request';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/messages')
export class MessagesController {
  constructor(
    private readonly pipeline: GatewayPipeline,
    private readonly forwarder: UpstreamForwarder,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a message (Anthropic Messages format), for the Anthropic SDK',
    description:
      "Routes like chat completions; translated when the provider speaks the OpenAI format. Errors use Anthropic's envelope.",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['model', 'messages', 'max_tokens'],
      additionalProperties: true,
    },
  })
  @ApiOkResponse({
    description: 'An Anthropic message, or a text/event-stream of Anthropic stream events.',
  })
  @ApiErrors(400, 404, 413, 415, 429, 502, 504)
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = checkMessagesRequest(request.body);
    const signal = clientAbortSignal(reply);
    await this.pipeline.run(
      {
        endpoint: 'messages',
        principal: request.gateway!,
        model: body.model,
        body,
        requestId: request.id,
      },
      (route) => this.forwarder.messages(route, { body, requestId: request.id, reply, signal }),
    );
  }
}
