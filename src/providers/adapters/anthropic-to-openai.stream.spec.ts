import { toOpenAIResponse } from './anthropic-to-openai.response';
import { AnthropicToOpenAIStream } from './anthropic-to-openai.stream';
import {
  assembleOpenAIStream,
  fixtureJson,
  fixtureText,
  splitSse,
  withParsedArguments,
} from './fixtures/stream-assembly';
import { SseParser } from './sse-parser';
import type { AnthropicMessage } from './wire-types';

const META = { id: 'chatcmpl-sy-1', model: 'claude-sonnet', created: 1741570283 };

/** Runs a fixture through SseParser and the translator, in upstream chunks of `chunkSize` bytes. */
function translate(fixture: string, options: { includeUsage: boolean; chunkSize?: number }) {
  const stream = new AnthropicToOpenAIStream({ ...META, includeUsage: options.includeUsage });
  const parser = new SseParser();
  const bytes = Buffer.from(fixtureText(fixture), 'utf8');
  const size = options.chunkSize ?? bytes.length;
  let out = '';
  for (let i = 0; i < bytes.length; i += size) {
    for (const event of parser.push(bytes.subarray(i, i + size))) out += stream.push(event);
  }
  for (const event of parser.flush()) out += stream.push(event);
  out += stream.end();
  return { out, stream };
}

