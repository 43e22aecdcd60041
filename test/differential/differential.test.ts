/**
 * The differential battery: each case's bytes go to the real qemu-ga and to
 * ours (bin/qga) over unix sockets; the answers are compared line by line
 * after the intended differences (intended-differences.ts) are applied.
 * Fails loudly when qemu-ga or our agent is missing: it never passes by
 * skipping.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ours, qemuGa, startAgent, type Profile, type RunningAgent } from './agents';
import { cases } from './cases';
import { expectSameAnswers } from './compare';
import { runCase } from './harness';

jest.setTimeout(180000);

describe('differential battery: qemu-ga 7.2 vs ours', () => {
  let work = '';
  const agents = new Map<Profile, { qemu: RunningAgent; ours: RunningAgent }>();

  beforeAll(async () => {
    const qemuSpec = qemuGa();
    const ourSpec = ours();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-diff-'));
    const profiles = new Set<Profile>(cases.map((c) => c.profile ?? 'default'));
    for (const p of profiles) {
      const qemu = await startAgent(qemuSpec, work, p);
      const our = await startAgent(ourSpec, work, p);
      agents.set(p, { qemu, ours: our });
    }
  });

  afterAll(async () => {
    for (const a of agents.values()) {
      await a.qemu.stop();
      await a.ours.stop();
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('is a battery of at least 80 cases over every group, with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    const groups = new Set(cases.map((c) => c.group));
    for (const g of ['framing', 'json-errors', 'dispatch', 'arguments', 'ids', 'resync', 'limits', 'pipelining', 'split', 'commands', 'files']) {
      expect(groups).toContain(g);
    }
  });

  for (const c of cases) {
    it(`${c.group}: ${c.name}`, async () => {
      const pair = agents.get(c.profile ?? 'default');
      if (!pair) throw new Error('agents did not start');
      const dir = fs.mkdtempSync(path.join(work, 'case-'));
      const q = await runCase(pair.qemu, c, dir);
      const o = await runCase(pair.ours, c, dir);
      expectSameAnswers(c, q, o);
    });
  }
});
