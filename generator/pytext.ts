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

/** Number of leading whitespace characters (re.match(r'\s*', s).end()). */
export function leadingSpace(s: string): number {
  let i = 0;
  // Plain spaces first: doc text indentation, without a call per character.
  while (s.charCodeAt(i) === 0x20) {
    i++;
  }
  while (i < s.length && isPySpace(s.charCodeAt(i))) {
    i++;
  }
  return i;
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
