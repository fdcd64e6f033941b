import {
  finishReasonFromAnthropic,
  toOpenAIResponse,
  usageFromAnthropic,
} from './anthropic-to-openai.response';
import { fixtureJson } from './fixtures/stream-assembly';
import type { AnthropicMessage, AnthropicStopReason, OpenAIFinishReason } from './wire-types';

const META = { id: 'chatcmpl-sy-1', model: 'claude-sonnet', created: 1741570283 };

function message(overrides: Partial<AnthropicMessage>): AnthropicMessage {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...overrides,
  };
}

describe('toOpenAIResponse', () => {
  it('turns text and tool_use blocks into content and tool_calls, with cache-aware usage', () => {
    const out = toOpenAIResponse(
      fixtureJson<AnthropicMessage>('anthropic-message.tool-use.json'),
      META,
    );
    expect(out).toEqual({
      id: 'chatcmpl-sy-1',
      object: 'chat.completion',
      created: 1741570283,
      model: 'claude-sonnet',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "I'll check the weather in Paris and 東京 for you — one moment ☀️",
            refusal: null,
            tool_calls: [
              {
                id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
              },
              {
                id: 'toolu_01VzUxJ7yGcN2kJ9nm3Bq5sE',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"東京","unit":"celsius"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 1496,
        completion_tokens: 89,
        total_tokens: 1585,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
    });
  });

  it('concatenates several text blocks without a separator, as the stream would', () => {
    const out = toOpenAIResponse(
      message({
        content: [
          { type: 'text', text: 'Hello' },
          { type: 'text', text: ', world' },
        ],
      }),
      META,
    );
    expect(out.choices[0]!.message.content).toBe('Hello, world');
    expect(out.choices[0]!.message).not.toHaveProperty('tool_calls');
  });

  it('answers null content for a tool-only reply and "" for an empty one', () => {
    const toolOnly = message({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'now', input: {} }],
      stop_reason: 'tool_use',
    });
    expect(toOpenAIResponse(toolOnly, META).choices[0]!.message.content).toBeNull();
    expect(toOpenAIResponse(message({ content: [] }), META).choices[0]!.message.content).toBe('');
  });

  it('puts thinking into reasoning_content and drops redacted thinking', () => {
    const out = toOpenAIResponse(
      message({
        content: [
          { type: 'thinking', thinking: 'Let me think.', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: '42' },
        ],
      }),
      META,
    );
    expect(out.choices[0]!.message).toEqual({
      role: 'assistant',
      content: '42',
      refusal: null,
      reasoning_content: 'Let me think.',
    });
  });

  it.each<[AnthropicStopReason | null, OpenAIFinishReason]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
  ])('maps stop_reason %s to finish_reason %s', (reason, expected) => {
    expect(finishReasonFromAnthropic(reason)).toBe(expected);
    expect(toOpenAIResponse(message({ stop_reason: reason }), META).choices[0]!.finish_reason).toBe(
      expected,
    );
  });

  it.each([
    [{ input_tokens: 10, output_tokens: 5 }, 10, 5, 0],
    [{ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 90 }, 100, 5, 90],
    [{ input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 40 }, 50, 5, 0],
    [
      {
        input_tokens: 3,
        output_tokens: 7,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
      },
      3,
      7,
      0,
    ],
  ])(
    'counts usage %j as prompt %i, completion %i, cached %i',
    (usage, prompt, completion, cached) => {
      expect(usageFromAnthropic(usage)).toEqual({
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        prompt_tokens_details: { cached_tokens: cached },
      });
    },
  );
});
