import { ApiError } from '../common/errors/api-error';
import { checkChatRequest } from './chat-request';

function rejection(body: unknown): ApiError {
  try {
    checkChatRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('checkChatRequest', () => {
  it('accepts a minimal request and keeps unknown fields', () => {
    const body = {
      model: 'llama3.1',
      messages: [{ role: 'user', content: 'hi' }],
      seed: 7,
      logit_bias: { 1: 2 },
    };
    expect(checkChatRequest(body)).toBe(body);
  });

  it.each([
    [[], null, 'The request body must be a JSON object.'],
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model', 'you must provide a model parameter'],
    [
      { model: '', messages: [{ role: 'user', content: 'x' }] },
      'model',
      'you must provide a model parameter',
    ],
    [
      { model: 'm'.repeat(257), messages: [{ role: 'user', content: 'x' }] },
      'model',
      'model must be at most 256 characters',
    ],
    [{ model: 'm' }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: [] }, 'messages', 'messages must be a non-empty array'],
    [{ model: 'm', messages: ['hi'] }, 'messages[0]', 'each message must be an object'],
    [
      {
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'robot', content: 'b' },
        ],
      },
      'messages[1].role',
      'messages[1].role must be one of system, developer, user, assistant, tool, function',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      'content must be a string or an array of content parts',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'a' }], stream: 'yes' },
      'stream',
      'stream must be a boolean',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'a' }], stream_options: [] },
      'stream_options',
      'stream_options must be an object',
    ],
    [
      { model: 'm', messages: [{ role: 'user', content: 'a' }], user: 42 },
      'user',
      'user must be a string',
    ],
  ])('refuses %j with param %s', (body, param, message) => {
    const error = rejection(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toBe(message);
  });

  it('accepts content parts, null content (tool calls) and every role', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: 's' },
        { role: 'developer', content: 'd' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [] },
        { role: 'tool', content: 'r', tool_call_id: 'x' },
      ],
    };
    expect(checkChatRequest(body)).toBe(body);
  });
});
