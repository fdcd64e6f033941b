// Both directions composed: what goes through one adapter and back must say the same thing.
import { toOpenAIRequest } from './anthropic-to-openai.request';
import { toOpenAIResponse } from './anthropic-to-openai.response';
import { AnthropicToOpenAIStream } from './anthropic-to-openai.stream';
import { assembleAnthropicStream, fixtureJson, fixtureText } from './fixtures/stream-assembly';
import { toAnthropicRequest } from './openai-to-anthropic.request';
import { toAnthropicResponse } from './openai-to-anthropic.response';
import { OpenAIToAnthropicStream } from './openai-to-anthropic.stream';
import { SseParser } from './sse-parser';
import type { AnthropicMessage, AnthropicMessagesRequest, OpenAIChatRequest } from './wire-types';

/** Anthropic reports `service_tier` in usage; OpenAI has nowhere to carry it. */
function withoutServiceTier(usage: AnthropicMessage['usage']): AnthropicMessage['usage'] {
  const copy: AnthropicMessage['usage'] & { service_tier?: string } = { ...usage };
  delete copy.service_tier;
  return copy;
}

describe('round trips', () => {
  it('OpenAI request → Anthropic → OpenAI keeps a multi-tool conversation with images', () => {
    const original = fixtureJson<OpenAIChatRequest>('openai-request.multi-tool.json');
    const back = toOpenAIRequest(toAnthropicRequest(original, 'claude-upstream'), 'gpt-upstream');
    expect(back).toEqual({ ...original, model: 'gpt-upstream' });
  });

  it('Anthropic request → OpenAI → Anthropic keeps tools, images, tool results and options', () => {
    const original: AnthropicMessagesRequest = {
      model: 'claude',
      system: 'Answer in French.',
      max_tokens: 700,
      stop_sequences: ['FIN'],
      temperature: 0.1,
      metadata: { user_id: 'user-7' },
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      tools: [
        {
          name: 'lookup_order',
          description: 'Find an order',
          input_schema: {
            type: 'object',
            properties: { id: { type: 'string' } },
            required: ['id'],
          },
        },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Where is order 42? Receipt attached.' },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/webp', data: 'UklGRh4AAABXRUJQ' },
            },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Je regarde.' },
            { type: 'tool_use', id: 'toolu_01A', name: 'lookup_order', input: { id: '42' } },
            { type: 'tool_use', id: 'toolu_01B', name: 'lookup_order', input: { id: '43' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'shipped' },
            { type: 'tool_result', tool_use_id: 'toolu_01B', content: 'not found' },
            { type: 'text', text: 'And this one?' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/receipt-2.png' } },
          ],
        },
      ],
    };
    const back = toAnthropicRequest(toOpenAIRequest(original, 'gpt-upstream'), 'claude-upstream');
    expect(back).toEqual({ ...original, model: 'claude-upstream' });
  });

  it('Anthropic message → chat.completion → Anthropic message keeps content, stop reason and usage', () => {
    const original = fixtureJson<AnthropicMessage>('anthropic-message.tool-use.json');
    const completion = toOpenAIResponse(original, { id: 'chatcmpl-1', model: 'm', created: 1 });
    const back = toAnthropicResponse(completion, { id: original.id, model: original.model });
    const usage = withoutServiceTier(original.usage);
    expect(back).toEqual({ ...original, usage });
  });

  it('an Anthropic stream relayed as OpenAI chunks and back accumulates to the original message', () => {
    const toOpenAI = new AnthropicToOpenAIStream({
      id: 'chatcmpl-1',
      model: 'm',
      created: 1,
      includeUsage: true,
    });
    const toAnthropic = new OpenAIToAnthropicStream({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-5-20250929',
    });
    const upstream = new SseParser();
    const middle = new SseParser();
    let out = '';
    const relay = (openAIBytes: string) => {
      for (const event of middle.push(openAIBytes)) out += toAnthropic.push(event);
    };
    for (const event of upstream.push(fixtureText('anthropic-stream.tool-use.sse'))) {
      relay(toOpenAI.push(event));
    }
    relay(toOpenAI.end());
    out += toAnthropic.end();

    const { message, stopped, errors } = assembleAnthropicStream(out);
    const original = fixtureJson<AnthropicMessage>('anthropic-message.tool-use.json');
    const usage = withoutServiceTier(original.usage);
    expect(message).toEqual({ ...original, usage });
    expect(stopped).toBe(true);
    expect(errors).toEqual([]);
  });
});
