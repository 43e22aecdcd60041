import { JsonStreamer } from '../../runtime/json/streamer';
import { MAX_NESTING, MAX_TOKEN_COUNT, MAX_TOKEN_SIZE } from '../../runtime/json/limits';
import { bytes, stream, summary } from './helpers';

const err = (e: string) => ({ ok: false, error: e });

describe('framing', () => {
  it('splits concatenated messages without delimiters and skips whitespace between them', () => {
    const out = stream('{"a":1}{"b":2} \r\n\t[3]');
    expect(summary(out)).toEqual([{ value: { a: 1n } }, { value: { b: 2n } }, { value: [3n] }]);
  });

  it('keeps a message split at every byte position', () => {
    const msgs = [
      '{"execute":"guest-sync","arguments":{"id":123456789012345678}}',
      "{'execute':'guest-ping','id':[1.5e3,'x\\'y',null,true,false,-0]}",
      '{"s":"\\u00e9\\ud83d\\ude00\xc3\xa9\\n\\"","t":{}}',
    ];
    for (const m of msgs) {
      const whole = summary(stream(m));
      expect(whole).toHaveLength(1);
      for (let i = 0; i <= m.length; i++) {
        expect(summary(stream(m.slice(0, i), m.slice(i)))).toEqual(whole);
      }
      expect(summary(stream(...m.split('')))).toEqual(whole);
    }
  });

  it('ends a number or keyword only at the next byte, as QEMU does', () => {
    const out: unknown[] = [];
    const s = new JsonStreamer((m) => out.push(m));
    s.feed(bytes('12'));
    expect(out).toHaveLength(0);
    s.feed(bytes(' '));
    expect(out).toEqual([{ ok: true, value: 12n }]);
  });

  it('reset() drops a half message', () => {
    const out: unknown[] = [];
    const s = new JsonStreamer((m) => out.push(m));
    s.feed(bytes('{"execute":"guest-'));
    expect(s.idle).toBe(false);
    s.reset();
    expect(s.idle).toBe(true);
    s.feed(bytes('{"execute":"guest-ping"}'));
    expect(out).toEqual([{ ok: true, value: { execute: 'guest-ping' } }]);
  });
});

describe('values', () => {
  it('reads integers exactly within int64/uint64 and as doubles beyond', () => {
    const [m] = stream('[18446744073709551615,-9223372036854775808,18446744073709551616,-9223372036854775809,9007199254740993,0,-0]');
    expect(m).toEqual({
      ok: true,
      value: [18446744073709551615n, -9223372036854775808n, 18446744073709551616, -9223372036854775809, 9007199254740993n, 0n, 0n],
    });
  });

  it('reads a megabyte of digits as a double', () => {
    const [m] = stream('[' + '9'.repeat(1 << 20) + ',-' + '1'.repeat(30) + ',' + '1'.repeat(21) + ']');
    expect(m).toEqual({ ok: true, value: [Infinity, -1.1111111111111111e29, 111111111111111110000] });
  });

  it('reads fractions and exponents as doubles (1E400 is Infinity)', () => {
    expect(stream('[1.0,1e2,-0.5E-1,1E400]')[0]).toEqual({ ok: true, value: [1, 100, -0.05, Infinity] });
  });

  it('accepts single-quoted strings and the \\\' escape', () => {
    expect(stream(`{'a':'it\\'s "q"',"b":"\\'"}`)[0]).toEqual({ ok: true, value: { a: `it's "q"`, b: "'" } });
  });

  it('makes objects with a null prototype', () => {
    const [m] = stream('{"__proto__":{"x":1}}');
    expect(m!.ok).toBe(true);
    if (m!.ok) {
      expect(Object.getPrototypeOf(m!.value)).toBeNull();
      expect(Object.keys(m!.value as object)).toEqual(['__proto__']);
    }
  });

  it('decodes escapes, surrogate pairs and modified UTF-8 (C0 80 is U+0000)', () => {
    expect(stream('["\\b\\f\\n\\r\\t\\/\\\\","\\ud83d\\ude00","\xc0\x80","\\u0000"]')[0]).toEqual({
      ok: true,
      value: ['\b\f\n\r\t/\\', '\u{1f600}', '\0', '\0'],
    });
  });
});

