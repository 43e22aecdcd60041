/**
 * The runtime's own helper threads at the lowest CPU priority.
 *
 * Why: when Node starts, the process already has V8's worker threads
 * (optimizing compiler, parallel and concurrent GC) and two housekeeping
 * threads. Right after the agent starts serving, TurboFan compiles the
 * request path on all four worker threads at once: 100-140 ms of CPU
 * during the first 1,200 pings (per-thread schedstat, on 2 vCPUs), while
 * the main thread spends 50-80 ms answering them. At normal priority
 * that work competes with the requests and with the guest's own
 * applications; at nice 19 the scheduler runs it only when nothing else
 * wants the CPU. Requests are always answered by the main thread, which
 * keeps its priority.
 *
 * Threads made later (libuv's file I/O pool, the virtio-serial reader
 * worker) are created by the main thread and inherit its priority, so this
 * must run first thing in the process, before anything starts a thread of
 * its own.
 *
 * Linux only (Linux's setpriority() takes a thread id); elsewhere, or
 * without /proc, nothing changes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Nice value given to the helper threads: the lowest priority. */
export const BACKGROUND_NICE = 19;

/**
 * Lower every thread of this process except the main one to BACKGROUND_NICE.
 * Returns the ids of the threads lowered. Never throws: a thread that ended
 * meanwhile, or a system without per-thread priorities, is skipped.
 */
export function lowerBackgroundThreads(taskDir = '/proc/self/task'): number[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(taskDir);
  } catch {
    return [];
  }
  const lowered: number[] = [];
  for (const name of tids) {
    const tid = Number(name);
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      os.setPriority(tid, BACKGROUND_NICE);
      lowered.push(tid);
    } catch {
      // Gone already, or not ours to change: leave it.
    }
  }
  return lowered;
}
