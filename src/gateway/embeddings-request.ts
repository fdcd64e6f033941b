import { InvalidRequestError } from '../common/errors/api-error';

export interface EmbeddingsRequestBody {
  model: string;
  input: unknown;
  [field: string]: unknown;
}

export function checkEmbeddingsRequest(body: unknown): EmbeddingsRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  const request = body as Record<string, unknown>;
  if (
    typeof request.model !== 'string' ||
    request.model.length === 0 ||
    request.model.length > 256
  ) {
    throw new InvalidRequestError('you must provide a model parameter', 'model', 'missing_model');
  }
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