describe("QEMU's errors", () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"a":2}', ['JSON parse error, duplicate key']],
    ['{"a" 1}', ['JSON parse error, missing : in object pair']],
    ['{"a":1 "b":2}', ['JSON parse error, expected separator in dict']],
    ['[1 2]', ['JSON parse error, expected separator in list']],
    ['{1:2}', ['JSON parse error, key is not a string in object']],
    ['{"a":}', ['JSON parse error, expecting value']],
    ['[1,]', ['JSON parse error, expecting value']],
    ['}', ['JSON parse error, expecting value']],
    [':', ['JSON parse error, expecting value']],
    ['nul ', ["JSON parse error, invalid keyword 'nul'"]],
    ['"\\x"', ['JSON parse error, invalid escape sequence in string']],
    ['"\\ud800"', ['JSON parse error, \\ud800 is not a valid Unicode character']],
    ['"\\udc00"', ['JSON parse error, \\udc00 is not a valid Unicode character']],
    ['"\\ud800\\u0041"', ['JSON parse error, \\ud800 is not a valid Unicode character']],
    ['"\\uFFFF"', ['JSON parse error, \\uFFFF is not a valid Unicode character']],
    ['"\\ud83f\\udfff"', ['JSON parse error, \\ud83f\\udfff is not a valid Unicode character']],
    ['"\\u12"', ['JSON parse error, \\u12" is not a valid Unicode character']],
    ['"\xc3"', ['JSON parse error, invalid UTF-8 sequence in string']],
    ['"\xc1\xbf"', ['JSON parse error, invalid UTF-8 sequence in string']],
    ['"\xed\xa0\x80"', ['JSON parse error, invalid UTF-8 sequence in string']],
    ['"\xef\xbf\xbf"', ['JSON parse error, invalid UTF-8 sequence in string']],
    ['"\xf4\x90\x80\x80"', ['JSON parse error, invalid UTF-8 sequence in string']],
    ['\xff', ["JSON parse error, stray '\ufffd'"]],
    ['\xfe', ["JSON parse error, stray '\ufffd'"]],
    ['\x01', ["JSON parse error, stray '\x01'"]],
    ['\x00', ["JSON parse error, stray ''"]],
    ['\xef\xbb\xbf{"a":1}', ["JSON parse error, stray '\ufffd'"]],
    ['TRUE}', ["JSON parse error, stray 'T'", 'JSON parse error, expecting value']],
    ['{"execute":"gu\x01"}', ["JSON parse error, stray '\"gu\x01'", 'JSON parse error, expecting value']],
    ['01', ["JSON parse error, stray '01'"]],
    ['-x', ["JSON parse error, stray '-x'"]],
    ['1.e', ["JSON parse error, stray '1.e'"]],
    ['%d', ["JSON parse error, stray '%'"]],
  ];
  it.each(cases)('%j', (input, errors) => {
    const out = stream(input);
    expect(out.filter((m) => !m.ok)).toEqual(errors.map(err));
  });

  it('reports a BOM as one error and then reads the message after it', () => {
    expect(summary(stream('\xef\xbb\xbf{"a":1}'))).toEqual([{ error: "JSON parse error, stray '\ufffd'" }, { value: { a: 1n } }]);
  });

  it('truncates an invalid keyword message like QEMU (1023 bytes)', () => {
    const [m] = stream('a'.repeat(3000) + ' ');
    expect(m).toEqual(err(`JSON parse error, invalid keyword '${'a'.repeat(1023 - 17)}`));
  });

  it('ends a message as soon as a closer has no opener (as qemu-ga 7.2 does)', () => {
    expect(stream('[}')).toEqual([err('JSON parse error, expecting value')]);
    expect(stream('[}]')).toEqual([err('JSON parse error, expecting value'), err('JSON parse error, expecting value')]);
  });
});

