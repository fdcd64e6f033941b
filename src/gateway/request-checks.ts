import { InvalidRequestError } from '../common/errors/api-error';

/** The parsed body as an object, or the 400 every data-plane endpoint gives for anything else. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  return body as Record<string, unknown>;
}

/** `model`: a name of 1 to 256 characters. */
export function requireModel(request: Record<string, unknown>): string {
  const model = request.model;
  if (typeof model !== 'string' || model.length === 0) {
    throw new InvalidRequestError('you must provide a model parameter', 'model', 'missing_model');
  }
  if (model.length > 256)
    throw new InvalidRequestError('model must be at most 256 characters', 'model');
  return model;
}
