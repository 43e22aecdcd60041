/**
 * One protocol session: bytes in, framed and parsed as QEMU does; requests
 * dispatched one at a time; responses written strictly in request order
 * through an async sink.
 *
 * Back-pressure: the session awaits every write. While the sink is slow,
 * requests queue up; past `maxQueued` requests (or `maxQueuedBytes` of
 * input behind them) it calls `pause()`, and `resume()` once the queue has
 * drained to half. The transport stops reading in between, so a client that
 * writes without reading costs neither CPU nor unbounded memory.
 */
import type { Writable } from 'node:stream';
import type { DispatchResult } from './dispatch/dispatcher';
import { errorResponse } from './dispatch/response';
import { encodeLine } from './json/encode';
import { JsonStreamer, type JsonMessage } from './json/streamer';
import { isPromiseLike, settle } from './marshal/output';
import type { JsonValue } from './json/value';
import { ReusableBuffer } from './reusable-buffer';

/**
 * Where response bytes go: nothing when they were taken at once, else a
 * promise that resolves when they are (e.g. after 'drain') and rejects when
 * the peer is gone. Once its promise resolved, the sink no longer uses the
 * bytes: the session may write a later answer into the same memory. Bytes
 * taken at once may still be referenced (a stream's buffer), so their
 * memory is never reused.
 */
export type WriteSink = (bytes: Buffer) => Promise<void> | void;

export interface SessionOptions {
  /** Dispatch one parsed request (usually `dispatcher.dispatch.bind(dispatcher)`). */
  readonly dispatch: (request: JsonValue) => DispatchResult | Promise<DispatchResult>;
  /** The response sink; `reset(sink)` can replace it for a new connection. */
  readonly write: WriteSink;
  /** Stop reading input (queue full). */
  readonly pause?: () => void;
  /** Read input again. */
  readonly resume?: () => void;
  /** Requests queued before input is paused. Default 32. */
  readonly maxQueued?: number;
  /** Bytes of input behind queued requests before input is paused. Default 8 MiB. */
  readonly maxQueuedBytes?: number;
  /** A write failed (peer gone); the response is dropped and the session goes on. */
  readonly onWriteError?: (error: unknown) => void;
}

type Item = { readonly message: JsonMessage; readonly generation: number };

export class ProtocolSession {
  private readonly streamer = new JsonStreamer((m) => this.enqueue(m));
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private generation = 0;
  private running = false;
  private isPaused = false;
  private sink: WriteSink;
  private idleWaiters: (() => void)[] = [];
  private readonly maxQueued: number;
  private readonly maxQueuedBytes: number;
  /** Memory for large answers, reused while they keep coming (one answer is written at a time). */
  private readonly lines = new ReusableBuffer();
  private readonly allocLine = (size: number): Buffer => this.lines.borrow(size);
  private readonly encodeResult = (result: DispatchResult): Buffer | null =>
    result.response === null ? null : encodeLine(result.response, result.delimited, this.allocLine);

  constructor(private readonly options: SessionOptions) {
    this.sink = options.write;
    this.maxQueued = options.maxQueued ?? 32;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 8 * 1024 * 1024;
  }

  /** Input bytes, split anywhere. The session keeps references to `chunk`: do not reuse it. */
  feed(chunk: Buffer): void {
    this.streamer.feed(chunk);
    if (this.queue.length > 0) this.queuedBytes += chunk.length;
    this.checkPause();
    this.pump();
  }

  /**
   * Start clean: drop partial input and every queued or in-flight response
   * (a new unix-socket client, a virtio-serial host that went away).
   * `write` replaces the sink. Input is resumed if it was paused.
   */
  reset(write?: WriteSink): void {
    this.generation++;
    this.streamer.reset();
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (write) this.sink = write;
    if (this.isPaused) {
      this.isPaused = false;
      this.options.resume?.();
    }
    this.settleIdle();
  }

