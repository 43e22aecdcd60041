/**
 * virtio-serial and isa-serial: one long-lived port, one peer.
 *
 * Reading happens on a worker thread (DeviceReader) with blocking reads.
 * virtio-serial: a 0-byte read means no host is attached; the peer's parser is
 * reset once and the worker polls again every ~100 ms on the same descriptor
 * (reopening loses data sent right after a reconnect). isa-serial: the tty is
 * put in raw mode before and after opening (so bytes that arrive early are not
 * echoed); a tty has no disconnect, so resync is the host's job.
 *
 * Writing uses the thread pool, one write at a time, in order; the session
 * awaits each write and pauses the reader when its queue is full (the host is
 * not reading).
 */
import * as fs from 'node:fs';
import { DeviceReader } from './device-reader';
import { makeRaw } from './tty';
import type { Peer, PeerFactory, Sink, Transport } from './types';

const RETRY_INTERVAL_MS = 5000;

export interface DeviceOptions {
  path: string;
  kind: 'virtio-serial' | 'isa-serial';
  peers: PeerFactory;
  retryPath?: boolean;
  log?: (level: 'debug' | 'warning' | 'critical', message: string) => void;
  /** The port failed and will not come back (no retry-path). */
  onFatal?: (message: string) => void;
  /** Test seam: how to put a tty in raw mode. */
  makeRaw?: (path: string) => void;
  /**
   * Test seam: write answers here instead of to `path` (read-only then), so a
   * FIFO pair can stand in for the port without a VM.
   */
  writePath?: string;
}

interface PendingWrite {
  data: Buffer;
  done: () => void;
  /** The port closed with this write under way: the bytes may still be in use, so the writer must not reuse them. */
  dropped: (reason: Error) => void;
}

export class DeviceTransport implements Transport {
  private fd: number | null = null;
  private writeFd: number | null = null;
  private reader: DeviceReader | null = null;
  private peer: Peer | null = null;
  private readonly queue: PendingWrite[] = [];
  private writing = false;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** True when a thread is still blocked in the port (the process must end without joining it). */
  stuck = false;

  constructor(private readonly options: DeviceOptions) {}

  async start(): Promise<void> {
    const sink: Sink = {
      write: (data) => this.enqueue(data),
      pause: () => this.reader?.pause(),
      resume: () => this.reader?.resume(),
    };
    this.peer = this.options.peers(sink);
    for (;;) {
      try {
        this.open();
        return;
      } catch (e) {
        if (!this.options.retryPath) throw e;
        this.options.log?.('warning', `${(e as Error).message}; waiting for channel path...`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_INTERVAL_MS));
        if (this.stopping) return;
      }
    }
  }

  private open(): void {
    const { path, kind } = this.options;
    const raw = this.options.makeRaw ?? ((p: string) => makeRaw(p));
    if (kind === 'isa-serial') raw(path);
    const { writePath } = this.options;
    let fd: number;
    try {
      fd = fs.openSync(path, (writePath ? fs.constants.O_RDONLY : fs.constants.O_RDWR) | fs.constants.O_NOCTTY);
    } catch (e) {
      throw new Error(`error opening channel '${path}': ${(e as Error).message}`);
    }
    if (writePath) {
      try {
        this.writeFd = fs.openSync(writePath, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
      } catch (e) {
        fs.closeSync(fd);
        throw new Error(`error opening channel '${writePath}': ${(e as Error).message}`);
      }
    }
    if (kind === 'isa-serial') {
      try {
        raw(path);
      } catch (e) {
        fs.closeSync(fd);
        if (this.writeFd !== null) fs.closeSync(this.writeFd);
        this.writeFd = null;
        throw e;
      }
    }
    this.fd = fd;
    const peer = this.peer!;
    this.reader = new DeviceReader({
      fd,
      zeroIsEof: kind === 'virtio-serial',
      onData: (chunk) => peer.feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
      onEof: () => {
        this.options.log?.('debug', 'received EOF');
        peer.reset();
      },
      onError: (message) => this.failed(message),
    });
  }

  private failed(message: string): void {
    if (this.stopping) return;
    this.options.log?.('critical', `error reading channel: ${message}`);
    void this.closePort().then(() => {
      this.peer?.reset();
      if (this.options.retryPath) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.start().catch((e) => this.options.onFatal?.((e as Error).message));
        }, RETRY_INTERVAL_MS);
      } else {
        this.options.onFatal?.(message);
      }
    });
  }

  private enqueue(data: Buffer): Promise<void> {
    if (this.stopping || this.fd === null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data, done: resolve, dropped: reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.writing) return;
    const item = this.queue[0];
    if (!item || this.fd === null) return;
    this.writing = true;
    const fd = this.writeFd ?? this.fd;
    const writeFrom = (offset: number): void => {
      fs.write(fd, item.data, offset, item.data.length - offset, null, (err, written) => {
        if (err) {
          if (err.code === 'EAGAIN' || err.code === 'EINTR') {
            setTimeout(() => writeFrom(offset), 100);
            return;
          }
          this.options.log?.('warning', `error writing channel: ${err.message}`);
          written = item.data.length - offset; // drop the rest of this answer
        }
        if (offset + written < item.data.length) {
          writeFrom(offset + written);
          return;
        }
        // The queue was emptied meanwhile if the port closed during this write.
        if (this.queue[0] === item) this.queue.shift();
        this.writing = false;
        item.done();
        this.pump();
      });
    };
    writeFrom(0);
  }

  private async closePort(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    if (reader && !(await reader.stop())) {
      this.stuck = true;
    }
    if (this.writing) {
      this.stuck = true;
    }
    const inFlight = this.writing ? this.queue[0] : undefined;
    for (const item of this.queue.splice(0)) {
      if (item === inFlight) item.dropped(new Error('channel closed during a write'));
      else item.done();
    }
    for (const fd of [this.fd, this.writeFd]) {
      if (fd !== null && !this.stuck) {
        try {
          fs.closeSync(fd);
        } catch {
          /* ignore */
        }
      }
    }
    this.fd = null;
    this.writeFd = null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.closePort();
  }
}
