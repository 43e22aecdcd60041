/**
 * The protocol part of the battery against this repository's runtime alone:
 * qemu-ga vs an in-process reference agent (reference-agent.ts) built from
 * runtime/ with guest-sync, guest-sync-delimited and guest-ping. Runs
 * without bin/qga; the full battery (differential.test.ts) runs the same
 * cases and more against bin/qga.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cases } from './cases';
import { expectSameAnswers } from './compare';
import { runCase } from './harness';
import { useQemuAndReference } from './pair';

jest.setTimeout(180000);

/** Cases whose commands the reference serves. */
const PROTOCOL_GROUPS = new Set(['framing', 'json-errors', 'dispatch', 'ids', 'resync', 'limits', 'pipelining', 'split']);
const PROTOCOL_CASES = cases.filter(
  (c) =>
    (c.profile ?? 'default') === 'default' &&
    (PROTOCOL_GROUPS.has(c.group) ||
      (['arguments', 'commands'].includes(c.group) && /"execute":"guest-(sync|ping)"/.test(String(c.send[0])))),
);

describe('protocol battery: qemu-ga 7.2 vs the runtime (reference agent)', () => {
  const agents = useQemuAndReference('qga-proto-');

  it('covers most of the battery', () => {
    expect(PROTOCOL_CASES.length).toBeGreaterThanOrEqual(90);
  });

  for (const c of PROTOCOL_CASES) {
    it(`${c.group}: ${c.name}`, async () => {
      const dir = fs.mkdtempSync(path.join(agents.work, 'case-'));
      const q = await runCase(agents.qemu, c, dir);
      const o = await runCase(agents.reference, c, dir);
      expectSameAnswers(c, q, o);
    });
  }
});
