/**
 * Modified UTF-8 as QEMU reads it (util/unicode.c semantics): UTF-8 where
 * U+0000 may be written C0 80, and where noncharacters, surrogates, overlong
 * forms and code points past U+10FFFF are invalid.
 */
import { isAscii, isUtf8 } from 'node:buffer';

const MIN_CP = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];

/** True for Unicode's 66 noncharacters. */
export function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

/** True when QEMU accepts `cp` as a character (mod_utf8_encode succeeds). */
export function isValidCodepoint(cp: number): boolean {
  return cp >= 0 && cp <= 0x10ffff && !isNoncharacter(cp) && !(cp >= 0xd800 && cp <= 0xdfff);
}

/**
 * Decode one sequence at `bytes[pos]`, at most `limit` bytes (end of input).
 * Returns the code point (-1 when invalid) and the position after it, moving
 * exactly as QEMU does so invalid input is replaced the same way.
 */
export function decodeSequence(bytes: Uint8Array, pos: number, limit: number): { cp: number; end: number } {
  if (pos >= limit || bytes[pos] === 0) return { cp: -1, end: pos };
  let p = pos;
  let byte = bytes[p++]!;
  if (byte < 0x80) return { cp: byte, end: p };
  if (byte >= 0xfe || (byte & 0x40) === 0) return { cp: -1, end: p };
  let len = 0;
  let mask = 0x80;
  for (; byte & mask; mask >>= 1) len++;
  let cp = byte & (mask - 1);
  for (let i = 1; i < len; i++) {
    byte = p < limit ? bytes[p]! : 0;
    if ((byte & 0xc0) !== 0x80) return { cp: -1, end: p };
    p++;
    cp = cp * 64 + (byte & 0x3f);
  }
  if (cp > 0x10ffff || isNoncharacter(cp) || (cp >= 0xd800 && cp <= 0xdfff)) cp = -1;
  else if (cp < MIN_CP[len - 2]! && !(cp === 0 && len === 2)) cp = -1;
  return { cp, end: p };
}

/** Append code point `cp` to `out` as UTF-16. */
function pushCodepoint(out: number[], cp: number): void {
  if (cp > 0xffff) {
    out.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
  } else {
    out.push(cp);
  }
}

/** Collects UTF-16 code units, turning them into string pieces as it goes (bounded memory). */
class Utf16Builder {
  private codes: number[] = [];
  private out = '';

  push(cp: number): void {
    pushCodepoint(this.codes, cp);
    if (this.codes.length >= 8192) this.flush();
  }

  private flush(): void {
    this.out += String.fromCharCode(...this.codes);
    this.codes = [];
  }

  toString(): string {
    this.flush();
    return this.out;
  }
}

// Noncharacters as UTF-16: U+FDD0..U+FDEF, U+FFFE, U+FFFF and U+nFFFE/U+nFFFF in planes 1..16.
const NONCHARACTER_RE =
  /[\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/;
const NONCHARACTERS = new RegExp(NONCHARACTER_RE.source, 'g');

/**
 * Decode bytes the way QEMU's JSON writer reads a C string: stop at the
 * first NUL byte, replace each invalid sequence by U+FFFD. Used for error
 * texts that quote raw input.
 */
export function decodeLossy(bytes: Uint8Array): string {
  let limit = bytes.indexOf(0);
  if (limit < 0) limit = bytes.length;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, limit);
  if (isAscii(view)) return view.toString('latin1', 0, limit);
  if (isUtf8(view)) return view.toString('utf8').replace(NONCHARACTERS, '\uFFFD');
  const out = new Utf16Builder();
  let pos = 0;
  while (pos < limit) {
    const { cp, end } = decodeSequence(bytes, pos, limit);
    out.push(cp < 0 ? 0xfffd : cp);
    pos = end > pos ? end : pos + 1;
  }
  return out.toString();
}


/**
 * Decode a run of string-body bytes strictly (no escapes inside). Returns
 * undefined when QEMU would say "invalid UTF-8 sequence in string".
 */
export function decodeStrict(run: Buffer): string | undefined {
  if (isAscii(run)) return run.toString("latin1");
  if (isUtf8(run)) {
    const s = run.toString("utf8");
    return NONCHARACTER_RE.test(s) ? undefined : s;
  }
  // Not plain UTF-8: maybe modified UTF-8 (C0 80), else invalid.
  const out = new Utf16Builder();
  let pos = 0;
  while (pos < run.length) {
    const { cp, end } = decodeSequence(run, pos, run.length);
    if (cp < 0) return undefined;
    out.push(cp);
    pos = end;
  }
  return out.toString();
}
