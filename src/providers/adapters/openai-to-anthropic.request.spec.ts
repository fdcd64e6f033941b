import { fixtureJson } from './fixtures/stream-assembly';
import { toAnthropicRequest } from './openai-to-anthropic.request';
import { TranslationError } from './translation-error';
import type { AnthropicMessagesRequest, OpenAIChatRequest, OpenAIMessage } from './wire-types';

function translate(extra: Partial<OpenAIChatRequest>, messages?: OpenAIMessage[]) {
  return toAnthropicRequest(
    { model: 'claude', messages: messages ?? [{ role: 'user', content: 'Hi' }], ...extra },
    'claude-sonnet-4-5',
  );
}

function translationError(run: () => unknown): TranslationError {
  try {
    run();
  } catch (error) {
    if (error instanceof TranslationError) return error;
    throw error;
  }
  throw new Error('expected a TranslationError');
}

describe('toAnthropicRequest', () => {
  it('translates a multi-tool conversation with images into alternating Anthropic turns', () => {
    const body = fixtureJson<OpenAIChatRequest>('openai-request.multi-tool.json');
    const out = toAnthropicRequest(body, 'claude-sonnet-4-5-20250929');

    expect(out).toEqual(fixtureJson<AnthropicMessagesRequest>('anthropic-request.multi-tool.json'));
  });

  it('joins system and developer messages wherever they appear, in order', () => {
    const out = translate({}, [
      { role: 'system', content: 'Rule one.' },
      { role: 'developer', content: [{ type: 'text', text: 'Rule two.' }] },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Rule three.' },
    ]);
    expect(out.system).toBe('Rule one.\n\nRule two.\n\nRule three.');
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('merges consecutive same-role messages and puts tool results first in a user turn', () => {
    const out = translate({}, [
      { role: 'user', content: 'First.' },
      { role: 'user', content: 'Second.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }],
      },
      { role: 'user', content: 'Also this.' },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'done' }] },
    ]);
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'done' }] },
          { type: 'text', text: 'Also this.' },
        ],
      },
    ]);
  });

  it('leaves out blank text, and trims trailing whitespace from a final assistant prefill', () => {
    const out = translate({}, [
      {
        role: 'user',
        content: [
          { type: 'text', text: ' ' },
          { type: 'text', text: 'Go' },
        ],
      },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'On' },
      { role: 'assistant', content: 'The answer is ' },
    ]);
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Go' },
          { type: 'text', text: 'On' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'The answer is' }] },
    ]);
  });

  it('rewrites tool ids Anthropic would refuse, identically in tool_use and tool_result', () => {
    const out = translate({}, [
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        tool_calls: [
          { id: 'functions.f:0', type: 'function', function: { name: 'f', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'functions.f:0', content: 'ok' },
    ]);
    expect(out.messages[1]!.content).toEqual([
      { type: 'tool_use', id: 'functions_f_0', name: 'f', input: {} },
    ]);
    expect(out.messages[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'functions_f_0', content: 'ok' },
    ]);
  });

  it.each<[string, Partial<OpenAIChatRequest>, number]>([
    ['the default when absent', {}, 4096],
    ['max_tokens', { max_tokens: 100 }, 100],
    ['max_completion_tokens over max_tokens', { max_tokens: 100, max_completion_tokens: 200 }, 200],
  ])('sets max_tokens from %s', (_name, extra, expected) => {
    expect(translate(extra).max_tokens).toBe(expected);
  });

  it('uses the given default max_tokens', () => {
    const out = toAnthropicRequest(
      { model: 'm', messages: [{ role: 'user', content: 'x' }] },
      'u',
      1024,
    );
    expect(out.max_tokens).toBe(1024);
  });

  it.each<[Partial<OpenAIChatRequest>, Partial<AnthropicMessagesRequest>]>([
    [{ stop: 'END' }, { stop_sequences: ['END'] }],
    [{ stop: ['a', 'b'] }, { stop_sequences: ['a', 'b'] }],
    [{ stop: null }, {}],
    [{ stream: true, stream_options: { include_usage: true } }, { stream: true }],
    [
      { temperature: 0, top_p: 1 },
      { temperature: 0, top_p: 1 },
    ],
    [{ user: 'u-1' }, { metadata: { user_id: 'u-1' } }],
    [{ seed: 7, presence_penalty: 1, logit_bias: { 1: 2 }, n: 1 }, {}],
  ])('maps %j to %j', (extra, expected) => {
    const out: Partial<AnthropicMessagesRequest> = translate(extra);
    delete out.model;
    delete out.messages;
    delete out.max_tokens;
    expect(out).toEqual(expected);
  });

  const tools: OpenAIChatRequest['tools'] = [
    {
      type: 'function',
      function: {
        name: 'lookup',
        parameters: { type: 'object', properties: { q: { type: 'string' } } },
      },
    },
    { type: 'function', function: { name: 'now' } },
  ];

  it('translates tools, with an empty object schema for a tool without parameters', () => {
    expect(translate({ tools }).tools).toEqual([
      { name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each<[Partial<OpenAIChatRequest>, unknown]>([
    [{ tool_choice: 'auto' }, { type: 'auto' }],
    [{ tool_choice: 'none' }, { type: 'none' }],
    [{ tool_choice: 'required' }, { type: 'any' }],
    [
      { tool_choice: { type: 'function', function: { name: 'now' } } },
      { type: 'tool', name: 'now' },
    ],
    [{}, undefined],
    [{ parallel_tool_calls: false }, { type: 'auto', disable_parallel_tool_use: true }],
    [
      { tool_choice: 'required', parallel_tool_calls: false },
      { type: 'any', disable_parallel_tool_use: true },
    ],
    [{ tool_choice: 'none', parallel_tool_calls: false }, { type: 'none' }],
  ])('maps tool_choice %j to %j', (extra, expected) => {
    expect(translate({ tools, ...extra }).tool_choice).toEqual(expected);
  });

  it('sends neither tools nor tool_choice when there are no tools', () => {
    const out = translate({ tools: [], tool_choice: 'required' });
    expect(out).not.toHaveProperty('tools');
    expect(out).not.toHaveProperty('tool_choice');
  });

  it.each<[string, () => unknown, string, RegExp]>([
    ['n > 1', () => translate({ n: 2 }), 'n', /one choice/],
    ['logprobs', () => translate({ logprobs: true }), 'logprobs', /logprobs/],
    [
      'json_schema response_format',
      () => translate({ response_format: { type: 'json_schema' } }),
      'response_format',
      /json_schema/,
    ],
    ['legacy functions', () => translate({ functions: [] }), 'functions', /use tools/],
    ['audio output', () => translate({ audio: { voice: 'alloy' } }), 'audio', /audio/],
    [
      'an audio part',
      () => translate({}, [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }]),
      'messages[0].content[0].type',
      /input_audio/,
    ],
    [
      'invalid JSON arguments',
      () =>
        translate({}, [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            tool_calls: [
              { id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } },
            ],
          },
        ]),
      'messages[1].tool_calls[0].function.arguments',
      /not valid JSON/,
    ],
    [
      'non-object arguments',
      () =>
        translate({}, [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
          },
        ]),
      'messages[1].tool_calls[0].function.arguments',
      /JSON object/,
    ],
    [
      'the function role',
      () =>
        translate({}, [{ role: 'function', content: 'x', name: 'f' } as unknown as OpenAIMessage]),
      'messages[0].role',
      /'function'/,
    ],
    [
      'a non-function tool',
      () =>
        translate({
          tools: [
            { type: 'custom', custom: { name: 'x' } } as unknown as NonNullable<
              OpenAIChatRequest['tools']
            >[number],
          ],
        }),
      'tools[0].type',
      /'custom'/,
    ],
    [
      'only system messages',
      () => translate({}, [{ role: 'system', content: 'x' }]),
      'messages',
      /at least one/,
    ],
  ])('refuses %s with a TranslationError naming the parameter', (_name, run, param, message) => {
    const error = translationError(run);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
  });

  it('does not modify the client body', () => {
    const body = fixtureJson<OpenAIChatRequest>('openai-request.multi-tool.json');
    const before = JSON.stringify(body);
    toAnthropicRequest(body, 'x');
    expect(JSON.stringify(body)).toBe(before);
  });
});
