import { InvalidRequestError } from '../common/errors/api-error';
import { requireModel, requireObject } from './request-checks';

export interface EmbeddingsRequestBody {
  model: string;
  input: unknown;
  [field: string]: unknown;
}

export function checkEmbeddingsRequest(body: unknown): EmbeddingsRequestBody {
  const request = requireObject(body);
  requireModel(request);
  const input = request.input;
  const valid =
    (typeof input === 'string' && input.length > 0) ||
    (Array.isArray(input) &&
      input.length > 0 &&
      input.every(
        (item) => typeof item === 'string' || typeof item === 'number' || Array.isArray(item),
      ));
  if (!valid) throw new InvalidRequestError('input must be a non-empty string or array', 'input');
  return request as EmbeddingsRequestBody;
}