describe('0xFF resynchronisation', () => {
  it('drops the partial message and answers the next one', () => {
    const out = stream('{"execute":"guest-sync","arguments":{"id":', '\xff', '{"execute":"guest-sync-delimited"}');
    expect(summary(out)).toEqual([
      { error: "JSON parse error, stray '\ufffd'" },
      { value: { execute: 'guest-sync-delimited' } },
    ]);
  });

  it('gives one error per 0xFF byte and recovers inside a string', () => {
    expect(summary(stream('"abc\xff\xff{"a":1}'))).toEqual([
      { error: "JSON parse error, stray '\"abc\ufffd'" },
      { error: "JSON parse error, stray '\ufffd'" },
      { value: { a: 1n } },
    ]);
  });
});

describe('client side: the 0xFF sentinel', () => {
  it('reports 0xFF as a sentinel, dropping any partial answer, when asked to', () => {
    const events: unknown[] = [];
    const s = new JsonStreamer((m) => events.push(m), { onSentinel: () => events.push('sentinel') });
    s.feed(bytes('{"return": {"partial'));
    s.feed(bytes('\xff{"return": 5}\n'));
    expect(events).toEqual(['sentinel', { ok: true, value: { return: 5n } }]);
  });
});

describe('limits', () => {
  it('accepts nesting 1024 and refuses 1025 with exactly one error, then recovers', () => {
    const ok = '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING);
    const [m] = stream(ok);
    expect(m!.ok).toBe(true);
    const bad = '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1) + '{"a":1}';
    expect(summary(stream(bad))).toEqual([{ error: 'JSON nesting depth limit exceeded' }, { value: { a: 1n } }]);
  });

  /** A message of exactly `total` tokens (total even): [[],1,1,...,1] */
  function tokens(total: number): Buffer {
    const k = (total - 4) / 2;
    const body = Buffer.alloc(2 * k - 1, 0x2c);
    for (let i = 0; i < body.length; i += 2) body[i] = 0x31;
    return Buffer.concat([bytes('[[],'), body, bytes(']')]);
  }

  it('accepts exactly 2^21 tokens; refuses one more with exactly one error, then recovers', () => {
    const [m] = stream(tokens(MAX_TOKEN_COUNT));
    expect(m!.ok && (m!.value as unknown[]).length).toBe((MAX_TOKEN_COUNT - 4) / 2 + 1);
    const over = stream(tokens(MAX_TOKEN_COUNT + 2), '{"b":2}');
    expect(summary(over)).toEqual([{ error: 'JSON token count limit exceeded' }, { value: { b: 2n } }]);
  });

  it('refuses a message of 64 MiB of tokens, skips the over-long string to its end and answers the next message', () => {
    const big = Buffer.alloc(MAX_TOKEN_SIZE + 10, 0x41);
    const out = stream('{"execute":"guest-file-write","arguments":{"buf-b64":"', big, '"}}', '{"execute":"guest-ping"}');
    expect(summary(out)).toEqual([{ error: 'JSON token size limit exceeded' }, { value: { execute: 'guest-ping' } }]);
  });

  it('accepts a top-level string of 64 MiB - 1 bytes (QEMU: size + 1 must not exceed the limit)', () => {
    const body = Buffer.alloc(MAX_TOKEN_SIZE - 3, 0x61);
    const out = stream('"', body, '"', ' ');
    expect(out).toHaveLength(1);
    expect(out[0]!.ok && (out[0]!.value as string).length).toBe(MAX_TOKEN_SIZE - 3);
    const out2 = stream('"', Buffer.alloc(MAX_TOKEN_SIZE - 2, 0x61), '"{"a":1}');
    expect(summary(out2)).toEqual([{ error: 'JSON token size limit exceeded' }, { value: { a: 1n } }]);
  });
});
