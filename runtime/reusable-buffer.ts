/**
 * One large buffer lent out again and again while a transfer streams (the
 * answers to guest-file-read chunks, the chunks read from the file).
 *
 * Why: a buffer of megabytes is memory glibc maps fresh from the kernel, and
 * the first touch of each 4 KiB page is a page fault (about 2.5 us each on
 * our machines). Node gives such memory back only when V8 collects the
 * buffer, which it does not between two chunks, so every chunk used to get
 * new pages: a 32 MiB guest-file-read in 4 MiB chunks cost the agent about
 * 27,000 faults, around 40% of its CPU for that read. Reusing one buffer
 * while chunks keep coming leaves only the base64 text of each chunk fresh
 * (Node makes that string itself): 14,000 faults, and the first read of a
 * fresh agent about 20% faster.
 *
 * The kept buffer is dropped after `idleMs` without use, so an agent that has
 * served a large read goes back to its idle footprint.
 */
import { allocUnpooled } from './unpooled';

/**
 * Smaller requests get a buffer of their own: glibc serves them from its
 * heap, which reuses freed memory (it maps fresh memory only from 128 KiB
 * up, a threshold it raises as large blocks are freed).
 */
export const REUSE_FROM_BYTES = 256 * 1024;

export class ReusableBuffer {
  private kept: Buffer | undefined;
  private lent = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs = 1000) {}

  /**
   * `size` bytes, uninitialised: the kept buffer's when it is not lent out
   * and is large enough. Hand it back with `release()` once nothing uses
   * it any more; a buffer never released is simply not reused.
   */
  borrow(size: number): Buffer {
    if (size < REUSE_FROM_BYTES || this.lent) return allocUnpooled(size);
    if (this.kept === undefined || this.kept.length < size) this.kept = allocUnpooled(size);
    this.lent = true;
    this.stopTimer();
    return this.kept.length === size ? this.kept : this.kept.subarray(0, size);
  }

  /** `buffer` (from borrow()) is no longer used by anyone: the kept buffer may be lent again. */
  release(buffer: Buffer): void {
    if (!this.lent || this.kept === undefined || buffer.buffer !== this.kept.buffer) return;
    this.lent = false;
    this.timer = setTimeout(() => this.drop(), this.idleMs).unref();
  }

  /** `buffer` may still be in use somewhere (a write that failed half-way): never lend it again. */
  forget(buffer: Buffer): void {
    if (this.kept !== undefined && buffer.buffer === this.kept.buffer) this.drop();
  }

  /** Whether a buffer is kept for reuse (for tests). */
  get holding(): boolean {
    return this.kept !== undefined;
  }

  private drop(): void {
    this.kept = undefined;
    this.lent = false;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
