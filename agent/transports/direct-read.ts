/**
 * Reading an accepted unix-socket connection without Node's stream
 * machinery.
 *
 * `new net.Socket({ onread })` (documented) makes the handle read into one
 * buffer and hands each read to a callback: no Readable bookkeeping, no
 * 'data' event, no next-tick round per chunk. That machinery is about a third
 * of the JavaScript a small request costs before V8 has optimized it, and a
 * third of the functions V8 then optimizes (bench/agent.bench.js, first
 * 5,000 sequential pings: about 15% of the wall time). net.Server offers no
 * way to pass `onread` to the sockets it accepts, so `readDirect` sets up the
 * same state the constructor would on a socket accepted paused
 * (`pauseOnConnect`), before it has read anything. pause(), resume(), 'end',
 * 'error' and 'close' keep working as documented for `onread`.
 *
 * That state is private to Node (two symbols and the handle's
 * useUserBuffer()); where a Node version lays it out differently,
 * `readDirect` changes nothing and returns false, and the caller reads
 * 'data' events as before. test/agent/direct-read.test.ts checks that this
 * Node takes the direct path.
 */
import type * as net from 'node:net';
import { copyUnpooled } from '../../runtime/unpooled';

/** Size of the buffer each read(2) fills; a larger message arrives over several calls. */
const DIRECT_READ_BUFFER = 64 * 1024;

interface SocketReadState {
  [key: symbol]: unknown;
  _handle?: { useUserBuffer?: (buffer: Uint8Array) => void; reading?: boolean };
}

/**
 * Deliver what `socket` reads to `onChunk` (a fresh Buffer per read, which
 * the callee may keep). `socket` must not have started reading: accept it
 * with `pauseOnConnect`, call this, then resume() it. Returns false, having
 * changed nothing, where this Node's internals are not the expected ones.
 */
export function readDirect(socket: net.Socket, onChunk: (chunk: Buffer) => void): boolean {
  const state = socket as unknown as SocketReadState;
  const symbols = Object.getOwnPropertySymbols(socket);
  const kBuffer = symbols.find((s) => s.description === 'kBuffer');
  const kBufferCb = symbols.find((s) => s.description === 'kBufferCb');
  const handle = state._handle;
  if (!kBuffer || !kBufferCb || state[kBuffer] !== null || typeof handle?.useUserBuffer !== 'function' || handle.reading) {
    return false;
  }
  const buffer = Buffer.allocUnsafe(DIRECT_READ_BUFFER);
  handle.useUserBuffer(buffer);
  state[kBuffer] = buffer;
  // The next read overwrites `buffer`: hand on a copy (small requests copy
  // a few dozen bytes; a 64 KiB read costs a few microseconds), not cut from
  // Node's buffer pool (see runtime/unpooled.ts).
  state[kBufferCb] = (bytes: number) => {
    onChunk(copyUnpooled(buffer, bytes));
  };
  return true;
}
