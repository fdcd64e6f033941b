import { Inject, Injectable, Optional } from '@nestjs/common';
import type { GatewayPrincipal } from '../common/http/request-context';
import type { ForwardOutcome } from '../providers/forwarding/upstream-forwarder.service';
import { ModelRouter, type Route } from '../routing/model-router.service';

export type GatewayEndpoint = 'chat.completions' | 'messages' | 'embeddings';

export interface PipelineContext {
  endpoint: GatewayEndpoint;
  principal: GatewayPrincipal;
  /** The model the client asked for. */
  model: string;
  body: Record<string, unknown>;
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

/**
 * Every data-plane request: auth (the guard, before this) → routing → the registered stages
 * (limits, security, cache) → forward → the stages again with the outcome (accounting).
 */
@Injectable()
export class GatewayPipeline {
  constructor(
    private readonly router: ModelRouter,
    @Optional() @Inject(PIPELINE_STAGES) private readonly stages: PipelineStage[] = [],
  ) {}

  async run(
    context: PipelineContext,
    forward: (route: Route) => Promise<ForwardOutcome>,
  ): Promise<void> {
    context.route = await this.router.resolve(context.principal, context.model);
    for (const stage of this.stages) await stage.beforeForward?.(context);
    const outcome = await forward(context.route);
    for (const stage of this.stages) stage.afterForward?.(context, outcome);
  }
}
