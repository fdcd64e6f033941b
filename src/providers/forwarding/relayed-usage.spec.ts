import { usageOf } from './relayed-usage';

describe('usageOf', () => {
  it('reads the usage object of a chat completion without the rest of the body', () => {
    const body = JSON.stringify({
      id: 'c1',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'a "usage": {} lookalike { }' } },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    });
    expect(usageOf(body)).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    });
  });

  it('reads pretty-printed usage', () => {
    expect(usageOf('{"usage" :  {\n "prompt_tokens": 1,\n "total_tokens": 1\n}\n}')).toEqual({
      prompt_tokens: 1,
      total_tokens: 1,
    });
  });

  it.each([
    ['no usage', '{"id":"c1","choices":[]}'],
    ['usage null followed by an object', '{"usage":null,"extra":{"prompt_tokens":9}}'],
    ['a truncated body', '{"usage":{"prompt_tokens":1'],
  ])('gives null for %s', (_, body) => {
    expect(usageOf(body)).toBeNull();
  });
});
