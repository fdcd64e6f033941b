import { toOpenAIRequest } from './anthropic-to-openai.request';
import { fixtureJson } from './fixtures/stream-assembly';
import { TranslationError } from './translation-error';
import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  OpenAIChatRequest,
} from './wire-types';

function translate(
  extra: Partial<AnthropicMessagesRequest>,
  messages: AnthropicMessageParam[] = [{ role: 'user', content: 'Hi' }],
) {
  return toOpenAIRequest({ model: 'gpt', max_tokens: 256, messages, ...extra }, 'gpt-4o');
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

describe('toOpenAIRequest', () => {
  it('translates the recorded multi-tool Anthropic request into the equivalent OpenAI request', () => {
    const out = toOpenAIRequest(
      fixtureJson<AnthropicMessagesRequest>('anthropic-request.multi-tool.json'),
      'claude-sonnet',
    );
    expect(out).toEqual(fixtureJson<OpenAIChatRequest>('openai-request.multi-tool.json'));
  });

  it('translates a tool conversation: system first, tool results as tool messages before user text', () => {
    const out = translate(
      {
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Use metric units.' },
        ],
      },
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' },
            },
            { type: 'image', source: { type: 'url', url: 'https://example.com/map.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The map shows Paris.', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18 °C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: [
                { type: 'text', text: '14:05' },
                { type: 'text', text: 'CEST' },
              ],
              is_error: false,
            },
            { type: 'text', text: 'Thanks!' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_3', name: 'noop', input: {} }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3' }] },
      ],
    );
    expect(out.messages).toEqual([
      { role: 'system', content: 'Be brief.\n\nUse metric units.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather here?' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'image_url', image_url: { url: 'https://example.com/map.png' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18 °C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: '14:05\nCEST' },
      { role: 'user', content: 'Thanks!' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'toolu_3', type: 'function', function: { name: 'noop', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_3', content: '' },
    ]);
  });

  it('keeps string content as strings', () => {
    expect(
      translate({ system: 'S' }, [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'A' },
      ]).messages,
    ).toEqual([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ]);
  });

  it.each<[Partial<AnthropicMessagesRequest>, Partial<OpenAIChatRequest>]>([
    [{}, { max_tokens: 256 }],
    [{ stop_sequences: ['END', '###'] }, { max_tokens: 256, stop: ['END', '###'] }],
    [{ stop_sequences: [] }, { max_tokens: 256 }],
    [
      { temperature: 0.5, top_p: 0.8, top_k: 40 },
      { max_tokens: 256, temperature: 0.5, top_p: 0.8 },
    ],
    [{ metadata: { user_id: 'u-9' } }, { max_tokens: 256, user: 'u-9' }],
    [{ metadata: { user_id: null } }, { max_tokens: 256 }],
    [{ stream: true }, { max_tokens: 256, stream: true, stream_options: { include_usage: true } }],
    [{ thinking: { type: 'enabled', budget_tokens: 1024 } }, { max_tokens: 256 }],
  ])('maps %j to %j', (extra, expected) => {
    const out: Partial<OpenAIChatRequest> = translate(extra);
    expect(out.model).toBe('gpt-4o');
    delete out.model;
    delete out.messages;
    expect(out).toEqual(expected);
  });

  const tools: AnthropicMessagesRequest['tools'] = [
    {
      name: 'get_weather',
      description: 'Weather',
      input_schema: { type: 'object', properties: { city: { type: 'string' } } },
    },
    { name: 'now', input_schema: { type: 'object' }, type: 'custom' },
  ];

  it('translates custom tools into functions', () => {
    expect(translate({ tools }).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object' } } },
    ]);
  });

  it.each<[AnthropicMessagesRequest['tool_choice'], Partial<OpenAIChatRequest>]>([
    [{ type: 'auto' }, { tool_choice: 'auto' }],
    [{ type: 'any' }, { tool_choice: 'required' }],
    [{ type: 'none' }, { tool_choice: 'none' }],
    [
      { type: 'tool', name: 'now' },
      { tool_choice: { type: 'function', function: { name: 'now' } } },
    ],
    [
      { type: 'auto', disable_parallel_tool_use: true },
      { tool_choice: 'auto', parallel_tool_calls: false },
    ],
    [undefined, {}],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    const out = translate({ tools, tool_choice: choice });
    expect({ tool_choice: out.tool_choice, parallel_tool_calls: out.parallel_tool_calls }).toEqual({
      tool_choice: undefined,
      parallel_tool_calls: undefined,
      ...expected,
    });
  });

  it.each<[string, () => unknown, string]>([
    [
      'a document block',
      () =>
        translate({}, [
          {
            role: 'user',
            content: [{ type: 'document', source: {} } as unknown as AnthropicContentBlock],
          },
        ]),
      'messages.0.content.0.type',
    ],
    [
      'an image in a tool result',
      () =>
        translate({}, [
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't',
                content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }],
              },
            ],
          },
        ]),
      'messages.0.content.0.content.0.type',
    ],
    [
      'a server tool',
      () =>
        translate({
          tools: [{ type: 'web_search_20250305', name: 'web_search', input_schema: {} }],
        }),
      'tools.0.type',
    ],
    [
      'a file image source',
      () =>
        translate({}, [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: { type: 'file', file_id: 'f' },
              } as unknown as AnthropicContentBlock,
            ],
          },
        ]),
      'messages.0.content.0.source.type',
    ],
  ])('refuses %s with a TranslationError naming the parameter', (_name, run, param) => {
    const error = translationError(run);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(/OpenAI-format model/);
  });
});
