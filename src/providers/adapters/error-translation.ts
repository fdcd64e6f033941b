import type { AnthropicErrorBody, OpenAIErrorBody } from './wire-types';

/** Upstream messages are summarised, never relayed whole (they can be large or HTML). */
const MAX_MESSAGE_LENGTH = 500;

interface UpstreamError {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

const ANTHROPIC_TO_OPENAI_TYPE: Readonly<Record<string, string>> = {
  invalid_request_error: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  billing_error: 'permission_error',
  not_found_error: 'not_found_error',
  rate_limit_error: 'rate_limit_error',
  api_error: 'server_error',
  overloaded_error: 'server_error',
  timeout_error: 'server_error',
};

const OPENAI_TO_ANTHROPIC_TYPE: Readonly<Record<string, string>> = {
  invalid_request_error: 'invalid_request_error',
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'not_found_error',
  rate_limit_error: 'rate_limit_error',
  insufficient_quota: 'rate_limit_error',
  requests: 'rate_limit_error',
  tokens: 'rate_limit_error',
  server_error: 'api_error',
};

/** An Anthropic error response (or stream `error` event data) → OpenAI's error body. */
export function anthropicErrorToOpenAI(status: number | null, bodyText: string): OpenAIErrorBody {
  return openAIErrorFromParts(readUpstreamError(bodyText), status);
}

/** An OpenAI-format error response (or `data: {"error":…}` event) → Anthropic's error body. */
export function openAIErrorToAnthropic(
  status: number | null,
  bodyText: string,
): AnthropicErrorBody {
  return anthropicErrorFromParts(readUpstreamError(bodyText), status);
}

export function openAIErrorFromParts(error: UpstreamError, status: number | null): OpenAIErrorBody {
  const type = lookup(ANTHROPIC_TO_OPENAI_TYPE, error.type) ?? openAITypeForStatus(status);
  return {
    error: {
      message: summarise(error.message, status),
      type,
      param: error.param ?? null,
      // A real string code: the upstream's error type (e.g. 'overloaded_error') when it gave one.
      code: error.code ?? error.type ?? 'upstream_error',
    },
  };
}

export function anthropicErrorFromParts(
  error: UpstreamError,
  status: number | null,
): AnthropicErrorBody {
  // The status decides when there is one: OpenAI-compatible servers disagree on `type` strings
  // (OpenAI itself sends invalid_request_error with a 401). Mid-stream there is only the body.
  const type =
    status !== null
      ? anthropicTypeForStatus(status)
      : (lookup(OPENAI_TO_ANTHROPIC_TYPE, error.type) ??
        lookup(OPENAI_TO_ANTHROPIC_TYPE, error.code) ??
        'api_error');
  const message = summarise(error.message, status);
  return {
    type: 'error',
    error: { type, message: error.param ? `${message} (param: ${error.param})` : message },
  };
}

/**
 * Reads the error out of either vendor's body, and the shapes OpenAI-compatible servers use
 * (`{"error":"…"}`, vLLM's `{"object":"error","message":…}`, FastAPI's `{"detail":"…"}`).
 */
export function readUpstreamError(bodyText: string): UpstreamError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const nested = record.error;
  if (typeof nested === 'object' && nested !== null) return pick(nested as Record<string, unknown>);
  if (typeof nested === 'string') return { message: nested };
  if (typeof record.detail === 'string') return { message: record.detail };
  return pick(record);
}

function lookup(table: Readonly<Record<string, string>>, key: string | undefined) {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function pick(record: Record<string, unknown>): UpstreamError {
  const out: UpstreamError = {};
  if (typeof record.message === 'string') out.message = record.message;
  if (typeof record.type === 'string' && record.type !== 'error') out.type = record.type;
  if (typeof record.code === 'string' && record.code.length > 0) out.code = record.code;
  if (typeof record.param === 'string') out.param = record.param;
  return out;
}

function summarise(message: string | undefined, status: number | null): string {
  const text = message?.trim();
  if (!text) {
    // No readable message: say so rather than relaying an HTML page or a proxy's body.
    return status === null ? 'Upstream stream failed' : `Upstream returned HTTP ${status}`;
  }
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function openAITypeForStatus(status: number | null): string {
  if (status === null) return 'server_error';
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 429:
      return 'rate_limit_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'server_error';
  }
}

function anthropicTypeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}
