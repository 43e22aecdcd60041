/** Small Python string semantics the front end must reproduce exactly. */
import { isPySpace } from './lexer';

/** str.rstrip() with Python's notion of whitespace. */
export function pyRstrip(s: string): string {
  let end = s.length;
  // Most lines end in a printable ASCII character: nothing to strip.
  const last = s.charCodeAt(end - 1);
  if (last > 0x20 && last < 0x7f) {
    return s;
  }
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) {
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

/** Any character but Python's whitespace (see isPySpace). */
const NOT_PY_SPACE = /[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** Number of leading whitespace characters (re.match(r'\s*', s).end()), found natively. */
export function leadingSpace(s: string): number {
  const i = s.search(NOT_PY_SPACE);
  return i < 0 ? s.length : i;
}

/** str.strip('\n') */
export function stripNewlines(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x0a) {
    start++;
  }
  while (end > start && s.charCodeAt(end - 1) === 0x0a) {
    end--;
  }
  return s.slice(start, end);
}
