import { fixtureText } from './fixtures/stream-assembly';
import { SseParser, type SseEvent } from './sse-parser';

function parseWhole(input: string | Buffer): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(input), ...parser.flush()];
}

function parseInPieces(bytes: Buffer, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return [...events, ...parser.flush()];
}

describe('SseParser', () => {
  const cases: [name: string, input: string, expected: SseEvent[]][] = [
    [
      'named events and unnamed data',
      'event: message_start\ndata: {"a":1}\n\ndata: {"b":2}\n\n',
      [
        { event: 'message_start', data: '{"a":1}' },
        { event: null, data: '{"b":2}' },
      ],
    ],
    ['[DONE] as plain data', 'data: [DONE]\n\n', [{ event: null, data: '[DONE]' }]],
    ['CRLF line endings', 'event: ping\r\ndata: x\r\n\r\n', [{ event: 'ping', data: 'x' }]],
    [
      'CR line endings',
      'event: ping\rdata: x\r\rdata: y\r\r',
      [
        { event: 'ping', data: 'x' },
        { event: null, data: 'y' },
      ],
    ],
    [
      'multi-line data joined with LF',
      'data: line 1\ndata: line 2\ndata:\n\n',
      [{ event: null, data: 'line 1\nline 2\n' }],
    ],
    [
      'comments ignored',
      ': keep-alive\n\n:another\ndata: x\n: mid-event comment\n\n',
      [{ event: null, data: 'x' }],
    ],
    [
      'only one leading space stripped',
      'data:  two spaces\ndata:none\n\n',
      [{ event: null, data: ' two spaces\nnone' }],
    ],
    ['field without colon', 'data\ndata\n\n', [{ event: null, data: '\n' }]],
    [
      'id, retry and unknown fields ignored',
      'id: 7\nretry: 100\nfoo: bar\ndata: x\n\n',
      [{ event: null, data: 'x' }],
    ],
    [
      'event without data not dispatched, name not carried over',
      'event: lonely\n\ndata: x\n\n',
      [{ event: null, data: 'x' }],
    ],
    ['empty event name is null', 'event:\ndata: x\n\n', [{ event: null, data: 'x' }]],
    ['leading BOM stripped', '\uFEFFdata: x\n\n', [{ event: null, data: 'x' }]],
    ['blank lines between events', '\n\n\ndata: x\n\n\n\n', [{ event: null, data: 'x' }]],
  ];

  it.each(cases)('parses %s', (_name, input, expected) => {
    expect(parseWhole(Buffer.from(input, 'utf8'))).toEqual(expected);
    expect(parseWhole(input.replace(/^\uFEFF/, ''))).toEqual(expected);
  });

  it('returns each event as soon as its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\n')).toEqual([]);
    expect(parser.push('\ndata: tw')).toEqual([{ event: null, data: 'one' }]);
    expect(parser.push('o\n\n')).toEqual([{ event: null, data: 'two' }]);
    expect(parser.flush()).toEqual([]);
  });

  it('treats a CR at the end of a chunk and an LF at the start of the next as one line break', () => {
    const parser = new SseParser();
    expect(parser.push('data: x\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([{ event: null, data: 'x' }]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('data: y\r\n\r\n')).toEqual([{ event: null, data: 'y' }]);
  });

  it('dispatches a final event that lacks its blank line on flush, and a dangling line', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\n\ndata: [DONE]')).toEqual([{ event: null, data: 'a' }]);
    expect(parser.flush()).toEqual([{ event: null, data: '[DONE]' }]);
  });

  describe.each([
    ['anthropic-stream.tool-use.sse', '\n'],
    ['anthropic-stream.tool-use.sse', '\r\n'],
    ['openai-stream.tool-calls.sse', '\n'],
    ['openai-stream.tool-calls.sse', '\r'],
  ])('on %s with %j line endings', (name, eol) => {
    const bytes = Buffer.from(fixtureText(name).replace(/\n/g, eol), 'utf8');
    const whole = parseWhole(bytes);

    it('parses every event of the fixture', () => {
      const expectedCount = fixtureText(name).split('\n\n').filter(Boolean).length;
      expect(whole).toHaveLength(expectedCount);
      expect(whole.some((event) => event.data.includes('東'))).toBe(true);
    });

    it('parses identically when split in two at every byte position', () => {
      const mismatches: number[] = [];
      for (let cut = 0; cut <= bytes.length; cut++) {
        const events = parseInPieces(bytes, [cut]);
        if (JSON.stringify(events) !== JSON.stringify(whole)) mismatches.push(cut);
      }
      expect(mismatches).toEqual([]);
    });

    it('parses identically when fed one byte at a time', () => {
      const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(parseInPieces(bytes, cuts)).toEqual(whole);
    });
  });
});
