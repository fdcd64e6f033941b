import { redact, redactText } from './redact';

const GATEWAY_KEY = 'csk_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
const TEST_KEY = 'csk_test_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
const ADMIN_KEY = 'sya_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
const ROOT_TOKEN = 'sy_root_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
const OPENAI_KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const ANTHROPIC_KEY = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const LEGACY_OPENAI_KEY = 'sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('redactText', () => {
  it.each([
    ['a gateway key', GATEWAY_KEY],
    ['a test gateway key', TEST_KEY],
    ['an admin key', ADMIN_KEY],
    ['a root token', ROOT_TOKEN],
    ['an OpenAI project key', OPENAI_KEY],
    ['an Anthropic key', ANTHROPIC_KEY],
    ['a legacy OpenAI key', LEGACY_OPENAI_KEY],
  ])('replaces %s inside text', (_, secret) => {
    const text = redactText(`upstream rejected key ${secret}: quota exceeded`);

    expect(text).toBe('upstream rejected key [redacted]: quota exceeded');
  });

  it('replaces a Bearer token with any token characters', () => {
    const text = redactText('Authorization: Bearer eyJhbGciOi.J9.eyJzdWIi/+x= was refused');

    expect(text).toBe('Authorization: [redacted] was refused');
  });

  it('replaces a key inside a URL or quoted JSON', () => {
    const text = redactText(`GET /v1/models?key=${GATEWAY_KEY} {"api_key":"${OPENAI_KEY}"}`);

    expect(text).toBe('GET /v1/models?key=[redacted] {"api_key":"[redacted]"}');
  });

  it('replaces every secret in the text, not just the first', () => {
    expect(redactText(`${GATEWAY_KEY} then ${ADMIN_KEY} then ${GATEWAY_KEY}`)).toBe(
      '[redacted] then [redacted] then [redacted]',
    );
  });

  it('is stable when called repeatedly on the same text', () => {
    const text = `key ${GATEWAY_KEY}`;

    expect(redactText(text)).toBe(redactText(text));
    expect(redactText(redactText(text))).toBe('key [redacted]');
  });

  it.each([
    'Model gpt-4o-mini answered in 120 ms',
    'Keys start with csk_ (production) or csk_test_ (test); admin keys with sya_',
    'task-list-abcdefghijklmnopqrstuvwxyz and desk-0123456789abcdefgh are ordinary words',
    'Send "Authorization: Bearer <key>"',
    'project prj_0123456789abcdef has 3 keys, last four 9xQz',
    '',
  ])('leaves non-secret text untouched: %p', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redact', () => {
  it.each(['apiKey', 'api_key', 'API-KEY', 'authorization', 'Authorization', 'x-api-key'])(
    'replaces the value of a field named %s whatever it looks like',
    (field) => {
      expect(redact({ [field]: 'plain-looking-value', other: 'kept' })).toEqual({
        [field]: '[redacted]',
        other: 'kept',
      });
    },
  );

  it.each(['token', 'secret', 'password', 'masterKey', 'master_key', 'adminToken', 'key'])(
    'replaces the value of a field named %s',
    (field) => {
      expect(redact({ [field]: 12345 })).toEqual({ [field]: '[redacted]' });
    },
  );

  it('replaces a secret-named field holding an object', () => {
    expect(redact({ authorization: { scheme: 'Bearer', value: 'x' } })).toEqual({
      authorization: '[redacted]',
    });
  });

  it('keeps null and undefined secret-named fields, so absence stays visible', () => {
    expect(redact({ apiKey: null, token: undefined })).toEqual({
      apiKey: null,
      token: undefined,
    });
  });

  it('does not treat fields that merely contain a secret word as secret', () => {
    const value = { keyId: 'key_1', tokenCount: 42, lastFour: 'abcd', monkey: 'banana' };

    expect(redact(value)).toEqual(value);
  });

  it('replaces secrets inside string values of other fields', () => {
    expect(redact({ message: `bad key ${GATEWAY_KEY}`, status: 401 })).toEqual({
      message: 'bad key [redacted]',
      status: 401,
    });
  });

  it('walks nested objects and arrays', () => {
    const value = {
      request: {
        headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
        providers: [
          { name: 'openai', config: { apiKey: OPENAI_KEY, baseUrl: 'https://api.openai.com' } },
          { name: 'local', notes: [`fallback ${ANTHROPIC_KEY}`, 'no key'] },
        ],
      },
    };

    expect(redact(value)).toEqual({
      request: {
        headers: { authorization: '[redacted]', 'content-type': 'application/json' },
        providers: [
          { name: 'openai', config: { apiKey: '[redacted]', baseUrl: 'https://api.openai.com' } },
          { name: 'local', notes: ['fallback [redacted]', 'no key'] },
        ],
      },
    });
  });

  it('redacts strings in a top-level array', () => {
    expect(redact([GATEWAY_KEY, 'fine', 3])).toEqual(['[redacted]', 'fine', 3]);
  });

  it('copies rather than mutates its input', () => {
    const value = { apiKey: OPENAI_KEY, nested: { token: 'abc' } };

    redact(value);

    expect(value).toEqual({ apiKey: OPENAI_KEY, nested: { token: 'abc' } });
  });

  it('turns an Error into name, message and stack with secrets removed', () => {
    const error = new TypeError(`upstream refused ${OPENAI_KEY}`);

    const copy = redact(error) as { name: string; message: string; stack: string };

    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe('upstream refused [redacted]');
    expect(copy.stack).toMatch(/^TypeError: upstream refused \[redacted\]\n\s+at /);
    expect(JSON.stringify(copy)).not.toContain(OPENAI_KEY);
  });

  it('returns numbers, booleans, null and undefined as they are', () => {
    expect([redact(7), redact(false), redact(null), redact(undefined)]).toEqual([
      7,
      false,
      null,
      undefined,
    ]);
  });

  it('lets no secret through below its depth limit', () => {
    let deep: Record<string, unknown> = { leaked: GATEWAY_KEY, apiKey: 'plain' };
    for (let level = 0; level < 20; level++) deep = { child: deep };

    expect(JSON.stringify(redact(deep))).not.toMatch(/csk_|plain/);
  });

  it('terminates on circular references', () => {
    const value: Record<string, unknown> = { name: 'loop', token: 'abc' };
    value.self = value;

    expect(JSON.stringify(redact(value))).not.toContain('abc');
  });
});
