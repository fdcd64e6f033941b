import { OpenAIStreamRelay } from './openai-stream-relay';

const text = (content: string) =>
  `{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"${content}"}}]}`;
const usageChunk =
  '{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}';
const event = (data: string) => ({ event: null, data });

function relay(includeUsage: boolean, datas: string[]): { out: string; relay: OpenAIStreamRelay } {
  const relayed = new OpenAIStreamRelay(includeUsage);
  let out = '';
  for (const data of datas) out += relayed.push(event(data));
  out += relayed.end();
  return { out, relay: relayed };
}

describe('OpenAIStreamRelay', () => {
  it('relays events byte for byte and ends with [DONE]', () => {
    const { out, relay: relayed } = relay(true, [text('Hel'), text('lo'), usageChunk, '[DONE]']);
    expect(out).toBe(
      `data: ${text('Hel')}\n\ndata: ${text('lo')}\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`,
    );
    expect(relayed.usage).toEqual({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
    expect(relayed.failed).toBe(false);
  });

  it('drops the usage chunk the client did not ask for, but still records the usage', () => {
    const { out, relay: relayed } = relay(false, [text('Hi'), usageChunk, '[DONE]']);
    expect(out).toBe(`data: ${text('Hi')}\n\ndata: [DONE]\n\n`);
    expect(relayed.usage?.total_tokens).toBe(11);
  });

  it('ends a stream cut before [DONE] with an error event and no [DONE]', () => {
    const { out, relay: relayed } = relay(true, [text('Hi')]);
    expect(out).not.toContain('[DONE]');
    expect(out).toContain('"code":"upstream_stream_interrupted"');
    expect(relayed.failed).toBe(true);
  });

  it('passes an upstream error event on, marks the stream failed and adds nothing after it', () => {
    const error = '{"error":{"message":"overloaded","type":"server_error"}}';
    const { out, relay: relayed } = relay(true, [text('Hi'), error]);
    expect(out).toBe(`data: ${text('Hi')}\n\ndata: ${error}\n\n`);
    expect(relayed.failed).toBe(true);
  });
});
