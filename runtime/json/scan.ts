/** Fast byte scans used by the lexer on string bodies. */

/** Index of the first byte in [start, end) that may not appear raw in a string (< 0x20, 0xFE, 0xFF), or -1. */
export function findBadStringByte(b: Uint8Array, start: number, end: number): number {
  let i = start;
  if (end - start >= 64) {
    const base = b.byteOffset;
    while (i < end && ((base + i) & 3) !== 0) {
      const x = b[i]!;
      if (x < 0x20 || x >= 0xfe) return i;
      i++;
    }
    const words = (end - i) >>> 2;
    const u32 = new Uint32Array(b.buffer, base + i, words);
    for (let w = 0; w < words; w++) {
      const x = u32[w]!;
      // Some byte below 0x20, or some byte 0xFE/0xFF: exact for detection; located below.
      if ((((x - 0x20202020) & ~x) | (((x & 0x7f7f7f7f) + 0x02020202) & x)) & 0x80808080) {
        const j = i + w * 4;
        for (let k = j; k < j + 4; k++) {
          const y = b[k]!;
          if (y < 0x20 || y >= 0xfe) return k;
        }
      }
    }
    i += words * 4;
  }
  for (; i < end; i++) {
    const x = b[i]!;
    if (x < 0x20 || x >= 0xfe) return i;
  }
  return -1;
}