describe('AnthropicToOpenAIStream', () => {
  it.each([1, 7, 64, Infinity])(
    'reassembles to the non-streamed translation of the same message (upstream chunks of %s bytes)',
    (chunkSize) => {
      const { out, stream } = translate('anthropic-stream.tool-use.sse', {
        includeUsage: true,
        chunkSize,
      });
      const assembled = assembleOpenAIStream(out);
      const expected = toOpenAIResponse(
        fixtureJson<AnthropicMessage>('anthropic-message.tool-use.json'),
        META,
      );

      expect(withParsedArguments(assembled.completion)).toEqual(withParsedArguments(expected));
      expect(assembled.done).toBe(true);
      expect(assembled.errors).toEqual([]);
      expect(assembled.firstChunkHasRole).toBe(true);
      expect(stream.failed).toBe(false);
      expect(stream.usage).toEqual(expected.usage);
    },
  );

  it('numbers tool calls from 0 and streams argument fragments unchanged', () => {
    const { out } = translate('anthropic-stream.tool-use.sse', { includeUsage: false });
    const toolDeltas = splitSse(out)
      .filter((event) => event.data !== '[DONE]')
      .flatMap((event) => {
        const chunk = JSON.parse(event.data) as {
          choices: { delta: { tool_calls?: unknown[] } }[];
        };
        return chunk.choices[0]?.delta.tool_calls ?? [];
      });
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"city": "Pa' } },
      { index: 0, function: { arguments: 'ris", "unit": "c' } },
      { index: 0, function: { arguments: 'elsius"}' } },
      {
        index: 1,
        id: 'toolu_01VzUxJ7yGcN2kJ9nm3Bq5sE',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 1, function: { arguments: '{"city": "東' } },
      { index: 1, function: { arguments: '京", "unit": "celsius"}' } },
    ]);
  });

  it('writes well-formed chunks: object, id, model, created and one choice each', () => {
    const { out } = translate('anthropic-stream.tool-use.sse', { includeUsage: false });
    const chunks = splitSse(out)
      .filter((event) => event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ ...META, object: 'chat.completion.chunk' });
      expect(chunk.choices).toHaveLength(1);
    }
    expect(out.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  const USAGE = {
    prompt_tokens: 1496,
    completion_tokens: 89,
    total_tokens: 1585,
    prompt_tokens_details: { cached_tokens: 1024 },
  };

  it.each([
    [true, [USAGE]],
    [false, []],
  ])(
    'with includeUsage %s sends usage chunks %j (choices: []) just before [DONE]',
    (includeUsage, expected) => {
      const { out, stream } = translate('anthropic-stream.tool-use.sse', { includeUsage });
      const events = splitSse(out);
      expect(events[events.length - 1]!.data).toBe('[DONE]');
      const chunks = events
        .slice(0, -1)
        .map((event) => JSON.parse(event.data) as { choices: unknown[]; usage?: unknown });
      const usageChunks = chunks.filter((chunk) => chunk.choices.length === 0);
      expect(usageChunks.map((chunk) => chunk.usage)).toEqual(expected);
      expect(chunks.slice(chunks.length - usageChunks.length)).toEqual(usageChunks);
      // Accounting sees usage either way.
      expect(stream.usage).toEqual(USAGE);
    },
  );

  it('turns thinking into reasoning_content and max_tokens into finish_reason length', () => {
    const { out, stream } = translate('anthropic-stream.thinking.sse', { includeUsage: false });
    const { completion, done } = assembleOpenAIStream(out);
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: '27 × 453 = 12,231',
        refusal: null,
        reasoning_content: '27 * 453 = 12231',
      },
      logprobs: null,
      finish_reason: 'length',
    });
    expect(done).toBe(true);
    expect(stream.usage).toEqual({
      prompt_tokens: 2079,
      completion_tokens: 1024,
      total_tokens: 3103,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('turns an error event mid-stream into an OpenAI error event and never sends [DONE]', () => {
    const { out, stream } = translate('anthropic-stream.error.sse', { includeUsage: true });
    const assembled = assembleOpenAIStream(out);
    expect(assembled.completion.choices[0]!.message.content).toBe('Once upon a time');
    expect(assembled.errors).toEqual([
      { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded_error' },
    ]);
    expect(assembled.done).toBe(false);
    expect(out).not.toContain('[DONE]');
    expect(stream.failed).toBe(true);
    expect(stream.end()).toBe('');
    // Input tokens are still known for accounting.
    expect(stream.usage?.prompt_tokens).toBe(25);
  });

  it('fails a stream cut before message_delta instead of making it look complete', () => {
    const whole = fixtureText('anthropic-stream.tool-use.sse');
    const cut = whole.slice(0, whole.indexOf('event: message_delta'));
    const stream = new AnthropicToOpenAIStream({ ...META, includeUsage: true });
    const parser = new SseParser();
    let out = '';
    for (const event of [...parser.push(cut), ...parser.flush()]) out += stream.push(event);
    const tail = stream.end();
    expect(JSON.parse(splitSse(tail)[0]!.data)).toEqual({
      error: {
        message: 'Upstream stream ended before the message was complete',
        type: 'server_error',
        param: null,
        code: 'upstream_stream_error',
      },
    });
    expect(out + tail).not.toContain('[DONE]');
    expect(out).not.toContain('finish_reason":"');
    expect(stream.failed).toBe(true);
  });

  it('fails on unreadable event data, then ignores the rest', () => {
    const stream = new AnthropicToOpenAIStream({ ...META, includeUsage: false });
    const out = stream.push({ event: 'content_block_delta', data: '{"type":"content_bl' });
    expect(out).toMatch(/^data: \{"error":\{"message":"Upstream sent an unreadable stream event"/);
    expect(stream.failed).toBe(true);
    expect(stream.push({ event: 'message_stop', data: '{"type":"message_stop"}' })).toBe('');
    expect(stream.end()).toBe('');
  });

  it('lets the forwarding code fail the stream once, with its own message and code', () => {
    const stream = new AnthropicToOpenAIStream({ ...META, includeUsage: false });
    stream.push({
      event: 'message_start',
      data: fixtureText('anthropic-stream.error.sse').split('\n')[1]!.slice(6),
    });
    const out = stream.fail('Upstream timed out', 'upstream_timeout');
    expect(JSON.parse(out.slice(6))).toEqual({
      error: {
        message: 'Upstream timed out',
        type: 'server_error',
        param: null,
        code: 'upstream_timeout',
      },
    });
    expect(stream.fail('again')).toBe('');
    expect(stream.end()).toBe('');
  });

  it('ignores ping, content_block_stop, signature deltas and unknown event types', () => {
    const stream = new AnthropicToOpenAIStream({ ...META, includeUsage: false });
    expect(stream.push({ event: 'ping', data: '{"type": "ping"}' })).toBe('');
    expect(
      stream.push({ event: 'content_block_stop', data: '{"type":"content_block_stop","index":0}' }),
    ).toBe('');
    expect(
      stream.push({
        event: 'content_block_delta',
        data: '{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"x"}}',
      }),
    ).toBe('');
    expect(stream.push({ event: 'future_event', data: '{"type":"future_event"}' })).toBe('');
    expect(stream.failed).toBe(false);
  });
});
