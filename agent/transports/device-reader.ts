/**
 * A blocking read loop on a worker thread, for ports Node cannot poll (a
 * virtio-serial character device, a tty). The worker posts chunks, and one
 * `eof` notice each time reads start returning 0 (virtio: no host attached);
 * while they do it sleeps `eofSleepMs` between reads on the same descriptor
 * (never reopening it). The main thread can pause it (back-pressure) and stop
 * it through a shared flag array; a paused worker sleeps in Atomics.wait.
 *
 * The worker's source is a string so it runs the same from ts-jest and dist/.
 */
import { Worker } from 'node:worker_threads';

const PAUSED = 0;
const STOP = 1;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { fd, control, eofSleepMs, zeroIsEof, chunkSize } = workerData;
const flags = new Int32Array(control);
const buf = Buffer.allocUnsafe(chunkSize);
let quiet = false;
for (;;) {
  while (Atomics.load(flags, ${PAUSED}) === 1 && Atomics.load(flags, ${STOP}) === 0) {
    Atomics.wait(flags, ${PAUSED}, 1, 1000);
  }
  if (Atomics.load(flags, ${STOP}) !== 0) break;
  let n;
  const started = Date.now();
  try {
    n = fs.readSync(fd, buf, 0, chunkSize, null);
  } catch (e) {
    if (e.code === 'EAGAIN' || e.code === 'EINTR' || e.code === 'EIO') {
      // EIO: a tty whose other side hung up. Wait, as for "no host".
      Atomics.wait(flags, ${STOP}, 0, eofSleepMs);
      continue;
    }
    parentPort.postMessage({ type: 'error', message: e.message });
    break;
  }
  if (n === 0) {
    if (zeroIsEof && !quiet) {
      quiet = true;
      parentPort.postMessage({ type: 'eof' });
    }
    // virtio: no host attached. tty (VMIN 0, VTIME 1): the read already waited,
    // unless it returned at once (a hung-up line), in which case wait here.
    if (zeroIsEof || Date.now() - started < 20) Atomics.wait(flags, ${STOP}, 0, eofSleepMs);
    continue;
  }
  quiet = false;
  const out = new Uint8Array(n);
  out.set(buf.subarray(0, n));
  parentPort.postMessage({ type: 'data', data: out }, [out.buffer]);
}
parentPort.postMessage({ type: 'stopped' });
`;

export interface DeviceReaderOptions {
  fd: number;
  /** virtio-serial: a 0-byte read means no host; sleep, then read again. */
  zeroIsEof: boolean;
  eofSleepMs?: number;
  chunkSize?: number;
  onData(chunk: Uint8Array): void;
  onEof(): void;
  onError(message: string): void;
}

export class DeviceReader {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private stopped = false;
  private readonly exited: Promise<void>;

  constructor(options: DeviceReaderOptions) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        fd: options.fd,
        control: this.control.buffer,
        eofSleepMs: options.eofSleepMs ?? 100,
        zeroIsEof: options.zeroIsEof,
        chunkSize: options.chunkSize ?? 64 * 1024,
      },
      // A small heap: the worker only copies bytes.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.worker.on('message', (m: { type: string; data?: Uint8Array; message?: string }) => {
      if (m.type === 'data' && m.data) options.onData(m.data);
      else if (m.type === 'eof') options.onEof();
      else if (m.type === 'error') options.onError(m.message ?? 'read error');
    });
    this.worker.on('error', (e) => options.onError(e.message));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // The worker (referenced) is what keeps an agent on a port alive.
  }

  pause(): void {
    Atomics.store(this.control, PAUSED, 1);
  }

  resume(): void {
    Atomics.store(this.control, PAUSED, 0);
    Atomics.notify(this.control, PAUSED);
  }

  /**
   * Ask the worker to stop. Resolves true once it has, false if it is still
   * inside a blocking read after `timeoutMs` (a virtio port with a silent host).
   */
  async stop(timeoutMs = 300): Promise<boolean> {
    if (!this.stopped) {
      this.stopped = true;
      Atomics.store(this.control, STOP, 1);
      Atomics.notify(this.control, STOP);
      Atomics.notify(this.control, PAUSED);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }
}
