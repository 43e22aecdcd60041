/**
 * Starting the two agents under test: the real qemu-ga and ours (bin/qga),
 * both with qemu-ga's command line, on unix sockets, with the same block list.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { qemuGa as qemuGaPath } from '../helpers/oracles';
import { REPO_ROOT } from '../helpers/shared';

/** Every command that changes the machine. */
export const BLOCKED = [
  'guest-set-time',
  'guest-shutdown',
  'guest-fsfreeze-freeze',
  'guest-fsfreeze-freeze-list',
  'guest-fsfreeze-thaw',
  'guest-fstrim',
  'guest-suspend-disk',
  'guest-suspend-ram',
  'guest-suspend-hybrid',
  'guest-set-vcpus',
  'guest-set-user-password',
  'guest-set-memory-blocks',
  'guest-exec',
  'guest-ssh-add-authorized-keys',
  'guest-ssh-remove-authorized-keys',
];

/**
 * The "exec" profile leaves guest-exec enabled so nested argument paths
 * (arg[0], env[1]) can be compared; its cases only ever name a program that
 * does not exist, so nothing can run even if arguments were accepted.
 */
export type Profile = 'default' | 'exec';

export function blockList(profile: Profile): string[] {
  return profile === 'exec' ? BLOCKED.filter((c) => c !== 'guest-exec') : BLOCKED;
}

export interface AgentSpec {
  readonly label: 'qemu-ga' | 'ours';
  readonly command: string;
  readonly prefixArgs: readonly string[];
}

/** The real agent; throws (failing the suite) when it is not installed. */
export function qemuGa(): AgentSpec {
  return { label: 'qemu-ga', command: qemuGaPath(), prefixArgs: [] };
}

/** Our agent: bin/qga (QGA_TS_AGENT overrides); throws when it does not exist yet. */
export function ours(): AgentSpec {
  const bin = process.env['QGA_TS_AGENT'] ?? path.join(REPO_ROOT, 'bin', 'qga');
  if (!fs.existsSync(bin)) {
    throw new Error(`our agent ${bin} does not exist (yet): the differential battery cannot run without it.`);
  }
  return { label: 'ours', command: bin, prefixArgs: [] };
}

export class RunningAgent {
  private stderr = '';
  private exited: number | null | undefined;

  constructor(
    readonly spec: AgentSpec,
    readonly socket: string,
    readonly stateDir: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      if (this.stderr.length > 65536) this.stderr = this.stderr.slice(-32768);
    });
    child.on('exit', (code, signal) => {
      this.exited = code ?? (signal ? -1 : null);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** CPU time used so far (user + system), in milliseconds, from /proc. */
  cpuMs(): number {
    const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  get log(): string {
    return this.stderr;
  }

  /** Resolves once the process has exited, or after `ms` if it has not. */
  waitExit(ms: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.child.off('exit', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.child.once('exit', done);
    });
  }

  async stop(): Promise<void> {
    if (!this.alive || this.child.pid === undefined) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await done;
    clearTimeout(timer);
  }
}

/** Start an agent on a fresh socket and state directory; resolves once it accepts connections. */
export async function startAgent(spec: AgentSpec, workDir: string, profile: Profile): Promise<RunningAgent> {
  const dir = fs.mkdtempSync(path.join(workDir, `${spec.label}-${profile}-`));
  const socket = path.join(dir, 'qga.sock');
  const stateDir = path.join(dir, 'state');
  fs.mkdirSync(stateDir);
  const args = [...spec.prefixArgs, '-m', 'unix-listen', '-p', socket, '-t', stateDir, '-b', blockList(profile).join(',')];
  const child = spawn(spec.command, args, {
    env: { ...process.env, QGA_CONF: path.join(dir, 'no-such-qemu-ga.conf') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const agent = new RunningAgent(spec, socket, stateDir, child);
  const deadline = Date.now() + 15000;
  for (;;) {
    if (!agent.alive) throw new Error(`${spec.label} exited at start: ${agent.log}`);
    if (await canConnect(socket)) return agent;
    if (Date.now() > deadline) {
      await agent.stop();
      throw new Error(`${spec.label} did not listen on ${socket}: ${agent.log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canConnect(socket: string): Promise<boolean> {
  if (!fs.existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const c = net.createConnection(socket);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}
