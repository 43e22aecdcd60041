/** Comparing one case's answers from qemu-ga and from ours, intended differences applied. */
import type { JsonValue } from '../../runtime/json/value';
import type { Case } from './case';
import type { Line, Outcome } from './harness';
import { defectFor, expectedOurs, normalizeOurs, rewriteQemu } from './intended-differences';

const SENTINEL_MIN = 8_000_000_000n;

function errorDesc(line: Line | undefined): string | undefined {
  const v = line?.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const e = v['error'];
  return typeof e === 'object' && e !== null && !Array.isArray(e) ? String(e['desc']) : undefined;
}

function isSentinel(line: Line | undefined): boolean {
  const v = line?.value;
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v['return'] === 'bigint' && v['return'] >= SENTINEL_MIN;
}

/** Drop the closing sentinel (and, after a resync, the error its 0xFF caused). */
export function withoutSentinel(lines: readonly Line[], c: Case): Line[] {
  const out = lines.slice();
  if (isSentinel(out[out.length - 1])) out.pop();
  if (c.resync && errorDesc(out[out.length - 1])?.startsWith('JSON parse error, stray')) out.pop();
  return out;
}

export const view = (l: Line): { delimited: boolean; value: JsonValue | string } => ({
  delimited: l.delimited,
  value: l.value === undefined ? `<not JSON> ${l.raw.slice(0, 200)}` : l.value,
});

/** Jest assertions for one case. */
export function expectSameAnswers(c: Case, q: Outcome, o: Outcome): void {
  expect({ agent: 'qemu-ga', timedOut: q.timedOut, alive: q.agentAlive }).toEqual({ agent: 'qemu-ga', timedOut: false, alive: true });
  expect({ agent: 'ours', timedOut: o.timedOut, alive: o.agentAlive }).toEqual({ agent: 'ours', timedOut: false, alive: true });
  const qLines = withoutSentinel(q.lines, c).map((l) => rewriteQemu(l, c.name));
  const oLines = withoutSentinel(o.lines, c).map((l) => normalizeOurs(l, c.name));
  const defect = defectFor(c.name);
  if (defect) {
    expect({ defect: defect.id, qemuShowsIt: defect.qemuShows(qLines) }).toEqual({ defect: defect.id, qemuShowsIt: true });
    expect(oLines.map(view)).toEqual(expectedOurs(defect, c.name, qLines).map((value) => ({ delimited: false, value })));
  } else {
    expect(oLines.map(view)).toEqual(qLines.map(view));
  }
}
