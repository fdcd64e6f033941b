import { Inject, Injectable } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import { ApiError } from '../common/errors/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ConnectionTestResultDto } from './dto/test-connection.dto';
import type { ProviderFormat } from './entities/custom-provider.entity';
import { upstreamAuthHeaders } from './upstream/upstream-auth';
import { UpstreamClient } from './upstream/upstream-client.service';
import { cleanUpstreamMessage, errorCode } from './upstream/upstream-errors';
import { readUpstreamError } from './adapters/error-translation';

export interface ConnectionTarget {
  baseUrl: string;
  format: ProviderFormat;
  apiKey: string | null;
  /** The model to try; null: the first of `fallbackModels`, then the first the server lists. */
  model: string | null;
  fallbackModels: string[];
}

const MAX_SUMMARY = 300;

/**
 * Checks that a provider answers: lists its models (when it has GET /models) and sends the smallest
 * request its format allows. Every failure becomes a sentence in `error`; nothing is thrown for an
 * upstream's behaviour.
 */
@Injectable()
export class ConnectionTester {
  constructor(
    private readonly upstream: UpstreamClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async test(target: ConnectionTarget): Promise<ConnectionTestResultDto> {
    const signal = AbortSignal.timeout(this.config.providerTestTimeoutMs);
    const headers = upstreamAuthHeaders(target.format, target.apiKey);
    const discovery = await this.discoverModels(target, headers, signal);
    const discoveredModels = discovery.models;
    const model = target.model ?? target.fallbackModels[0] ?? discoveredModels?.[0] ?? null;
    if (model === null) {
      // With no model to send, why GET /models failed (refused, unreachable, 401…) is the answer.
      return {
        ok: false,
        latencyMs: 0,
        status: discovery.status,
        model: null,
        error:
          discovery.problem ??
          'No model to test: pass `model`, register a model with the provider, or serve GET /models.',
        discoveredModels,
      };
    }

    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await this.upstream.request(
        `${target.baseUrl}${target.format === 'openai' ? '/chat/completions' : '/messages'}`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(minimalRequest(target.format, model)),
          timeoutMs: this.config.providerTestTimeoutMs,
          signal,
        },
      );
      const text = await response.body.text();
      const latencyMs = elapsed();
      const error = describeAnswer(target, response.statusCode, text);
      return {
        ok: error === null,
        latencyMs,
        status: response.statusCode,
        model,
        error,
        discoveredModels,
      };
    } catch (error) {
      return {
        ok: false,
        latencyMs: elapsed(),
        status: null,
        model,
        error: this.describeFailure(error, target),
        discoveredModels,
      };
    }
  }

  /**
   * Model ids from GET {base}/models (null when the server has no such endpoint or it fails), and
   * when it failed other than by not having the endpoint, why.
   */
  private async discoverModels(
    target: ConnectionTarget,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<{ models: string[] | null; status: number | null; problem: string | null }> {
    const failed = (status: number | null, problem: string | null) => ({
      models: null,
      status,
      problem,
    });
    let response: Dispatcher.ResponseData;
    try {
      response = await this.upstream.request(`${target.baseUrl}/models`, {
        method: 'GET',
        headers,
        timeoutMs: this.config.providerTestTimeoutMs,
        signal,
      });
    } catch (error) {
      return failed(null, this.describeFailure(error, target));
    }
    const text = await response.body.text().catch(() => '');
    const status = response.statusCode;
    if (status !== 200) {
      // 404/405: the server has no /models, which is allowed; an error status says what is wrong.
      const reportable = status >= 400 && status !== 404 && status !== 405;
      return reportable ? failed(status, describeAnswer(target, status, text)) : failed(null, null);
    }
    try {
      const body = JSON.parse(text) as { data?: unknown };
      if (!Array.isArray(body.data)) return failed(null, null);
      const models = body.data
        .map((entry) =>
          typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined,
        )
        .filter((id): id is string => typeof id === 'string')
        .slice(0, 200);
      return { models, status: null, problem: null };
    } catch {
      return failed(null, null);
    }
  }

  private describeFailure(error: unknown, target: ConnectionTarget): string {
    if (error instanceof ApiError) return error.message;
    const code = errorCode(error);
    const host = new URL(target.baseUrl).host;
    const timeout = `No answer within ${this.config.providerTestTimeoutMs / 1000} s: the server is slow or unreachable (a large model can take long to load the first time).`;
    const reset = `${host} closed the connection: check that the base URL uses the right scheme (http or https) and port.`;
    const unresolved = `The host name in ${host} could not be resolved.`;
    const explanations: Record<string, string> = {
      ECONNREFUSED: `Connection refused by ${host}: is the server running and listening on that port?`,
      ENOTFOUND: unresolved,
      EAI_AGAIN: unresolved,
      UND_ERR_CONNECT_TIMEOUT: `Could not connect to ${host} in time: check the address, the port and any firewall in between.`,
      UND_ERR_HEADERS_TIMEOUT: timeout,
      UND_ERR_BODY_TIMEOUT: timeout,
      UND_ERR_ABORTED: timeout,
      ABORT_ERR: timeout,
      TimeoutError: timeout,
      AbortError: timeout,
      ECONNRESET: reset,
      UND_ERR_SOCKET: reset,
    };
    return (
      (code !== undefined ? explanations[code] : undefined) ??
      `The request failed (${code ?? 'network error'}).`
    );
  }
}

function minimalRequest(format: ProviderFormat, model: string): Record<string, unknown> {
  const messages = [{ role: 'user', content: 'Reply with OK.' }];
  return format === 'openai'
    ? { model, messages, max_tokens: 5, stream: false }
    : { model, messages, max_tokens: 5 };
}

/** null when the answer is a success in the provider's format; otherwise what is wrong, in a sentence. */
function describeAnswer(target: ConnectionTarget, status: number, text: string): string | null {
  if (status >= 200 && status < 300) {
    const field = target.format === 'openai' ? 'choices' : 'content';
    if (parseJson(text)?.[field] !== undefined) return null;
    return `The server answered ${status} but not in the ${target.format} format (no "${field}" in the body): check the provider's format.`;
  }
  const summary = summarise(text, target.apiKey);
  const hint =
    status === 401 || status === 403
      ? 'the server refused the API key'
      : status === 404
        ? 'not found: check that the base URL ends at the API root (for example …/v1) and the model name'
        : status === 429
          ? 'the server is rate limiting'
          : status >= 500
            ? 'the server failed'
            : 'the server refused the request';
  return `HTTP ${status}: ${hint}${summary ? ` (${summary})` : ''}.`;
}

/** The upstream's own error message, shortened, with anything key-like removed. Never the whole body. */
function summarise(text: string, apiKey: string | null): string {
  return cleanUpstreamMessage(readUpstreamError(text).message ?? '', apiKey, MAX_SUMMARY);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
