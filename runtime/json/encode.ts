/**
 * JSON output exactly like QEMU's (qobject/json-writer.c, compact mode):
 * `", "` and `": "` separators, members in QDict order, every character
 * below U+0020 or from U+007F up written as an uppercase \uXXXX escape (so
 * output is pure ASCII), doubles as printf("%.17g").
 *
 * Deliberate difference: QEMU prints a non-finite double as `inf`/`nan`,
 * which is not JSON. We write +Infinity as `1e999` and -Infinity as
 * `-1e999` (valid JSON numbers that every IEEE parser, QEMU's strtod
 * included, reads back as ±Infinity), and NaN as `null`.
 */
import { allocUnpooled } from '../unpooled';
import { qdictOrder } from './qdict-order';
import type { JsonValue } from './value';

/** Strings at least this long become pieces of their own (no copying into the accumulator). */
const BIG = 64 * 1024;

const NEEDS_ESCAPE = /[\x00-\x1f"\\\x7f-\uffff]/;

/**
 * Long strings declared plain by whoever made them (base64 of file data:
 * megabytes per guest-file-read). Scanning such a string for characters to
 * escape is the costliest step of encoding the answer, so a declared string
 * is copied as it is. Each is forgotten once encoded, and only the last few
 * declared are remembered, so nothing large outlives its answer for long.
 */
const declaredPlain: string[] = [];
const DECLARED_PLAIN_MAX = 4;

/**
 * Declare that `s` holds only printable ASCII other than `"` and `\` (base64
 * text does), so that encoding it needs no scan. Returns `s`.
 */
export function plainString(s: string): string {
  if (s.length >= BIG) {
    if (declaredPlain.length === DECLARED_PLAIN_MAX) declaredPlain.shift();
    declaredPlain.push(s);
  }
  return s;
}

/** Whether `s` (long) needs no escaping; a declared string is taken off the list. */
function isPlainLong(s: string): boolean {
  const i = declaredPlain.indexOf(s);
  if (i >= 0) {
    declaredPlain.splice(i, 1);
    return true;
  }
  return !NEEDS_ESCAPE.test(s);
}

function hex4(code: number): string {
  return '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
}

function escapeSlow(s: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c >= 0x20 && c < 0x7f) {
      if (c === 0x22) esc = '\\"';
      else if (c === 0x5c) esc = '\\\\';
      else continue;
    } else if (c === 0x08) esc = '\\b';
    else if (c === 0x0c) esc = '\\f';
    else if (c === 0x0a) esc = '\\n';
    else if (c === 0x0d) esc = '\\r';
    else if (c === 0x09) esc = '\\t';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        esc = hex4(c) + hex4(d);
        out += s.slice(run, i) + esc;
        i++;
        run = i + 1;
        continue;
      }
      esc = '\\uFFFD';
    } else if (c >= 0xdc00 && c <= 0xdfff) esc = '\\uFFFD';
    else esc = hex4(c);
    out += s.slice(run, i) + esc;
    run = i + 1;
  }
  return out + s.slice(run) + '"';
}

/** A JSON string literal as QEMU writes it. */
export function encodeString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? escapeSlow(s) : '"' + s + '"';
}

/** A double as C's printf("%.17g"), with our valid spelling of non-finite values. */
export function encodeDouble(x: number): string {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) return 'null';
    return x > 0 ? '1e999' : '-1e999';
  }
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const m = /^(-?)(\d)\.(\d+)e([+-]\d+)$/.exec(x.toExponential(16));
  if (!m) throw new Error(`cannot format ${x}`);
  const sign = m[1]!;
  const digits = m[2]! + m[3]!;
  const exp = Number(m[4]);
  if (exp < -4 || exp >= 17) {
    const frac = m[3]!.replace(/0+$/, '');
    const e = Math.abs(exp);
    return `${sign}${m[2]}${frac ? '.' + frac : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  let intPart: string;
  let fracPart: string;
  if (exp >= 0) {
    intPart = digits.slice(0, exp + 1);
    fracPart = digits.slice(exp + 1);
  } else {
    intPart = '0';
    fracPart = '0'.repeat(-exp - 1) + digits;
  }
  fracPart = fracPart.replace(/0+$/, '');
  return sign + intPart + (fracPart ? '.' + fracPart : '');
}

/** The members to write, in QDict order (an absent optional member may be present as undefined). */
function memberOrder(v: { readonly [key: string]: JsonValue | undefined }): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(v)) if (v[k] !== undefined) keys.push(k);
  return keys.length < 2 ? keys : qdictOrder(keys);
}

class Writer {
  readonly pieces: string[] = [];
  acc = '';

  put(s: string): void {
    if (s.length >= BIG) {
      if (this.acc) this.pieces.push(this.acc);
      this.pieces.push(s);
      this.acc = '';
    } else {
      this.acc += s;
    }
  }

  value(v: JsonValue | undefined): void {
    switch (typeof v) {
      case 'undefined':
        this.acc += 'null'; // only reachable inside arrays: members that are undefined are left out
        return;
      case 'string':
        if (v.length >= BIG && isPlainLong(v)) {
          this.acc += '"';
          this.put(v);
          this.acc += '"';
        } else {
          this.put(encodeString(v));
        }
        return;
      case 'bigint':
        this.acc += v.toString();
        return;
      case 'number':
        this.acc += encodeDouble(v);
        return;
      case 'boolean':
        this.acc += v ? 'true' : 'false';
        return;
      default:
        break;
    }
    if (v === null) {
      this.acc += 'null';
    } else if (Array.isArray(v)) {
      this.acc += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.acc += ', ';
        this.value(v[i]!);
      }
      this.acc += ']';
    } else {
      this.acc += '{';
      const keys = memberOrder(v);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) this.acc += ', ';
        this.put(encodeString(keys[i]!));
        this.acc += ': ';
        this.value(v[keys[i]!]);
      }
      this.acc += '}';
    }
  }

  finish(): string[] {
    if (this.acc) this.pieces.push(this.acc);
    this.acc = '';
    return this.pieces;
  }
}

/** Compact JSON text of `value`, as QEMU's qobject_to_json() writes it. */
export function encodeJson(value: JsonValue): string {
  const w = new Writer();
  w.value(value);
  return w.finish().join('');
}

/**
 * One response line: the JSON text and `\n`, optionally preceded by the
 * 0xFF sentinel (guest-sync-delimited). Output is ASCII, so each piece is
 * copied once into the result, a buffer from `alloc` (by default one of its
 * own, see unpooled.ts).
 */
export function encodeLine(value: JsonValue, delimited = false, alloc: (size: number) => Buffer = allocUnpooled): Buffer {
  const w = new Writer();
  w.value(value);
  const pieces = w.finish();
  let total = (delimited ? 1 : 0) + 1;
  for (const p of pieces) total += p.length;
  const buf = alloc(total);
  let off = 0;
  if (delimited) buf[off++] = 0xff;
  for (const p of pieces) off += buf.write(p, off, 'latin1');
  buf[off] = 0x0a;
  return buf;
}
