import type { FastifyRequest } from 'fastify';
import type { ApiError } from './api-error';

export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** Anthropic's error envelope, which the Anthropic SDK reads on /v1/messages. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

const ANTHROPIC_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/** The error body for this request: Anthropic's envelope on /v1/messages, OpenAI's shape everywhere else. */
export function errorBodyFor(
  request: FastifyRequest,
  error: ApiError,
): ErrorBody | AnthropicErrorBody {
  if (request.url.startsWith('/v1/messages')) {
    return {
      type: 'error',
      error: {
        type:
          ANTHROPIC_TYPE_BY_STATUS[error.status] ??
          (error.status >= 500 ? 'api_error' : 'invalid_request_error'),
        message: error.message,
      },
    };
  }
  return toErrorBody(error);
}

export function toErrorBody(error: ApiError): ErrorBody {
  return {
    error: { message: error.message, type: error.type, code: error.code, param: error.param },
  };
}
