import { fixtureJson } from './fixtures/stream-assembly';
import {
  anthropicUsageFromOpenAI,
  parseToolInput,
  stopReasonFromOpenAI,
  toAnthropicResponse,
} from './openai-to-anthropic.response';
import type { AnthropicStopReason, OpenAIChatCompletion } from './wire-types';

const META = { id: 'msg_sy_1', model: 'gpt-4o' };

function completion(
  message: Partial<OpenAIChatCompletion['choices'][number]['message']>,
  finishReason: OpenAIChatCompletion['choices'][number]['finish_reason'] = 'stop',
): OpenAIChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null, ...message },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
  };
}

describe('toAnthropicResponse', () => {
  it('turns content and tool_calls into text and tool_use blocks, with cache-aware usage', () => {
    const out = toAnthropicResponse(
      fixtureJson<OpenAIChatCompletion>('openai-completion.tool-calls.json'),
      META,
    );
    expect(out).toEqual({
      id: 'msg_sy_1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [
        { type: 'text', text: 'Checking Paris and 東京 — ☀️?' },
        {
          type: 'tool_use',
          id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
          name: 'get_weather',
          input: { city: 'Paris' },
        },
        {
          type: 'tool_use',
          id: 'call_fq4XtOmRkLdb8nDq0yN3Cw2v',
          name: 'get_weather',
          input: { city: '東京' },
        },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 93,
        output_tokens: 46,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1024,
      },
    });
  });

  it('answers an empty content array for an empty reply, and the refusal as text', () => {
    expect(toAnthropicResponse(completion({ content: '' }), META).content).toEqual([]);
    const refused = toAnthropicResponse(
      completion({ refusal: 'I cannot help with that.' }, 'content_filter'),
      META,
    );
    expect(refused.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(refused.stop_reason).toBe('refusal');
  });

  it.each<[string | null, AnthropicStopReason]>([
    ['stop', 'end_turn'],
    [null, 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
  ])('maps finish_reason %s to stop_reason %s', (reason, expected) => {
    expect(stopReasonFromOpenAI(reason)).toBe(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ['{"a":1}', { a: 1 }],
    ['', {}],
    ['{"a":', {}],
    ['[1,2]', {}],
    ['"text"', {}],
  ])('reads tool arguments %j as input %j', (args, expected) => {
    expect(parseToolInput(args)).toEqual(expected);
  });

  it.each([
    [{ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }, 12, 0],
    [
      {
        prompt_tokens: 1200,
        completion_tokens: 3,
        total_tokens: 1203,
        prompt_tokens_details: { cached_tokens: 1024 },
      },
      176,
      1024,
    ],
  ])('splits usage %j into input %i and cache reads %i', (usage, input, cached) => {
    expect(anthropicUsageFromOpenAI(usage)).toEqual({
      input_tokens: input,
      output_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: cached,
    });
  });

  it('reports zero usage when the upstream sent none', () => {
    const body = completion({ content: 'x' });
    delete body.usage;
    expect(toAnthropicResponse(body, META).usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});
