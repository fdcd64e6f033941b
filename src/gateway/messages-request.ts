import { InvalidRequestError } from '../common/errors/api-error';
import type { AnthropicMessagesRequest } from '../providers/adapters/wire-types';

/** The fields of an Anthropic Messages request the gateway reads; the rest passes through. */
export function checkMessagesRequest(body: unknown): AnthropicMessagesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.', null, 'invalid_body');
  }
  const request = body as Record<string, unknown>;
  if (
    typeof request.model !== 'string' ||
    request.model.length === 0 ||
    request.model.length > 256
  ) {
    throw new InvalidRequestError(
      'model: a model name of 1 to 256 characters is required',
      'model',
    );
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw new InvalidRequestError('messages: at least one message is required', 'messages');
  }
  request.messages.forEach((message: unknown, index) => {
    const role = (message as { role?: unknown } | null)?.role;
    if (role !== 'user' && role !== 'assistant') {
      throw new InvalidRequestError(
        `messages.${index}.role: must be "user" or "assistant"`,
        `messages.${index}.role`,
      );
    }
  });
  if (
    typeof request.max_tokens !== 'number' ||
    !Number.isInteger(request.max_tokens) ||
    request.max_tokens < 1
  ) {
    throw new InvalidRequestError('max_tokens: a positive integer is required', 'max_tokens');
  }
  if (request.stream !== undefined && typeof request.stream !== 'boolean') {
    throw new InvalidRequestError('stream: must be a boolean', 'stream');
  }
  return request as AnthropicMessagesRequest;
}
