import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import type { Dispatcher } from 'undici';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { ChatRequestBody } from '../../gateway/chat-request';
import type { Route } from '../../routing/model-router.service';
import { toOpenAIResponse } from '../adapters/anthropic-to-openai.response';
import { AnthropicToOpenAIStream } from '../adapters/anthropic-to-openai.stream';
import { toAnthropicRequest } from '../adapters/openai-to-anthropic.request';
import { SseParser } from '../adapters/sse-parser';
import type { AnthropicMessage, OpenAIChatRequest } from '../adapters/wire-types';
import { ProviderKeyVault } from '../provider-key-vault.service';
import { upstreamAuthHeaders } from '../upstream/upstream-auth';
import { UpstreamClient } from '../upstream/upstream-client.service';
import {
  isRetryableNetworkError,
  upstreamHttpError,
  upstreamNetworkError,
} from '../upstream/upstream-errors';
import { OpenAIStreamRelay } from './openai-stream-relay';

/** What happened, for accounting. */
export interface ForwardOutcome {
  status: number;
  streamed: boolean;
  /** Milliseconds from the start of forwarding to the upstream's first byte. */
  firstByteMs: number | null;
  usage: { prompt_tokens?: number; completion_tokens?: number } | null;
  /** A stream that was cut (upstream failure or client gone) rather than completed. */
  interrupted: boolean;
}

const MAX_ATTEMPTS = 3;
const BACKOFF_MS = [100, 400];

/**
 * Sends a chat request to the route's upstream in its format and writes the answer to the client in
 * OpenAI's format: relayed as is where no translation is needed, translated for Anthropic-format
 * upstreams; streams are passed on event by event with backpressure.
 */
