import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid; `error.param` names the field.',
  401: 'The credentials are missing or invalid.',
  403: 'The credentials are valid but not allowed to do this.',
  404: 'The resource does not exist or is not visible to these credentials.',
  409: 'The request conflicts with an existing resource.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  429: 'Too many requests.',
  500: 'An internal error; the message carries a request id to report.',
  503: 'A dependency (database, Redis) is unavailable.',
};

/** Documents error responses with the shared error schema, so generated clients type failures too. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
