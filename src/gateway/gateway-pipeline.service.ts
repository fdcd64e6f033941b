import { Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { GatewayPrincipal } from '../common/http/request-context';
import { ChatForwarder, type ForwardOutcome } from '../providers/forwarding/chat-forwarder.service';
import { ModelRouter, type Route } from '../routing/model-router.service';
import type { ChatRequestBody } from './chat-request';

export interface PipelineContext {
  principal: GatewayPrincipal;
  body: ChatRequestBody;
  requestId: string;
  route?: Route;
}

/**
 * A stage that later modules plug into the pipeline (rate limits, security, cache, accounting):
 * `beforeForward` may refuse the request by throwing an ApiError; `afterForward` sees the outcome.
 */
export interface PipelineStage {
  beforeForward?(context: PipelineContext): void | Promise<void>;
  afterForward?(context: PipelineContext, outcome: ForwardOutcome): void;
}

export const PIPELINE_STAGES = Symbol('PIPELINE_STAGES');

/** auth (guard) → limits → security → routing → cache → forward → accounting, in that order. */
@Injectable()
export class GatewayPipeline {
  constructor(
    private readonly router: ModelRouter,
    private readonly forwarder: ChatForwarder,
    @Optional() @Inject(PIPELINE_STAGES) private readonly stages: PipelineStage[] = [],
  ) {}

  async chatCompletion(
    context: PipelineContext,
    reply: FastifyReply,
    signal: AbortSignal,
  ): Promise<void> {
    context.route = await this.router.resolve(context.principal, context.body.model);
    for (const stage of this.stages) await stage.beforeForward?.(context);
    const outcome = await this.forwarder.forward(context.route, context.body, reply, signal);
    for (const stage of this.stages) stage.afterForward?.(context, outcome);
  }
}
