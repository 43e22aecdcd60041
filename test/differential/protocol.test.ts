/**
 * The protocol part of the battery against this repository's runtime alone:
 * qemu-ga vs an in-process reference agent (reference-agent.ts) built from
 * runtime/ with guest-sync, guest-sync-delimited and guest-ping. Runs
 * without bin/qga; the full battery (differential.test.ts) runs the same
 * cases and more against bin/qga.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { qemuGa, startAgent, type RunningAgent } from './agents';
import { cases } from './cases';
import { expectSameAnswers } from './compare';
import { runCase } from './harness';
import { startReferenceAgent, type ReferenceAgent } from './reference-agent';

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
  let work = '';
  let qemu: RunningAgent | undefined;
  let reference: ReferenceAgent | undefined;

  beforeAll(async () => {
    const spec = qemuGa();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-proto-'));
    qemu = await startAgent(spec, work, 'default');
    reference = await startReferenceAgent(path.join(work, 'reference.sock'));
  });

  afterAll(async () => {
    await qemu?.stop();
    await reference?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('covers most of the battery', () => {
    expect(PROTOCOL_CASES.length).toBeGreaterThanOrEqual(90);
  });

  for (const c of PROTOCOL_CASES) {
    it(`${c.group}: ${c.name}`, async () => {
      if (!qemu || !reference) throw new Error('agents did not start');
      const dir = fs.mkdtempSync(path.join(work, 'case-'));
      const q = await runCase(qemu, c, dir);
      const o = await runCase(reference, c, dir);
      expectSameAnswers(c, q, o);
    });
  }
});