  /** Whether the session asked the transport to stop reading. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** Resolves once every queued request has been answered (or dropped). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(message: JsonMessage): void {
    this.queue.push({ message, generation: this.generation });
  }

  /** The response bytes (null: none), a promise of them only when the handler answered later. */
  private respond(message: JsonMessage): Buffer | null | Promise<Buffer | null> {
    if (!message.ok) return encodeLine(errorResponse('GenericError', message.error));
    return settle(this.options.dispatch(message.value), this.encodeResult);
  }

  private checkPause(): void {
    if (!this.isPaused && (this.queue.length >= this.maxQueued || (this.queue.length > 1 && this.queuedBytes >= this.maxQueuedBytes))) {
      this.isPaused = true;
      this.options.pause?.();
    }
  }

  private checkResume(): void {
    if (this.isPaused && this.queue.length <= this.maxQueued >> 1 && this.queuedBytes < this.maxQueuedBytes) {
      this.isPaused = false;
      this.options.resume?.();
    }
  }

  private settleIdle(): void {
    if (this.running || this.queue.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    this.run();
  }

  /**
   * Answer queued requests in order. Synchronous answers are written in the
   * same turn; the loop waits (and resumes here) only for a handler or a
   * write that is still pending.
   */
  private run(): void {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      if (this.queue.length === 0) this.queuedBytes = 0;
      this.checkResume();
      const pending = this.answer(item);
      if (pending) {
        // Failures are answered or reported inside answer(); whatever
        // happens, the queue goes on.
        const resume = (): void => this.run();
        void pending.then(resume, resume);
        return;
      }
    }
    this.running = false;
    this.settleIdle();
  }

  private answer(item: Item): Promise<void> | void {
    let bytes: Buffer | null | Promise<Buffer | null>;
    try {
      bytes = this.respond(item.message);
    } catch (e) {
      bytes = internalError(e);
    }
    if (isPromiseLike(bytes)) {
      return Promise.resolve(bytes).then(
        (b) => this.deliver(item, b),
        (e: unknown) => this.deliver(item, internalError(e)),
      );
    }
    return this.deliver(item, bytes);
  }

  private deliver(item: Item, bytes: Buffer | null): Promise<void> | void {
    if (bytes === null) return;
    if (item.generation !== this.generation) {
      this.lines.release(bytes);
      return;
    }
    let written: Promise<void> | void;
    try {
      written = this.sink(bytes);
    } catch (e) {
      this.lines.forget(bytes);
      this.options.onWriteError?.(e);
      return;
    }
    if (!written) {
      this.lines.forget(bytes);
      return;
    }
    return written.then(
      () => this.lines.release(bytes),
      (e: unknown) => {
        this.lines.forget(bytes);
        this.options.onWriteError?.(e);
      },
    );
  }
}

/** A bug below us (a dispatcher that threw, a value that cannot be encoded): answer it, keep serving. */
function internalError(e: unknown): Buffer {
  const message = e instanceof Error ? e.message : String(e);
  return encodeLine(errorResponse('GenericError', `internal error: ${message}`));
}

/**
 * A WriteSink over a Node stream (net.Socket, a tty, a fs.WriteStream):
 * nothing to wait for when the stream accepted the bytes within its buffer,
 * else a promise that resolves on 'drain' and rejects if the stream errors
 * or closes first.
 */
export function streamSink(stream: Writable): WriteSink {
  return (bytes) => {
    if (stream.destroyed || stream.writableEnded) return Promise.reject(new Error('stream closed'));
    if (stream.write(bytes)) return;
    return new Promise<void>((resolve, reject) => {
      const onClose = (): void => {
        cleanup();
        reject(new Error('stream closed'));
      };
      const onError = (e: Error): void => {
        cleanup();
        reject(e);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const cleanup = (): void => {
        stream.off('close', onClose);
        stream.off('error', onError);
        stream.off('drain', onDrain);
      };
      stream.on('close', onClose);
      stream.on('error', onError);
      stream.on('drain', onDrain);
    });
  };
}
