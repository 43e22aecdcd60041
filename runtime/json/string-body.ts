/**
 * Decoding of a string token's body (the bytes between the quotes) with
 * QEMU's escapes and errors (parse_string in qobject/json-parser.c).
 */
import { decodeLossy, decodeStrict, isValidCodepoint } from './utf8';

const BACKSLASH = 0x5c;

function hex4(body: Buffer, at: number): number {
  let cp = 0;
  for (let k = 0; k < 4; k++) {
    const c = at + k < body.length ? body[at + k]! : 0;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    else return -1;
    cp = cp * 16 + d;
  }
  return cp;
}

/** Result: the string, or the parse error text (without the "JSON parse error, " prefix). */
export type BodyResult = { ok: true; value: string } | { ok: false; message: string };

const INVALID_UTF8 = 'invalid UTF-8 sequence in string';

/**
 * `quote` is the closing quote byte: QEMU's message for a bad \u escape
 * quotes up to 6 (or 12) bytes of the token, which can reach the closing
 * quote but never past it.
 */
export function decodeBody(body: Buffer, quote: number): BodyResult {
  let bs = body.indexOf(BACKSLASH);
  if (bs < 0) {
    const s = decodeStrict(body);
    return s === undefined ? { ok: false, message: INVALID_UTF8 } : { ok: true, value: s };
  }
  let out = '';
  let pos = 0;
  while (bs >= 0) {
    if (bs > pos) {
      const s = decodeStrict(body.subarray(pos, bs));
      if (s === undefined) return { ok: false, message: INVALID_UTF8 };
      out += s;
    }
    const e = body[bs + 1]!;
    pos = bs + 2;
    switch (e) {
      case 0x22: out += '"'; break;
      case 0x27: out += "'"; break;
      case 0x5c: out += '\\'; break;
      case 0x2f: out += '/'; break;
      case 0x62: out += '\b'; break;
      case 0x66: out += '\f'; break;
      case 0x6e: out += '\n'; break;
      case 0x72: out += '\r'; break;
      case 0x74: out += '\t'; break;
      case 0x75: {
        let cp = hex4(body, pos);
        pos += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && body[pos] === BACKSLASH && body[pos + 1] === 0x75) {
          const trailing = hex4(body, pos + 2);
          if (trailing >= 0xdc00 && trailing <= 0xdfff) {
            cp = 0x10000 + ((cp & 0x3ff) << 10) + (trailing & 0x3ff);
            pos += 6;
          } else {
            cp = -1;
          }
        }
        if (!isValidCodepoint(cp)) {
          // The token ends with the closing quote; QEMU prints at most up to it.
          const withQuote = Buffer.concat([body, Buffer.of(quote)]);
          const text = decodeLossy(withQuote.subarray(bs, Math.min(pos, withQuote.length)));
          return { ok: false, message: `${text} is not a valid Unicode character` };
        }
        out += String.fromCodePoint(cp);
        break;
      }
      default:
        return { ok: false, message: 'invalid escape sequence in string' };
    }
    bs = body.indexOf(BACKSLASH, pos);
  }
  if (pos < body.length) {
    const s = decodeStrict(body.subarray(pos));
    if (s === undefined) return { ok: false, message: INVALID_UTF8 };
    out += s;
  }
  return { ok: true, value: out };
}
