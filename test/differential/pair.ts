import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { qemuGa, startAgent, type RunningAgent } from './agents';
import { startReferenceAgent, type ReferenceAgent } from './reference-agent';

export interface AgentPair {
  readonly work: string;
  readonly qemu: RunningAgent;
  readonly reference: ReferenceAgent;
}

/**
 * Starts qemu-ga and the in-process reference agent once for the enclosing
 * describe block (work files under a fresh temp dir named PREFIX*), and
 * stops them after it. The getters throw if the agents did not start.
 */
export function useQemuAndReference(prefix: string): AgentPair {
  let work = '';
  let qemu: RunningAgent | undefined;
  let reference: ReferenceAgent | undefined;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    qemu = await startAgent(qemuGa(), work, 'default');
    reference = await startReferenceAgent(path.join(work, 'reference.sock'));
  });

  afterAll(async () => {
    await qemu?.stop();
    await reference?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const started = <T>(agent: T | undefined): T => {
    if (!agent) throw new Error('agents did not start');
    return agent;
  };
  return {
    get work() {
      return work;
    },
    get qemu() {
      return started(qemu);
    },
    get reference() {
      return started(reference);
    },
  };
}
