import { ApiError } from '../../common/errors/api-error';
import { redactText } from '../../common/logging/redact';
import { readUpstreamError } from '../adapters/error-translation';
import { UpstreamBlockedError } from './upstream-blocked.error';

const MAX_MESSAGE = 500;

/** An upstream's HTTP error, in OpenAI's shape, with a status that says whose fault it was. */
export function upstreamHttpError(
  status: number,
  bodyText: string,
  apiKey: string | null,
): ApiError {
  const { message, type, code } = readUpstreamError(bodyText);
  const summary = cleanUpstreamMessage(message ?? `HTTP ${status}`, apiKey);
  if (status === 429)
    return new ApiError(
      429,
      'rate_limit_error',
      code ?? 'upstream_rate_limited',
      `The provider is rate limiting: ${summary}`,
    );
  if (status >= 500)
    return new ApiError(
      502,
      'upstream_error',
      'upstream_error',
      `The provider failed (HTTP ${status}): ${summary}`,
    );
  const apiType =
    type === 'authentication_error' || status === 401
      ? 'authentication_error'
      : status === 403
        ? 'permission_error'
        : 'invalid_request_error';
  // The gateway's own key was fine: a 401 here means the provider refused the provider key.
  return new ApiError(
    status === 401 ? 502 : status,
    apiType,
    code ?? 'upstream_error',
    `The provider refused the request (HTTP ${status}): ${summary}`,
  );
}

/** A failure to get any answer from the upstream. Never names its address. */
export function upstreamNetworkError(error: unknown): ApiError {
  if (error instanceof UpstreamBlockedError) {
    return new ApiError(
      502,
      'upstream_error',
      'upstream_address_blocked',
      "The provider's address is refused by the gateway's upstream address policy; run its connection test in the admin API for details.",
    );
  }
  if (error instanceof ApiError) return error;
  const code = errorCode(error);
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'TimeoutError'
  ) {
    return new ApiError(
      504,
      'upstream_error',
      'upstream_timeout',
      'The provider did not answer in time.',
    );
  }
  return new ApiError(
    502,
    'upstream_error',
    'upstream_unreachable',
    `The provider could not be reached (${code ?? 'network error'}).`,
  );
}

/** Errors worth another try before anything reached the client: the request never got an answer. */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'EPIPE'
  );
}

/** An upstream's error message made safe to show: one line, key-like text and the key itself removed, shortened. */
export function cleanUpstreamMessage(
  message: string,
  apiKey: string | null,
  maxLength = MAX_MESSAGE,
): string {
  let text = redactText(message.replace(/\s+/g, ' ').trim());
  if (apiKey) text = text.split(apiKey).join('[redacted]');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

// Duck-typed: errors from Node's core may come from another realm (as under jest).
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (name === 'TimeoutError' || name === 'AbortError') return name;
    current = cause;
  }
  return undefined;
}
