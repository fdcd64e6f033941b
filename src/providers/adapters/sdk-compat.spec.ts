// The translated streams read by the official SDKs' own stream accumulators. Their `fetch` is
// replaced by one that answers the translated bytes, so nothing leaves the process.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { toOpenAIResponse } from './anthropic-to-openai.response';
import { AnthropicToOpenAIStream } from './anthropic-to-openai.stream';
import { fixtureJson, fixtureText } from './fixtures/stream-assembly';
import { toAnthropicResponse } from './openai-to-anthropic.response';
import { OpenAIToAnthropicStream } from './openai-to-anthropic.stream';
import { SseParser } from './sse-parser';
import type { AnthropicMessage, OpenAIChatCompletion, OpenAIToolCall } from './wire-types';

interface Translator {
  push(event: { event: string | null; data: string }): string;
  end(): string;
}

function translate(fixture: string, translator: Translator): string {
  const parser = new SseParser();
  let out = '';
  for (const event of parser.push(Buffer.from(fixtureText(fixture), 'utf8'))) {
    out += translator.push(event);
  }
  return out + translator.end();
}

function answering(body: string): typeof fetch {
  return () =>
    Promise.resolve(
      new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
}

const OPENAI_META = { id: 'chatcmpl-sy-1', model: 'claude-sonnet', created: 1741570283 };
const ANTHROPIC_META = { id: 'msg_sy_1', model: 'gpt-4o' };

function openAIClient(body: string): OpenAI {
  return new OpenAI({
    apiKey: 'csk_test',
    baseURL: 'http://gateway.invalid/v1',
    maxRetries: 0,
    fetch: answering(body),
  });
}

function anthropicClient(body: string): Anthropic {
  return new Anthropic({
    apiKey: 'csk_test',
    baseURL: 'http://gateway.invalid',
    maxRetries: 0,
    fetch: answering(body),
  });
}

describe('translated streams read by the official SDKs', () => {
  it('openai ChatCompletionStream assembles the same completion as the non-streamed translation', async () => {
    const body = translate(
      'anthropic-stream.tool-use.sse',
      new AnthropicToOpenAIStream({ ...OPENAI_META, includeUsage: true }),
    );
    const final = await openAIClient(body)
      .chat.completions.stream({
        model: 'claude-sonnet',
        messages: [{ role: 'user', content: 'Weather?' }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const expected = toOpenAIResponse(
      fixtureJson<AnthropicMessage>('anthropic-message.tool-use.json'),
      OPENAI_META,
    );
    const choice = expected.choices[0]!;
    expect(final).toMatchObject({
      id: expected.id,
      model: expected.model,
      created: expected.created,
      usage: expected.usage,
    });
    expect(final.choices[0]!.finish_reason).toBe(choice.finish_reason);
    expect(final.choices[0]!.message.content).toBe(choice.message.content);
    const calls = (toolCalls: OpenAIToolCall[] | undefined) =>
      toolCalls?.map((call) => ({
        id: call.id,
        name: call.function.name,
        input: JSON.parse(call.function.arguments) as unknown,
      }));
    expect(calls(final.choices[0]!.message.tool_calls as OpenAIToolCall[])).toEqual(
      calls(choice.message.tool_calls),
    );
  });

  it('openai SDK raises the translated mid-stream error after the text that came before it', async () => {
    const body = translate(
      'anthropic-stream.error.sse',
      new AnthropicToOpenAIStream({ ...OPENAI_META, includeUsage: false }),
    );
    const stream = await openAIClient(body).chat.completions.create({
      model: 'claude-sonnet',
      messages: [{ role: 'user', content: 'Story?' }],
      stream: true,
    });
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    ).rejects.toMatchObject({ message: expect.stringContaining('Overloaded') as unknown });
    expect(text).toBe('Once upon a time');
  });

  it('@anthropic-ai/sdk MessageStream assembles the same message as the non-streamed translation', async () => {
    const body = translate(
      'openai-stream.tool-calls.sse',
      new OpenAIToAnthropicStream(ANTHROPIC_META),
    );
    const final = await anthropicClient(body)
      .messages.stream({
        model: 'gpt-4o',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Weather?' }],
      })
      .finalMessage();
    const expected = toAnthropicResponse(
      fixtureJson<OpenAIChatCompletion>('openai-completion.tool-calls.json'),
      ANTHROPIC_META,
    );
    expect(final).toMatchObject({
      id: expected.id,
      model: expected.model,
      role: 'assistant',
      content: expected.content,
      stop_reason: expected.stop_reason,
      usage: expected.usage,
    });
  });

  it('@anthropic-ai/sdk raises the translated mid-stream error', async () => {
    const body = translate('openai-stream.error.sse', new OpenAIToAnthropicStream(ANTHROPIC_META));
    const stream = anthropicClient(body).messages.stream({
      model: 'gpt-4o',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Story?' }],
    });
    stream.on('error', () => undefined);
    await expect(stream.finalMessage()).rejects.toMatchObject({
      message: expect.stringContaining('The server had an error') as unknown,
    });
  });
});
