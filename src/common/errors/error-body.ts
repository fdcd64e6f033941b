import type { ApiError } from './api-error';

export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

export function toErrorBody(error: ApiError): ErrorBody {
  return {
    error: { message: error.message, type: error.type, code: error.code, param: error.param },
  };
}
