/** runtime/marshal: QEMU's qobject-input-visitor names, checks and messages. */
import { marshal as m, QmpError, parseJson, type JsonValue } from 'qapi-ts/runtime';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QmpError);
    expect((e as QmpError).errorClass).toBe('GenericError');
    return (e as QmpError).message;
  }
  throw new Error('no error');
}

describe('fullName: QEMU full_name()', () => {
  it('builds dotted and bracketed paths', () => {
    const root = m.rootFrame();
    expect(m.fullName(root, 'a')).toBe('a');
    const a = new m.Frame(root, 'a', false);
    const b = new m.Frame(a, 'b', true);
    b.index = 0;
    const elem = new m.Frame(b, null, false);
    expect(m.fullName(elem, 'c')).toBe('a.b[0].c');
    expect(m.fullName(b, null)).toBe('a.b[0]');
    expect(m.fullName(null, null)).toBe('<anonymous>');
    expect(m.fullName(null, 'x')).toBe('x');
    const top = new m.Frame(null, null, true);
    top.index = 3;
    expect(m.fullName(top, null)).toBe('[3]');
  });
});

describe('scalar visits', () => {
  const g = m.rootFrame();
  const v = (text: string): JsonValue => parseJson(text);

  it('int64 takes exact integers only', () => {
    expect(m.int64(v('-9223372036854775808'), g, 'n')).toBe(-9223372036854775808n);
    expect(message(() => m.int64(v('9223372036854775808'), g, 'n'))).toBe("Invalid parameter type for 'n', expected: integer");
    expect(message(() => m.int64(v('1.0'), g, 'n'))).toBe("Invalid parameter type for 'n', expected: integer");
    expect(message(() => m.int64(undefined, g, 'n'))).toBe("Parameter 'n' is missing");
  });

  it('uint64 wraps negative int64 values and refuses everything else with "expects uint64"', () => {
    expect(m.uint64(v('18446744073709551615'), g, 'n')).toBe(18446744073709551615n);
    expect(m.uint64(v('-1'), g, 'n')).toBe(18446744073709551615n);
    expect(message(() => m.uint64(v('18446744073709551616'), g, 'n'))).toBe("Parameter 'n' expects uint64");
    expect(message(() => m.uint64(v('true'), g, 'n'))).toBe("Parameter 'n' expects uint64");
  });

  it('narrow integers use the bare name, and "null" inside lists', () => {
    const outer = new m.Frame(g, 'outer', false);
    expect(message(() => m.intN(v('128'), outer, 'x', -128, 127, 'int8_t'))).toBe("Parameter 'x' expects int8_t");
    expect(message(() => m.intN(v('"a"'), outer, 'x', -128, 127, 'int8_t'))).toBe(
      "Invalid parameter type for 'outer.x', expected: integer",
    );
    expect(message(() => m.list(v('[1, 70000]'), outer, 'l', (x, f, n) => m.uintN(x, f, n, 65535, 'uint16_t')))).toBe(
      "Parameter 'null' expects uint16_t",
    );
    expect(m.list(v('[1, 2]'), outer, 'l', (x, f, n) => m.intN(x, f, n, -8, 8, 'int8_t'))).toEqual([1, 2]);
  });

  it('number takes integers too; strings, booleans, null', () => {
    expect(m.number(v('3'), g, 'n')).toBe(3);
    expect(m.number(v('2.5e3'), g, 'n')).toBe(2500);
    expect(message(() => m.number(v('"3"'), g, 'n'))).toBe("Invalid parameter type for 'n', expected: number");
    expect(message(() => m.str(v('3'), g, 's'))).toBe("Invalid parameter type for 's', expected: string");
    expect(message(() => m.bool(v('"true"'), g, 'b'))).toBe("Invalid parameter type for 'b', expected: boolean");
    expect(message(() => m.nullValue(v('0'), g, 'z'))).toBe("Invalid parameter type for 'z', expected: null");
    expect(m.any(v('{"a": [1]}'), g, 'x')).toEqual(v('{"a": [1]}'));
  });

  it('enums and alternates use the bare name', () => {
    const outer = new m.Frame(g, 'o', false);
    const set = new Set(['a', 'b']);
    expect(m.enumValue(v('"a"'), outer, 'e', set)).toBe('a');
    expect(message(() => m.enumValue(v('"c"'), outer, 'e', set))).toBe("Parameter 'e' does not accept value 'c'");
    expect(message(() => m.enumValue(v('1'), outer, 'e', set))).toBe("Invalid parameter type for 'o.e', expected: string");
    expect(m.alternate(v('1'), outer, 'x')).toBe('qnum');
    expect(m.alternate(v('1.5'), outer, 'x')).toBe('qnum');
    expect(m.alternate(v('[]'), outer, 'x')).toBe('qlist');
    expect(message(() => m.alternate(undefined, outer, 'x'))).toBe("Parameter 'o.x' is missing");
    expect(message(() => m.noBranch('x', 'BlockdevRef'))).toBe("Invalid parameter type for 'x', expected: BlockdevRef");
    expect(message(() => m.noBranch(null, 'Alt'))).toBe("Invalid parameter type for 'null', expected: Alt");
  });

  it('structs: object check, then unexpected members after the visit', () => {
    expect(message(() => m.startStruct(v('[]'), g, 's'))).toBe("Invalid parameter type for 's', expected: object");
    const [o, f] = m.startStruct(v('{"a": 1, "b": 2}'), g, 's');
    expect(() => m.checkStruct(o, f, ['a', 'b'])).not.toThrow();
    expect(message(() => m.checkStruct(o, f, ['a']))).toBe("Parameter 's.b' is unexpected");
    expect(m.member(o, 'toString')).toBeUndefined();
  });

  it('number policy: exact or a clear error', () => {
    expect(m.int64AsNumber(v('9007199254740991'), g, 'n')).toBe(9007199254740991);
    expect(message(() => m.uint64AsNumber(v('9007199254740992'), g, 'n'))).toMatch(
      /^Parameter 'n' is 9007199254740992, beyond the exact range of a JavaScript number/,
    );
    expect(m.encodeSafeInteger(-9007199254740991)).toBe(-9007199254740991n);
    expect(message(() => m.encodeSafeInteger(2 ** 53))).toMatch(/^Integer value 9007199254740992 is beyond the exact range/);
    expect(message(() => m.encodeInteger(1.5))).toBe('Integer value 1.5 is not an integer');
  });
});
