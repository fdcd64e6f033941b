import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { isUniqueViolation } from '../../database/unique-transaction';
import { ApiError, type ApiErrorType } from './api-error';
import { errorBodyFor } from './error-body';

const TYPE_BY_STATUS: Record<number, ApiErrorType> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  429: 'rate_limit_error',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_api_key',
  403: 'insufficient_permissions',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  411: 'length_required',
  413: 'request_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  431: 'headers_too_large',
};

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request_too_large',
};

/**
 * The one exception filter: every error, from a service, a guard, Nest or Fastify itself
 * (bad JSON, body too large, wrong content type), leaves in OpenAI's error shape.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toApiError(exception, request);
    if (reply.sent) return;
    void reply
      .status(error.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBodyFor(request, error));
  }

  toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404 && exception.message.startsWith('Cannot ')) {
        return new ApiError(
          404,
          'invalid_request_error',
          'unknown_url',
          `Invalid URL (${request.method} ${request.url.split('?')[0]})`,
        );
      }
      if (status < 500) return fromClientStatus(status, exception.message);
    }

    const frameworkStatus = clientErrorStatus(exception);
    if (frameworkStatus !== null) {
      const { code, message } = exception as { code?: string; message: string };
      return fromClientStatus(
        frameworkStatus,
        message,
        code !== undefined ? FASTIFY_CODES[code] : undefined,
      );
    }

    if (isUniqueViolation(exception)) {
      return new ApiError(
        409,
        'conflict_error',
        'conflict',
        'The request conflicts with an existing resource; retry with a different name.',
      );
    }

    if (isTextTheDatabaseRefuses(exception)) {
      return new ApiError(
        400,
        'invalid_request_error',
        'invalid_request',
        'The request contains a character that cannot be stored or searched for (such as NUL).',
      );
    }

    this.logger.error({ msg: 'Unhandled error', err: exception, requestId: request.id });
    return new ApiError(
      500,
      'server_error',
      'internal_error',
      `Internal error (request ${request.id})`,
    );
  }
}

function fromClientStatus(status: number, message: string, code?: string): ApiError {
  return new ApiError(
    status,
    TYPE_BY_STATUS[status] ?? 'invalid_request_error',
    code ?? CODE_BY_STATUS[status] ?? 'invalid_request',
    message,
  );
}

// Fastify's own errors (content-type parser, body limit, …) carry a 4xx statusCode.
function clientErrorStatus(exception: unknown): number | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const status = (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

// Two concurrent creates can both pass a uniqueness check; the unique index then decides.
// PostgreSQL refuses NUL characters in text parameters (SQLSTATE 22021), in a WHERE clause too.
function isTextTheDatabaseRefuses(exception: unknown): boolean {
  if (!(exception instanceof QueryFailedError)) return false;
  return (exception.driverError as { code?: unknown } | undefined)?.code === '22021';
}
