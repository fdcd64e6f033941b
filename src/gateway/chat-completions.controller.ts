import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayAuth } from '../auth/decorators/gateway-auth.decorator';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { checkChatRequest } from './chat-request';
import { GatewayPipeline } from './gateway-pipeline.service';

@ApiTags('Data plane')
@GatewayAuth()
@Controller('v1/chat/completions')
export class ChatCompletionsController {
  constructor(private readonly pipeline: GatewayPipeline) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Create a chat completion (OpenAI format), streamed as server-sent events with stream: true',
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
    // A client that goes away aborts the upstream request too.
    const abort = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    await this.pipeline.chatCompletion(
      { principal: request.gateway!, body, requestId: request.id },
      reply,
      abort.signal,
    );
  }
}