@Injectable()
export class ChatForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly vault: ProviderKeyVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async forward(
    route: Route,
    body: ChatRequestBody,
    reply: FastifyReply,
    signal: AbortSignal,
  ): Promise<ForwardOutcome> {
    const apiKey = this.apiKeyOf(route);
    const stream = body.stream === true;
    const started = performance.now();
    const response = await this.send(route, upstreamBody(route, body, stream), apiKey, signal);
    const firstByteMs = performance.now() - started;
    void reply.header('x-switchyard-provider', route.providerLabel);

    if (response.statusCode >= 400) {
      const text = await response.body.text();
      throw upstreamHttpError(response.statusCode, text, apiKey);
    }
    if (!stream) return this.relayJson(route, body, response, reply, firstByteMs);
    return this.relayStream(route, body, response, reply, signal, firstByteMs);
  }

  private apiKeyOf(route: Route): string | null {
    return route.credential.kind === 'builtin'
      ? route.credential.apiKey
      : this.vault.open(
          { id: route.credential.providerId, apiKeyCiphertext: route.credential.apiKeyCiphertext },
          route.credential.organizationId,
        );
  }

  // Retried only before any answer: on failures to connect, 429 and 5xx, a bounded number of times.
  private async send(
    route: Route,
    payload: string,
    apiKey: string | null,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const url = `${route.baseUrl}${route.format === 'openai' ? '/chat/completions' : '/messages'}`;
    const headers = {
      ...upstreamAuthHeaders(route.format, apiKey),
      'content-type': 'application/json',
    };
    for (let attempt = 1; ; attempt++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await this.upstream.request(url, {
          method: 'POST',
          headers,
          body: payload,
          timeoutMs: this.config.upstreamTimeouts.firstByteMs,
          signal,
        });
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && !signal.aborted && isRetryableNetworkError(error)) {
          await pause(BACKOFF_MS[attempt - 1] ?? 400, signal);
          continue;
        }
        throw upstreamNetworkError(error);
      }
      const retryable = response.statusCode === 429 || response.statusCode >= 500;
      if (!retryable || attempt >= MAX_ATTEMPTS || signal.aborted) return response;
      await response.body.dump();
      await pause(BACKOFF_MS[attempt - 1] ?? 400, signal);
    }
  }

  private async relayJson(
    route: Route,
    body: ChatRequestBody,
    response: Dispatcher.ResponseData,
    reply: FastifyReply,
    firstByteMs: number,
  ): Promise<ForwardOutcome> {
    const text = await response.body.text();
    if (route.format === 'openai') {
      // Relayed as is: the upstream's bytes, read only for the usage.
      void reply.status(response.statusCode).header('content-type', 'application/json').send(text);
      return {
        status: response.statusCode,
        streamed: false,
        firstByteMs,
        usage: usageOf(text),
        interrupted: false,
      };
    }
    const message = JSON.parse(text) as AnthropicMessage;
    const completion = toOpenAIResponse(message, {
      id: `chatcmpl-${message.id ?? reply.request.id}`,
      model: body.model,
      created: Math.floor(Date.now() / 1000),
    });
    void reply.status(200).send(completion);
    return {
      status: 200,
      streamed: false,
      firstByteMs,
      usage: completion.usage ?? null,
      interrupted: false,
    };
  }

  private async relayStream(
    route: Route,
    body: ChatRequestBody,
    response: Dispatcher.ResponseData,
    reply: FastifyReply,
    signal: AbortSignal,
    firstByteMs: number,
  ): Promise<ForwardOutcome> {
    const includeUsage = body.stream_options?.include_usage === true;
    const translator =
      route.format === 'openai'
        ? new OpenAIStreamRelay(includeUsage)
        : new AnthropicToOpenAIStream({
            id: `chatcmpl-${reply.request.id}`,
            model: body.model,
            created: Math.floor(Date.now() / 1000),
            includeUsage,
          });
    const parser = new SseParser();
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': reply.request.id,
      'x-switchyard-provider': route.providerLabel,
    });

    let interrupted = false;
    try {
      for await (const chunk of response.body) {
        let out = '';
        for (const event of parser.push(chunk as Buffer)) out += translator.push(event);
        if (out.length > 0 && !raw.write(out)) await once(raw, 'drain', { signal });
      }
      let tail = '';
      for (const event of parser.flush()) tail += translator.push(event);
      tail += translator.end();
      raw.write(tail);
      interrupted = translator.failed;
    } catch {
      interrupted = true;
      // The stream was cut: say so, and never send [DONE], so no client takes it for complete.
      if (!signal.aborted && !raw.destroyed) raw.write(streamErrorEvent());
    } finally {
      raw.end();
    }
    return {
      status: 200,
      streamed: true,
      firstByteMs,
      usage: translator.usage ?? null,
      interrupted,
    };
  }
}

function upstreamBody(route: Route, body: ChatRequestBody, stream: boolean): string {
  if (route.format === 'anthropic') {
    // A request Anthropic's API cannot express fails here with a TranslationError (400) naming the field.
    return JSON.stringify(toAnthropicRequest(body as OpenAIChatRequest, route.upstreamModel));
  }
  // Usage is always asked for upstream, so accounting knows it; the relay drops it again if the client did not ask.
  return JSON.stringify(
    stream
      ? {
          ...body,
          model: route.upstreamModel,
          stream_options: { ...body.stream_options, include_usage: true },
        }
      : { ...body, model: route.upstreamModel },
  );
}

// Targeted: the usage object is all the gateway needs from a relayed body.
function usageOf(text: string): ForwardOutcome['usage'] {
  const at = text.lastIndexOf('"usage"');
  if (at < 0) return null;
  try {
    const parsed = JSON.parse(text) as { usage?: ForwardOutcome['usage'] };
    return parsed.usage ?? null;
  } catch {
    return null;
  }
}

function streamErrorEvent(): string {
  return `data: ${JSON.stringify({
    error: {
      message: 'The provider stream ended unexpectedly.',
      type: 'upstream_error',
      code: 'upstream_stream_interrupted',
      param: null,
    },
  })}\n\n`;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
