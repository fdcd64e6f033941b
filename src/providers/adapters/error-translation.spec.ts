import { anthropicErrorToOpenAI, openAIErrorToAnthropic } from './error-translation';

function anthropicBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

describe('anthropicErrorToOpenAI', () => {
  it.each<[number, string, string, string]>([
    [400, 'invalid_request_error', 'messages: roles must alternate', 'invalid_request_error'],
    [401, 'authentication_error', 'invalid x-api-key', 'authentication_error'],
    [402, 'billing_error', 'Your credit balance is too low', 'permission_error'],
    [403, 'permission_error', 'Your API key does not have permission', 'permission_error'],
    [404, 'not_found_error', 'model: claude-x', 'not_found_error'],
    [
      413,
      'request_too_large',
      'Request exceeds the maximum allowed number of bytes.',
      'invalid_request_error',
    ],
    [
      429,
      'rate_limit_error',
      'Number of request tokens has exceeded your per-minute rate limit',
      'rate_limit_error',
    ],
    [500, 'api_error', 'Internal server error', 'server_error'],
    [529, 'overloaded_error', 'Overloaded', 'server_error'],
    [504, 'timeout_error', 'Request timed out', 'server_error'],
  ])('maps HTTP %i %s to type %s', (status, anthropicType, message, openAIType) => {
    expect(anthropicErrorToOpenAI(status, anthropicBody(anthropicType, message))).toEqual({
      error: { message, type: openAIType, param: null, code: anthropicType },
    });
  });

  it('keeps the upstream code of an OpenAI-shaped body behind an Anthropic-format proxy', () => {
    const body = JSON.stringify({
      error: {
        message: 'No such model',
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
      },
    });
    expect(anthropicErrorToOpenAI(404, body)).toEqual({
      error: {
        message: 'No such model',
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  it.each<[number, string, string]>([
    [
      502,
      '<html><body><h1>502 Bad Gateway</h1><p>nginx at 10.0.0.7</p></body></html>',
      'server_error',
    ],
    [503, '', 'server_error'],
    [418, 'not json', 'invalid_request_error'],
    [401, '{"unexpected":true}', 'authentication_error'],
  ])('says only the status for an unreadable HTTP %i body', (status, body, type) => {
    expect(anthropicErrorToOpenAI(status, body)).toEqual({
      error: {
        message: `Upstream returned HTTP ${status}`,
        type,
        param: null,
        code: 'upstream_error',
      },
    });
  });

  it('summarises a long message to at most 500 characters', () => {
    const long = 'x'.repeat(20_000);
    const out = anthropicErrorToOpenAI(400, anthropicBody('invalid_request_error', long));
    expect(out.error.message.length).toBeLessThanOrEqual(500);
    expect(out.error.message.endsWith('…')).toBe(true);
  });
});

describe('openAIErrorToAnthropic', () => {
  it.each<[number, string, string, string]>([
    [
      400,
      '{"error":{"message":"Invalid value for temperature","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}',
      'invalid_request_error',
      'Invalid value for temperature (param: temperature)',
    ],
    [
      401,
      '{"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
      'authentication_error',
      'Incorrect API key provided: sk-abc***xyz.',
    ],
    [
      429,
      '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}',
      'rate_limit_error',
      'You exceeded your current quota',
    ],
    [
      429,
      '{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
      'rate_limit_error',
      'Rate limit reached for gpt-4o',
    ],
    [
      500,
      '{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}',
      'api_error',
      'The server had an error',
    ],
    [
      400,
      '{"object":"error","message":"This model\'s maximum context length is 8192 tokens","type":"BadRequestError","param":null,"code":400}',
      'invalid_request_error',
      "This model's maximum context length is 8192 tokens",
    ],
    [
      422,
      '{"detail":"Field required: messages"}',
      'invalid_request_error',
      'Field required: messages',
    ],
    [
      404,
      '{"error":"model \\"llama9\\" not found, try pulling it first"}',
      'not_found_error',
      'model "llama9" not found, try pulling it first',
    ],
    [503, '', 'overloaded_error', 'Upstream returned HTTP 503'],
    [504, '<html>Gateway Timeout</html>', 'timeout_error', 'Upstream returned HTTP 504'],
    [413, '', 'request_too_large', 'Upstream returned HTTP 413'],
    [402, '', 'billing_error', 'Upstream returned HTTP 402'],
  ])('maps HTTP %i %s', (status, body, type, message) => {
    expect(openAIErrorToAnthropic(status, body)).toEqual({
      type: 'error',
      error: { type, message },
    });
  });

  it('maps the type alone when there is no status (a mid-stream error event)', () => {
    const data =
      '{"error":{"message":"Rate limited","type":"rate_limit_error","param":null,"code":null}}';
    expect(openAIErrorToAnthropic(null, data)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate limited' },
    });
    expect(openAIErrorToAnthropic(null, '{"error":{}}')).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'Upstream stream failed' },
    });
  });
});
