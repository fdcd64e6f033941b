import { InvalidRequestError } from '../common/errors/api-error';
import { requireModel, requireObject } from './request-checks';
import type { OpenAIChatRequest } from '../providers/adapters/wire-types';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/**
 * The known fields of an OpenAI chat request, checked by hand (a validation pipe costs measurably more
 * on this path); every other field passes upstream untouched. Errors name the field as OpenAI does
 * (`messages[2].role`).
 */
export function checkChatRequest(body: unknown): OpenAIChatRequest {
  const request = requireObject(body);
  requireModel(request);
  const messages = request.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequestError('messages must be a non-empty array', 'messages');
  }
  for (let index = 0; index < messages.length; index++) {
    const message: unknown = messages[index];
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new InvalidRequestError('each message must be an object', `messages[${index}]`);
    }
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw new InvalidRequestError(
        `messages[${index}].role must be one of ${[...ROLES].join(', ')}`,
        `messages[${index}].role`,
      );
    }
    if (
      content !== undefined &&
      content !== null &&
      typeof content !== 'string' &&
      !Array.isArray(content)
    ) {
      throw new InvalidRequestError(
        'content must be a string or an array of content parts',
        `messages[${index}].content`,
      );
    }
  }
  if (request.stream !== undefined && typeof request.stream !== 'boolean') {
    throw new InvalidRequestError('stream must be a boolean', 'stream');
  }
  const options = request.stream_options;
  if (
    options !== undefined &&
    options !== null &&
    (typeof options !== 'object' || Array.isArray(options))
  ) {
    throw new InvalidRequestError('stream_options must be an object', 'stream_options');
  }
  if (request.user !== undefined && typeof request.user !== 'string') {
    throw new InvalidRequestError('user must be a string', 'user');
  }
  return request as unknown as OpenAIChatRequest;
}
