import {
  assembleAnthropicStream,
  fixtureJson,
  fixtureText,
  splitSse,
} from './fixtures/stream-assembly';
import { toAnthropicResponse } from './openai-to-anthropic.response';
import { OpenAIToAnthropicStream } from './openai-to-anthropic.stream';
import { SseParser } from './sse-parser';
import type { OpenAIChatCompletion } from './wire-types';

const META = { id: 'msg_sy_1', model: 'gpt-4o' };

function translateText(sse: string, chunkSize?: number) {
  const stream = new OpenAIToAnthropicStream(META);
  const parser = new SseParser();
  const bytes = Buffer.from(sse, 'utf8');
  const size = chunkSize ?? bytes.length;
  let out = '';
  for (let i = 0; i < bytes.length; i += size) {
    for (const event of parser.push(bytes.subarray(i, i + size))) out += stream.push(event);
  }
  for (const event of parser.flush()) out += stream.push(event);
  out += stream.end();
  return { out, stream };
}

function chunk(delta: object, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
}

describe('OpenAIToAnthropicStream', () => {
  it.each([1, 5, 100, Infinity])(
    'reassembles to the non-streamed translation of the same completion (upstream chunks of %s bytes)',
    (chunkSize) => {
      const { out, stream } = translateText(fixtureText('openai-stream.tool-calls.sse'), chunkSize);
      const assembled = assembleAnthropicStream(out);
      const expected = toAnthropicResponse(
        fixtureJson<OpenAIChatCompletion>('openai-completion.tool-calls.json'),
        META,
      );
      expect(assembled.message).toEqual(expected);
      expect(assembled.stopped).toBe(true);
      expect(assembled.errors).toEqual([]);
      expect(stream.failed).toBe(false);
      expect(stream.usage?.prompt_tokens).toBe(1117);
    },
  );

  it('emits the Anthropic event sequence: start, one block per text run and tool call, delta, stop', () => {
    const { out } = translateText(fixtureText('openai-stream.tool-calls.sse'));
    const names = splitSse(out).map((event) => event.event);
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const messageDelta = JSON.parse(splitSse(out)[13]!.data) as unknown;
    expect(messageDelta).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 93,
        output_tokens: 46,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 1024,
      },
    });
  });

  it('turns an error event mid-stream into an Anthropic error event without message_stop', () => {
    const { out, stream } = translateText(fixtureText('openai-stream.error.sse'));
    const assembled = assembleAnthropicStream(out);
    expect(assembled.message?.content).toEqual([{ type: 'text', text: 'Once upon' }]);
    expect(assembled.errors).toEqual([
      {
        type: 'api_error',
        message: 'The server had an error while processing your request. Sorry about that!',
      },
    ]);
    expect(assembled.stopped).toBe(false);
    expect(assembled.eventNames).not.toContain('message_delta');
    expect(stream.failed).toBe(true);
  });

  it('fails a stream cut before its finish_reason', () => {
    const whole = fixtureText('openai-stream.tool-calls.sse');
    const cut = whole.slice(0, whole.indexOf('"finish_reason":"tool_calls"'));
    const { out, stream } = translateText(cut.slice(0, cut.lastIndexOf('data: ')));
    const assembled = assembleAnthropicStream(out);
    expect(assembled.stopped).toBe(false);
    expect(assembled.errors).toEqual([
      { type: 'api_error', message: 'Upstream stream ended before the message was complete' },
    ]);
    expect(stream.failed).toBe(true);
  });

  it('completes a stream that sent a finish_reason but no [DONE] (servers that omit it)', () => {
    const { out, stream } = translateText(chunk({ content: 'Hi' }) + chunk({}, 'length'));
    const assembled = assembleAnthropicStream(out);
    expect(assembled.stopped).toBe(true);
    expect(assembled.message?.stop_reason).toBe('max_tokens');
    expect(assembled.message?.content).toEqual([{ type: 'text', text: 'Hi' }]);
    expect(stream.failed).toBe(false);
  });

  it('gives a tool call without an id one derived from the message id', () => {
    const { out } = translateText(
      chunk(
        { tool_calls: [{ index: 0, function: { name: 'now', arguments: '{}' } }] },
        'tool_calls',
      ) + 'data: [DONE]\n\n',
    );
    expect(assembleAnthropicStream(out).message?.content).toEqual([
      { type: 'tool_use', id: 'msg_sy_1_tool_0', name: 'now', input: {} },
    ]);
  });

  it('opens a new text block for text after a tool call, and ignores reasoning_content', () => {
    const { out } = translateText(
      chunk({ reasoning_content: 'hmm' }) +
        chunk({
          tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '' } }],
        }) +
        chunk({ content: 'after' }, 'stop') +
        'data: [DONE]\n\n',
    );
    expect(assembleAnthropicStream(out).message?.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
      { type: 'text', text: 'after' },
    ]);
  });

  it('fails on unreadable data and ignores everything after', () => {
    const stream = new OpenAIToAnthropicStream(META);
    expect(stream.push({ event: null, data: '{"choices":[' })).toMatch(/^event: error\n/);
    expect(stream.push({ event: null, data: '[DONE]' })).toBe('');
    expect(stream.end()).toBe('');
    expect(stream.failed).toBe(true);
  });

  it('lets the forwarding code fail the stream with an Anthropic error type', () => {
    const stream = new OpenAIToAnthropicStream(META);
    stream.push({
      event: null,
      data: JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' } }] }),
    });
    const out = stream.fail('Upstream timed out', 'timeout_error');
    expect(splitSse(out)).toEqual([
      {
        event: 'error',
        data: '{"type":"error","error":{"type":"timeout_error","message":"Upstream timed out"}}',
      },
    ]);
    expect(stream.end()).toBe('');
  });
});
