/** Number literals as QEMU's parser reads them (parse_literal in qobject/json-parser.c). */

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * An integer literal: `bigint` when it fits int64 or uint64 (exact), else a
 * double, as QEMU falls back to strtod.
 */
export function integerValue(text: string): bigint | number {
  if (text.length < 16) return BigInt(text);
  // No leading zeros in JSON: more than 20 digits is past uint64, and a
  // megabyte of digits must not go through BigInt parsing.
  if (text.length > (text.startsWith('-') ? 21 : 20)) return Number(text);
  const v = BigInt(text);
  return v >= INT64_MIN && v <= UINT64_MAX ? v : Number(text);
}

/** A literal with a fraction or exponent: always a double (1E400 is Infinity). */
export function floatValue(text: string): number {
  return Number(text);
}
