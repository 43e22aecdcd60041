import fc from 'fast-check';
import { encodeDouble, encodeJson, encodeLine, encodeString } from '../../runtime/json/encode';
import { parseJson } from '../../runtime/json/parse';
import { qdictBucket, qdictOrder } from '../../runtime/json/qdict-order';
import type { JsonValue } from '../../runtime/json/value';
import { obj } from './helpers';

describe('encodeJson', () => {
  it("writes QEMU's compact form with members in QDict order", () => {
    // qemu-ga 7.2 answers {"execute":"guest-ping","id":1} with exactly this line
    expect(encodeJson(obj({ return: obj({}), id: 1n }) as JsonValue)).toBe('{"return": {}, "id": 1}');
    expect(encodeJson(obj({ id: 1n, return: obj({}) }) as JsonValue)).toBe('{"return": {}, "id": 1}');
    expect(encodeJson([1n, [], 'a', null, true, false] as JsonValue)).toBe('[1, [], "a", null, true, false]');
  });

  it('leaves out members whose value is undefined (absent optionals), as QEMU omits them', () => {
    const v = obj({ a: 1n, b: undefined, c: [undefined] }) as JsonValue;
    expect(encodeJson(v)).toBe(encodeJson(obj({ a: 1n, c: [null] }) as JsonValue));
  });

  it('writes 64-bit integers exactly', () => {
    expect(encodeJson([18446744073709551615n, -9223372036854775808n, 0n])).toBe('[18446744073709551615, -9223372036854775808, 0]');
  });

  it('writes doubles as printf %.17g does', () => {
    const cases: [number, string][] = [
      [1.5, '1.5'], [0.1, '0.10000000000000001'], [-0, '-0'], [1e21, '1e+21'],
      [18446744073709551616, '1.8446744073709552e+19'], [1e16, '10000000000000000'], [1e17, '1e+17'],
      [0.0001, '0.0001'], [0.00001, '1.0000000000000001e-05'], [100, '100'], [-2.5e-300, '-2.5e-300'],
      [5e-324, '4.9406564584124654e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [x, s] of cases) expect(encodeDouble(x)).toBe(s);
  });

  it('never writes inf or nan: non-finite doubles get valid spellings', () => {
    expect(encodeJson([Infinity, -Infinity, NaN])).toBe('[1e999, -1e999, null]');
    expect(parseJson('[1e999, -1e999]')).toEqual([Infinity, -Infinity]);
    expect(JSON.parse('[1e999, -1e999, null]')).toEqual([Infinity, -Infinity, null]);
  });

  it('escapes strings like QEMU: named escapes, \\uXXXX (uppercase) below 0x20 and from 0x7F, pairs beyond the BMP', () => {
    expect(encodeString('a"b\\c/\b\f\n\r\t\x01\x7f\u00e9\u{1f600}')).toBe(
      '"a\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u007F\\u00E9\\uD83D\\uDE00"',
    );
    expect(encodeString("JSON parse error, stray '\ufffd'")).toBe('"JSON parse error, stray \'\\uFFFD\'"');
    expect(encodeString('\ud800x\udc00')).toBe('"\\uFFFDx\\uFFFD"');
    expect(encodeString('\0')).toBe('"\\u0000"');
  });

  it('encodeLine adds the newline and, for delimited responses, the 0xFF prefix', () => {
    expect(encodeLine(obj({ return: 5n }) as JsonValue).toString('latin1')).toBe('{"return": 5}\n');
    expect([...encodeLine(obj({ return: 5n }) as JsonValue, true)].slice(0, 2)).toEqual([0xff, 0x7b]);
    // A line of its own memory, not a slice of Node's buffer pool (runtime/unpooled.ts).
    const line = encodeLine(obj({ return: obj({}) }) as JsonValue);
    expect([line.byteOffset, line.buffer.byteLength]).toEqual([0, line.length]);
  });

  it('encodes a 48 MiB base64 string correctly', () => {
    const b64 = Buffer.alloc(36 * 1024 * 1024, 0xab).toString('base64');
    const line = encodeLine(obj({ return: obj({ count: 3n, 'buf-b64': b64, eof: false }) }) as JsonValue);
    expect(line[line.length - 1]).toBe(0x0a);
    const parsed = parseJson(line) as { return: { 'buf-b64': string } };
    expect(parsed.return['buf-b64']).toBe(b64);
  });
});

describe('qdictOrder', () => {
  it('walks buckets in order and the newest entry first within a bucket', () => {
    expect(qdictBucket('execute')).toBeLessThan(512);
    const keys = ['execute', 'arguments', 'id', 'foo'];
    const order = qdictOrder(keys);
    const buckets = order.map(qdictBucket);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
  });
});

/** Values re-parse to the same value, modulo what JSON cannot distinguish. */
function normalize(v: JsonValue): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v);
    if (Number.isInteger(v) && v > 0 && v < 2 ** 64) return BigInt(v);
    return v;
  }
  if (typeof v === 'string') return v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) o[normalize(k) as string] = normalize(v[k]!);
    return o;
  }
  return v;
}

describe('property: whatever we encode is valid JSON that re-parses to the same value', () => {
  const noncharOk = (s: string): boolean => !/[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/.test(s);
  const str = fc.string({ unit: 'binary' }).filter(noncharOk);
  const { value } = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
      fc.double(),
      str,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(str, tie('value'), { maxKeys: 4 }).map((d) => Object.assign(Object.create(null) as object, d) as JsonValue),
    ),
  }));

  it('re-parses with our parser and with JSON.parse; output is ASCII', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = encodeJson(v);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(() => JSON.parse(text)).not.toThrow();
        expect(normalize(parseJson(text))).toEqual(normalize(v));
      }),
      { numRuns: 500 },
    );
  });
});
