/** Fast byte scans used by the lexer on string bodies. */

function isBad(x: number): boolean {
  return x < 0x20 || x >= 0xfe;
}

/**
 * Some byte of the 32-bit word is below 0x20 or is 0xFE/0xFF. Exact for
 * detection ("has less than" and "has 0xFE+" bit tricks); the caller then
 * finds the byte itself.
 */
function wordMask(x: number): number {
  return ((x - 0x20202020) & ~x) | (((x & 0x7f7f7f7f) + 0x02020202) & x);
}

const HIGH_BITS = -0x7f7f7f80; // 0x80808080 as int32

/** Index of the first byte in [start, end) that may not appear raw in a string (< 0x20, 0xFE, 0xFF), or -1. */
export function findBadStringByte(b: Uint8Array, start: number, end: number): number {
  let i = start;
  if (end - start >= 64) {
    const base = b.byteOffset;
    while (((base + i) & 3) !== 0) {
      if (isBad(b[i]!)) return i;
      i++;
    }
    const words = (end - i) >>> 2;
    const a = new Int32Array(b.buffer, base + i, words);
    let w = 0;
    for (; w + 4 <= words; w += 4) {
      if ((wordMask(a[w]!) | wordMask(a[w + 1]!) | wordMask(a[w + 2]!) | wordMask(a[w + 3]!)) & HIGH_BITS) break;
    }
    for (; w < words; w++) {
      if (wordMask(a[w]!) & HIGH_BITS) {
        const j = i + w * 4;
        for (let k = j; k < j + 4; k++) if (isBad(b[k]!)) return k;
      }
    }
    i += words * 4;
  }
  for (; i < end; i++) if (isBad(b[i]!)) return i;
  return -1;
}
