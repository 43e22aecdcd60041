/**
 * Buffers for the per-request path that do not come from Node's shared
 * allocation pool (Buffer.poolSize, 8 KiB).
 *
 * Why: a small Buffer.allocUnsafe() or Buffer.from() is cut from that pool,
 * and when the pool runs out Node makes a new one. V8 optimizes the request
 * path within the first few hundred requests, usually before the pool has
 * run out under the optimized code, so the refill is a call it has no type
 * feedback for: each optimized function that inlined the allocation is
 * deoptimized the first time it meets a refill (a guest-ping uses about 40
 * bytes of pool, so a refill comes every ~200 requests) and compiled again
 * later, while TurboFan is busiest (--trace-deopt over the first 2,000
 * sequential pings: three or four deoptimizations with pooled buffers, none
 * with these). Each unpooled buffer is one small allocation of its own.
 */

/** An uninitialised buffer of `size` bytes with its own memory. */
export function allocUnpooled(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size);
}

/** A copy of `source[0, length)` with its own memory. */
export function copyUnpooled(source: Uint8Array, length: number): Buffer {
  const copy = allocUnpooled(length);
  copy.set(source.subarray(0, length));
  return copy;
}
