/** OpenAI's error `type` values, plus the ones the gateway adds. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'upstream_error';

/**
 * The only thing services throw. The global filter turns it into
 * `{"error":{"message","type","code","param"}}` with `status`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class InvalidRequestError extends ApiError {
  constructor(message: string, param: string | null = null, code = 'invalid_request') {
    super(400, 'invalid_request_error', code, message, param);
  }
}

export class AuthenticationError extends ApiError {
  constructor(code: 'missing_api_key' | 'invalid_api_key', message: string) {
    super(401, 'authentication_error', code, message);
  }
}

export class PermissionError extends ApiError {
  constructor(message: string, code = 'insufficient_permissions') {
    super(403, 'permission_error', code, message);
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, id: string) {
    super(
      404,
      'not_found_error',
      `${resource}_not_found`,
      `No ${resource.replace(/_/g, ' ')} with id '${id}' exists or it is not visible to this key`,
    );
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, param: string | null = null, code = 'conflict') {
    super(409, 'conflict_error', code, message, param);
  }
}
