import fc from 'fast-check';
import { findBadStringByte } from '../../runtime/json/scan';

function naive(b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (b[i]! < 0x20 || b[i]! >= 0xfe) return i;
  return -1;
}

describe('findBadStringByte', () => {
  it('finds exactly the first byte below 0x20 or 0xFE/0xFF, at any alignment', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
        fc.nat(8),
        fc.nat(8),
        (bytes, pre, post) => {
          // bias towards printable bytes so runs are long
          const b = Buffer.from(bytes.map((x) => (x % 7 === 0 ? x : 0x20 + (x % 0x5e))));
          const start = Math.min(pre, b.length);
          const end = Math.max(start, b.length - post);
          expect(findBadStringByte(b, start, end)).toBe(naive(b, start, end));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('checks every byte value in every lane of a long run', () => {
    const b = Buffer.alloc(200, 0x41);
    for (let v = 0; v < 256; v++) {
      for (let pos = 60; pos < 72; pos++) {
        b.fill(0x41);
        b[pos] = v;
        expect(findBadStringByte(b, 1, 199)).toBe(v < 0x20 || v >= 0xfe ? pos : -1);
      }
    }
  });
});
