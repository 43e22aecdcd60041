/**
 * A fast path for the parser: a top-level expression written the way
 * schemas are (no comment, escape, double quote, tab or non-ASCII
 * character inside it, ending before the next blank line, comment line or
 * line starting with '{') is read by V8's native JSON parser, its single
 * quotes made double.
 * Anything else (and anything the native parser rejects) returns null and
 * is read token by token by the parser, which alone reports errors.
 *
 * Why: in unoptimised code every token costs a few hundred instructions of
 * property accesses and calls; the native parser does the same work for a
 * fraction of that (3% of a QMP run's instructions, counted with callgrind).
 *
 * Why the result is exactly the parser's: the text holds only printable
 * ASCII other than '"' and '\', so making the single quotes double turns every
 * QAPI string into a JSON string with the same characters and changes
 * nothing else; what JSON accepts beyond QAPI (numbers, null) is refused in
 * the walk that turns objects into Maps, as are keys that JSON objects
 * would reorder (array indexes) and nesting deeper than MAX_NESTING. JSON
 * keeps only the last of duplicate keys, where QAPI reports an error: every
 * key is followed by a colon and a colon can appear elsewhere only inside a
 * string, so the text has as many colons as the objects have keys exactly
 * when no key was dropped and no string holds a colon; otherwise, null.
 */
import type { QObject, QValue } from './parser';

/** Characters a fast-path expression may hold: printable ASCII except '"' and '\', and newlines. */
const PLAIN = /^[\n -!#-[\]-~]*$/;

/** Where the expression starting at a '{' ends at the latest: the next blank line, comment line or '{' line. */
const NEXT_ITEM = /\n(?:\n|#|\{)/g;

/**
 * The single-quoted strings, made double-quoted a pair at a time. Why not
 * each quote alone (/'/g): V8 builds that replacement by concatenation,
 * which JSON.parse must then flatten, while a replacement with '$1' is
 * built flat in one go (on QEMU's QMP schema: 1.2 MB less memory touched,
 * about as many instructions). The same text comes out whenever the quotes
 * pair up; when they don't, one stays single and JSON.parse rejects the text.
 */
const QUOTED = /'([^']*)'/g;

export interface JsonExpr {
  readonly value: QObject;
  /** Where the expression's text ends: the newline before the next item, or the file's final newline. */
  readonly end: number;
}

/**
 * The expression whose '{' is at `start` in `src`, or null when the parser
 * must read it. `maxNesting`: the parser's limit on nested '{' and '['.
 */
export function readJsonExpr(src: string, start: number, maxNesting: number): JsonExpr | null {
  NEXT_ITEM.lastIndex = start;
  const next = NEXT_ITEM.exec(src);
  // The last expression of a file ends at its final newline.
  const end = next === null ? src.length - 1 : next.index;
  const text = src.slice(start, end);
  if (!PLAIN.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(QUOTED, '"$1"'));
  } catch {
    return null;
  }
  const walk: Walk = { keys: 0, maxNesting };
  const value = toQValue(parsed, 1, walk);
  if (value === null || !(value instanceof Map) || walk.keys !== countColons(text)) return null;
  return { value, end };
}

function countColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}

interface Walk {
  /** Keys of the objects converted so far. */
  keys: number;
  readonly maxNesting: number;
}

/**
 * The parser's value for a JSON value (arrays are reused, objects become
 * Maps), or null when the parser might read the text differently.
 */
function toQValue(v: unknown, depth: number, walk: Walk): QValue | null {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v !== 'object' || v === null || depth > walk.maxNesting) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item === 'string') continue;
      const converted = toQValue(item, depth + 1, walk);
      if (converted === null) return null;
      v[i] = converted;
    }
    return v as QValue[];
  }
  const out: QObject = new Map();
  // for...in: no key array per object (JSON.parse's objects inherit no enumerable keys).
  for (const key in v) {
    const first = key.charCodeAt(0);
    // Array-index keys come first in a JSON object, whatever their place in the text.
    if (first >= 0x30 && first <= 0x39) return null;
    const item = toQValue((v as Record<string, unknown>)[key], depth + 1, walk);
    if (item === null) return null;
    out.set(key, item);
  }
  walk.keys += out.size;
  return out;
}
