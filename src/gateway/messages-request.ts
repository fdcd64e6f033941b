import { InvalidRequestError } from '../common/errors/api-error';
import { requireModel, requireObject } from './request-checks';
import type { AnthropicMessagesRequest } from '../providers/adapters/wire-types';

/** The fields of an Anthropic Messages request the gateway reads; the rest passes through. */
export function checkMessagesRequest(body: unknown): AnthropicMessagesRequest {
  const request = requireObject(body);
  requireModel(request);
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
