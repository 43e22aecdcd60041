/** Node's and V8's helper threads at nice 19; the main thread and threads made later keep their priority. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKGROUND_NICE, lowerBackgroundThreads } from '../../agent/sys/background-threads';
import { tempDir } from './helpers/agent-fixture';
import { ensureBuilt, exited, REPO, spawnQga, waitForSocket } from './helpers/spawn-agent';

/** Nice value of each thread of `pid`, by thread id (field 19 of /proc/PID/task/TID/stat). */
function threadNice(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[19 - 3]));
  }
  return out;
}

beforeAll(() => ensureBuilt(), 120000);

/** The priority a child process starts with: this process's own (normally 0). */
const inherited = os.getPriority();

test('threads present at the call are lowered; the main thread and threads made later are not', () => {
  // A fresh process: the call has to come before the process starts threads of its own.
  const script = `
    const fs = require('node:fs');
    const { Worker } = require('node:worker_threads');
    const { lowerBackgroundThreads } = require(${JSON.stringify(path.join(REPO, 'dist', 'agent', 'sys', 'background-threads.js'))});
    const niceOf = (tid) => {
      const stat = fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
    };
    const tids = () => fs.readdirSync('/proc/self/task').map(Number);
    const before = tids();
    const lowered = lowerBackgroundThreads();
    // The worker stays alive until this process exits, so its thread is still listed when read.
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage("up"); setInterval(() => {}, 1000)', { eval: true });
    worker.once('message', () => {
      const nice = Object.fromEntries(tids().map((t) => [t, niceOf(t)]));
      process.stdout.write(JSON.stringify({ main: process.pid, before, lowered, nice }));
      process.exit(0);
    });`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
  expect({ status: child.status, stderr: child.stderr }).toMatchObject({ status: 0 });
  const r = JSON.parse(child.stdout) as { main: number; before: number[]; lowered: number[]; nice: Record<string, number> };
  const helpers = r.before.filter((t) => t !== r.main);
  expect(helpers.length).toBeGreaterThan(0);
  expect([...r.lowered].sort()).toEqual([...helpers].sort());
  expect(r.nice[r.main]).toBe(inherited);
  for (const t of helpers) expect(r.nice[t]).toBe(BACKGROUND_NICE);
  // The worker's thread (and any other made after the call) kept the main thread's priority.
  const later = Object.keys(r.nice).map(Number).filter((t) => !r.before.includes(t));
  expect(later.length).toBeGreaterThan(0);
  for (const t of later) expect(r.nice[t]).toBe(inherited);
});

test("bin/qga serves with its main thread at its inherited priority and V8's worker threads at nice 19", async () => {
  const dir = tempDir('qga-threads-');
  const sock = path.join(dir, 'qga.sock');
  fs.mkdirSync(path.join(dir, 'state'));
  const agent = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', path.join(dir, 'state')]);
  try {
    await waitForSocket(sock);
    const nice = threadNice(agent.pid!);
    expect(nice.get(agent.pid!)).toBe(inherited);
    // Node starts V8's worker pool (4 threads by default) before any script
    // runs; threads the agent makes later (libuv's pool) may keep its priority.
    const lowered = [...nice].filter(([, value]) => value === BACKGROUND_NICE);
    expect(lowered.length).toBeGreaterThanOrEqual(4);
  } finally {
    agent.kill('SIGTERM');
    await exited(agent);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without a task directory nothing is lowered', () => {
  expect(lowerBackgroundThreads('/nonexistent/task')).toEqual([]);
});
