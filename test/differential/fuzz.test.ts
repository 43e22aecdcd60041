/**
 * Seeded random byte sequences (fragments of requests, escapes, stray and
 * invalid bytes) sent to qemu-ga and to the runtime's reference agent; the
 * answers must be the same. Every sequence ends with the documented resync
 * (0xFF + guest-sync-delimited), so each one starts from a clean parser.
 */
import type { Case } from './case';
import { expectSameAnswers } from './compare';
import { runCase } from './harness';
import { useQemuAndReference } from './pair';

jest.setTimeout(180000);

const FRAGMENTS = [
  '{', '}', '[', ']', ':', ',', ' ', '\n', '\t', '"', "'", '\\', '\\u', '\\ud83d', '\\ude00', '\\u00e9', '\\n', "\\'",
  '"execute"', "'execute'", '"guest-ping"', '"guest-sync"', '"arguments"', '"id"', '{"id":1}', 'true', 'nul', 'null',
  '0', '-', '1', '12345678901234567890', '1.5', 'e', 'E+', '.', 'x', 'A', '%', '\xff', '\xfe', '\xc3', '\xa9', '\xc0\x80',
  '\xed\xa0\x80', '\x01', '\x00', '\x7f', '\xef\xbb\xbf',
  '{"execute":"guest-ping"}', '{"execute":"guest-sync","arguments":{"id":7}}', '{"execute":"guest-sync-delimited","arguments":{"id":8}}',
];

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzzCases(count: number, seed: number): Case[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const n = 1 + Math.floor(r() * 12);
    let text = '';
    for (let k = 0; k < n; k++) text += FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]!;
    const cut = Math.floor(r() * (text.length + 1));
    return { group: 'json-errors', name: `fuzz #${i}: ${JSON.stringify(text)}`, resync: true, send: [text.slice(0, cut), text.slice(cut)].filter((s) => s) };
  });
}

const CASES = fuzzCases(Number(process.env['QGA_FUZZ_COUNT'] ?? 300), Number(process.env['QGA_FUZZ_SEED'] ?? 20261122));

describe('fuzz: qemu-ga 7.2 vs the runtime on random byte sequences', () => {
  const agents = useQemuAndReference('qga-fuzz-');

  for (const c of CASES) {
    it(c.name, async () => {
      const q = await runCase(agents.qemu, c, agents.work);
      const o = await runCase(agents.reference, c, agents.work);
      expectSameAnswers(c, q, o);
    });
  }
});
