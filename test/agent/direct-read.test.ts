import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDirect } from '../../agent/transports/direct-read';

/** A unix server accepting one connection paused, and a client connected to it. */
async function pair(pauseOnConnect: boolean): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'direct-read-'));
  const file = path.join(dir, 's');
  let accept!: (s: net.Socket) => void;
  const acceptedP = new Promise<net.Socket>((resolve) => (accept = resolve));
  const server = net.createServer({ pauseOnConnect }, accept);
  await new Promise<void>((resolve) => server.listen(file, resolve));
  const client = net.createConnection(file);
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const accepted = await acceptedP;
  const close = async () => {
    client.destroy();
    accepted.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { server, accepted, client, close };
}

/** Chunks seen so far and a way to wait for `bytes` of them. */
function collector() {
  const chunks: Buffer[] = [];
  let waiting: { bytes: number; resolve: () => void } | null = null;
  const total = () => chunks.reduce((n, c) => n + c.length, 0);
  return {
    chunks,
    onChunk(chunk: Buffer) {
      chunks.push(chunk);
      if (waiting && total() >= waiting.bytes) waiting.resolve();
    },
    until(bytes: number): Promise<void> {
      if (total() >= bytes) return Promise.resolve();
      return new Promise((resolve) => (waiting = { bytes, resolve }));
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('readDirect', () => {
  test('this Node takes the direct path: bytes arrive in order, as copies, and the stream gives none', async () => {
    const { accepted, client, close } = await pair(true);
    const seen = collector();
    const dataEvents: Buffer[] = [];
    accepted.on('data', (d: Buffer) => dataEvents.push(d));
    expect(readDirect(accepted, (c) => seen.onChunk(c))).toBe(true);
    accepted.resume();
    const payload = Buffer.alloc(300_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    client.write('{"execute":"guest-ping"}');
    await seen.until(24);
    const first = seen.chunks[0]!;
    const firstCopy = Buffer.from(first);
    client.write(payload);
    await seen.until(24 + payload.length);
    // Later reads reuse the handle's buffer; what was handed on stays intact.
    expect(first.equals(firstCopy)).toBe(true);
    // Each chunk has memory of its own, not a slice of Node's buffer pool (runtime/unpooled.ts).
    for (const c of seen.chunks) expect([c.byteOffset, c.buffer.byteLength]).toEqual([0, c.length]);
    expect(Buffer.concat(seen.chunks).equals(Buffer.concat([Buffer.from('{"execute":"guest-ping"}'), payload]))).toBe(true);
    expect(dataEvents).toEqual([]);
    await close();
  });

  test('pause() stops reading and resume() delivers what waited', async () => {
    const { accepted, client, close } = await pair(true);
    const seen = collector();
    expect(readDirect(accepted, (c) => seen.onChunk(c))).toBe(true);
    accepted.resume();
    client.write('one');
    await seen.until(3);
    accepted.pause();
    client.write('two');
    await sleep(100);
    expect(Buffer.concat(seen.chunks).toString()).toBe('one');
    accepted.resume();
    await seen.until(6);
    expect(Buffer.concat(seen.chunks).toString()).toBe('onetwo');
    await close();
  });

  test("the client's end still arrives as 'end'", async () => {
    const { accepted, client, close } = await pair(true);
    const seen = collector();
    expect(readDirect(accepted, (c) => seen.onChunk(c))).toBe(true);
    const ended = new Promise<void>((resolve) => accepted.once('end', () => resolve()));
    accepted.resume();
    client.end('bye');
    await ended;
    expect(Buffer.concat(seen.chunks).toString()).toBe('bye');
    await close();
  });

  test('a socket already reading is left alone (false) and keeps its data events', async () => {
    const { accepted, client, close } = await pair(false);
    const got = new Promise<Buffer>((resolve) => accepted.once('data', resolve));
    expect(readDirect(accepted, () => undefined)).toBe(false);
    client.write('hello');
    expect((await got).toString()).toBe('hello');
    await close();
  });
});
