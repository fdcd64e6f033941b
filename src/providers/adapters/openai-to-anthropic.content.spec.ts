import { contentBlocks, hasText, systemText } from './openai-to-anthropic.content';
import { TranslationError } from './translation-error';
import type { OpenAIContentPart } from './wire-types';

function image(url: string): OpenAIContentPart[] {
  return [{ type: 'image_url', image_url: { url, detail: 'high' } }];
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

describe('contentBlocks', () => {
  it.each<[string, string, object]>([
    [
      'png',
      'data:image/png;base64,AAAA',
      { type: 'base64', media_type: 'image/png', data: 'AAAA' },
    ],
    [
      'jpg alias',
      'data:image/jpg;base64,BB',
      { type: 'base64', media_type: 'image/jpeg', data: 'BB' },
    ],
    [
      'upper-case type',
      'data:IMAGE/GIF;base64,R0',
      { type: 'base64', media_type: 'image/gif', data: 'R0' },
    ],
    [
      'extra parameters',
      'data:image/webp;charset=x;base64,CC==',
      { type: 'base64', media_type: 'image/webp', data: 'CC==' },
    ],
    ['http URL', 'http://example.com/a.gif', { type: 'url', url: 'http://example.com/a.gif' }],
    ['HTTPS URL', 'HTTPS://example.com/a.png', { type: 'url', url: 'HTTPS://example.com/a.png' }],
  ])('translates an image_url (%s), dropping detail', (_name, url, source) => {
    expect(contentBlocks(image(url), 'content')).toEqual([{ type: 'image', source }]);
  });

  it.each<[string, string, RegExp]>([
    ['an svg image', 'data:image/svg+xml;base64,AA', /image\/svg\+xml/],
    ['a URL-encoded data URL', 'data:image/png,%89PNG', /base64/],
    ['a data URL without a comma', 'data:image/png;base64', /base64/],
    ['a file: URL', 'file:///etc/passwd', /http\(s\)/],
    ['a relative URL', '/images/a.png', /http\(s\)/],
  ])('refuses %s', (_name, url, message) => {
    const error = translationError(() => contentBlocks(image(url), 'messages[3].content'));
    expect(error.param).toBe('messages[3].content[0].image_url.url');
    expect(error.message).toMatch(message);
    expect(error.code).toBe('invalid_value');
  });

  it('keeps text and refusal parts in order and leaves out blank ones', () => {
    const parts: OpenAIContentPart[] = [
      { type: 'text', text: 'a' },
      { type: 'text', text: ' \n ' },
      { type: 'refusal', refusal: 'no' },
      { type: 'text', text: '' },
    ];
    expect(contentBlocks(parts, 'c')).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'no' },
    ]);
    expect(contentBlocks('   ', 'c')).toEqual([]);
    expect(contentBlocks('x', 'c')).toEqual([{ type: 'text', text: 'x' }]);
  });

  it.each([['input_audio'], ['file'], ['video_url']])('refuses a %s part', (type) => {
    const error = translationError(() => contentBlocks([{ type }], 'messages[0].content'));
    expect(error.param).toBe('messages[0].content[0].type');
    expect(error.message).toContain(`'${type}'`);
    expect(error.code).toBe('unsupported_parameter');
  });
});

describe('systemText', () => {
  it('joins the text parts of one system message with a newline', () => {
    const parts: OpenAIContentPart[] = [
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ];
    expect(systemText(parts, 'p')).toBe('a\nb');
    expect(systemText('plain', 'p')).toBe('plain');
  });

  it('refuses an image in a system message', () => {
    const error = translationError(() =>
      systemText(image('https://x/y.png'), 'messages[0].content'),
    );
    expect(error.param).toBe('messages[0].content[0].type');
    expect(error.message).toMatch(/only hold text/);
  });
});

describe('hasText', () => {
  it.each([
    ['', false],
    [' \t\n', false],
    [' x ', true],
  ])('%j → %s', (text, expected) => {
    expect(hasText(text)).toBe(expected);
  });
});
