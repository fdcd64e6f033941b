import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { once } from 'node:events';
import type { Dispatcher } from 'undici';
import { InvalidRequestError } from '../../common/errors/api-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { Route } from '../../routing/model-router.service';
import { toOpenAIRequest } from '../adapters/anthropic-to-openai.request';
import { toOpenAIResponse } from '../adapters/anthropic-to-openai.response';
import { AnthropicToOpenAIStream } from '../adapters/anthropic-to-openai.stream';
import { toAnthropicRequest } from '../adapters/openai-to-anthropic.request';
import { toAnthropicResponse } from '../adapters/openai-to-anthropic.response';
import { OpenAIToAnthropicStream } from '../adapters/openai-to-anthropic.stream';
import { SseParser } from '../adapters/sse-parser';
import type {
  AnthropicMessage,
  AnthropicMessagesRequest,
  OpenAIChatCompletion,
  OpenAIChatRequest,
} from '../adapters/wire-types';
import { ProviderKeyVault } from '../provider-key-vault.service';
import { upstreamAuthHeaders } from '../upstream/upstream-auth';
import { UpstreamClient } from '../upstream/upstream-client.service';
import {
  isRetryableNetworkError,
  upstreamHttpError,
  upstreamNetworkError,
} from '../upstream/upstream-errors';
import { AnthropicStreamRelay } from './anthropic-stream-relay';
import { OpenAIStreamRelay } from './openai-stream-relay';
import { usageOf } from './relayed-usage';
import type { StreamTranslator, StreamUsage } from './stream-translator';

/** What happened, for accounting. */
export interface ForwardOutcome {
  status: number;
  streamed: boolean;
  /** Milliseconds from the start of forwarding to the upstream's answer. */
  firstByteMs: number;
  usage: StreamUsage | null;
  /** A stream that was cut (upstream failure or client gone) rather than completed. */
  interrupted: boolean;
}

/** The inbound request the forwarder serves, already checked by the gateway. */
export interface ForwardRequest<Body> {
  body: Body;
  requestId: string;
  reply: FastifyReply;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

const MAX_ATTEMPTS = 3;
const BACKOFF_MS = [100, 400];

/**
 * Sends a request to the route's upstream in the upstream's format and answers the client in the
 * client's format: relayed as is where both speak the same API, translated where they differ.
 * Streams pass event by event with backpressure; usage is always asked for, so accounting knows it.
 */
@Injectable()
export class UpstreamForwarder {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly vault: ProviderKeyVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** POST /v1/chat/completions: the client speaks OpenAI. */
  async chat(route: Route, request: ForwardRequest<OpenAIChatRequest>): Promise<ForwardOutcome> {
    const { body, requestId } = request;
    const stream = body.stream === true;
    const created = Math.floor(Date.now() / 1000);
    if (route.format === 'openai') {
      const payload = stream
        ? {
            ...body,
            model: route.upstreamModel,
            stream_options: { ...body.stream_options, include_usage: true },
          }
        : { ...body, model: route.upstreamModel };
      return this.exchange(route, request, '/chat/completions', payload, {
        json: (text) => ({ text, usage: usageOf(text) }),
        stream: () => new OpenAIStreamRelay(body.stream_options?.include_usage === true),
      });
    }
    // A request Anthropic's API cannot express fails here with a TranslationError (400) naming the field.
    const payload = toAnthropicRequest(body, route.upstreamModel);
    const meta = { id: `chatcmpl-${requestId}`, model: body.model, created };
    return this.exchange(route, request, '/messages', payload, {
      json: (text) => {
        const completion = toOpenAIResponse(JSON.parse(text) as AnthropicMessage, meta);
        return { text: JSON.stringify(completion), usage: completion.usage ?? null };
      },
      stream: () =>
        new AnthropicToOpenAIStream({
          ...meta,
          includeUsage: body.stream_options?.include_usage === true,
        }),
    });
  }

  /** POST /v1/messages: the client speaks Anthropic. */
  async messages(
    route: Route,
    request: ForwardRequest<AnthropicMessagesRequest>,
  ): Promise<ForwardOutcome> {
    const { body, requestId } = request;
    if (route.format === 'anthropic') {
      return this.exchange(
        route,
        request,
        '/messages',
        { ...body, model: route.upstreamModel },
        {
          json: (text) => ({ text, usage: anthropicUsageOf(text) }),
          stream: () => new AnthropicStreamRelay(),
        },
      );
    }
    const meta = { id: `msg_${requestId}`, model: body.model };
    return this.exchange(
      route,
      request,
      '/chat/completions',
      toOpenAIRequest(body, route.upstreamModel),
      {
        json: (text) => {
          const completion = JSON.parse(text) as OpenAIChatCompletion;
          return {
            text: JSON.stringify(toAnthropicResponse(completion, meta)),
            usage: completion.usage ?? null,
          };
        },
        stream: () => new OpenAIToAnthropicStream(meta),
      },
    );
  }

  /** POST /v1/embeddings: OpenAI format only; relayed as is. */
  async embeddings(
    route: Route,
    request: ForwardRequest<{ model: string; [field: string]: unknown }>,
  ): Promise<ForwardOutcome> {
    if (route.format !== 'openai') {
      throw new InvalidRequestError(
        `'${request.body.model}' is served by an Anthropic-format provider, which has no embeddings endpoint.`,
        'model',
        'embeddings_unsupported',
      );
    }
    return this.exchange(
      route,
      { ...request, body: { ...request.body, stream: false } },
      '/embeddings',
      { ...request.body, model: route.upstreamModel },
      {
        json: (text) => ({ text, usage: usageOf(text) }),
        stream: () => new OpenAIStreamRelay(false),
      },
    );
  }

  private async exchange(
    route: Route,
    request: ForwardRequest<{ stream?: boolean | null }>,
    path: string,
    payload: unknown,
    answer: {
      json: (text: string) => { text: string; usage: StreamUsage | null };
      stream: () => StreamTranslator;
    },
  ): Promise<ForwardOutcome> {
    // Set first, so that an unreachable or slow upstream's 502/504 names the provider too.
    void request.reply.header('x-switchyard-provider', route.providerLabel);
    const apiKey = this.apiKeyOf(route);
    const started = performance.now();
    const response = await this.send(route, path, JSON.stringify(payload), apiKey, request.signal);
    const firstByteMs = performance.now() - started;

    if (response.statusCode >= 400)
      throw upstreamHttpError(response.statusCode, await response.body.text(), apiKey);
    if (request.body.stream !== true) {
      const { text, usage } = answer.json(await response.body.text());
      void request.reply
        .status(200)
        .header('content-type', 'application/json; charset=utf-8')
        .send(text);
      return { status: 200, streamed: false, firstByteMs, usage, interrupted: false };
    }
    return this.relayStream(route, request, response, answer.stream(), firstByteMs);
  }

  private apiKeyOf(route: Route): string | null {
    const credential = route.credential;
    if (credential.kind === 'builtin') return credential.apiKey;
    return this.vault.open(
      { id: credential.providerId, apiKeyCiphertext: credential.apiKeyCiphertext },
      credential.organizationId,
    );
  }

  // Retried only before any answer: on failures to connect, 429 and 5xx, a bounded number of times.
  private async send(
    route: Route,
    path: string,
    payload: string,
    apiKey: string | null,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const url = `${route.baseUrl}${path}`;
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

  private async relayStream(
    route: Route,
    request: ForwardRequest<unknown>,
    response: Dispatcher.ResponseData,
    translator: StreamTranslator,
    firstByteMs: number,
  ): Promise<ForwardOutcome> {
    const { reply, signal } = request;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': request.requestId,
      'x-switchyard-provider': route.providerLabel,
    });
    const parser = new SseParser();
    let interrupted = false;
    try {
      for await (const chunk of response.body) {
        let out = '';
        for (const event of parser.push(chunk as Buffer)) out += translator.push(event);
        if (out.length > 0 && !raw.write(out)) await once(raw, 'drain', { signal });
      }
      let tail = '';
      for (const event of parser.flush()) tail += translator.push(event);
      raw.write(tail + translator.end());
      interrupted = translator.failed;
    } catch {
      // Cut mid-way (upstream gone, or the client): the translator's end() then says so and sends no end marker.
      interrupted = true;
      if (!signal.aborted && !raw.destroyed) raw.write(translator.end());
      response.body.destroy();
    } finally {
      raw.end();
    }
    return { status: 200, streamed: true, firstByteMs, usage: translator.usage, interrupted };
  }
}

function anthropicUsageOf(text: string): StreamUsage | null {
  try {
    const usage = (
      JSON.parse(text) as { usage?: { input_tokens?: number; output_tokens?: number } }
    ).usage;
    return usage
      ? { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens }
      : null;
  } catch {
    return null;
  }
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
