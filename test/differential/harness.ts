/** Sending a case's bytes to a running agent and collecting its raw answer lines. */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseJsonMessages } from '../../runtime/json/parse';
import type { JsonValue } from '../../runtime/json/value';
import type { Case, CaseContext, Chunk } from './case';

export interface Line {
  /** Preceded by the 0xFF sentinel byte. */
  readonly delimited: boolean;
  /** The line's bytes (without 0xFF and newline), as latin1 text. */
  readonly raw: string;
  /** Parsed with our parser; undefined when the line is not JSON (qemu-ga's `inf`). */
  readonly value?: JsonValue;
}

export interface Outcome {
  readonly lines: Line[];
  readonly timedOut: boolean;
  readonly agentAlive: boolean;
}

const SENTINEL_BASE = 8_000_000_000n;

export function toBytes(chunk: string | Buffer, ctx: CaseContext): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.split('${DIR}').join(ctx.dir), 'latin1');
}

/** Split raw output into lines and parse each with our parser. */
export function splitLines(out: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = out.indexOf(0x0a, start);
    if (nl < 0) break;
    let body = out.subarray(start, nl);
    start = nl + 1;
    const delimited = body[0] === 0xff;
    if (delimited) body = body.subarray(1);
    const msgs = parseJsonMessages(body);
    const m = msgs.length === 1 ? msgs[0] : undefined;
    lines.push({ delimited, raw: body.toString('latin1'), value: m && m.ok ? m.value : undefined });
  }
  if (start < out.length) lines.push({ delimited: false, raw: `<unterminated> ${out.subarray(start).toString('latin1')}` });
  return lines;
}

function lastHandle(lines: Line[]): bigint {
  for (let i = lines.length - 1; i >= 0; i--) {
    const v = lines[i]!.value;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const r = v['return'];
      if (typeof r === 'bigint' && r >= 1000n && r < 1_000_000n) return r;
    }
  }
  return -1n;
}

/** Run one case on one agent: a fresh connection, the case's writes, then a sentinel to know every answer is in. */
/** Connect, write `chunks`, close without reading; resolves once the agent has seen the close. */
async function leaveMidMessage(socket: string, chunks: readonly string[]): Promise<void> {
  const s = net.createConnection(socket);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  for (const chunk of chunks) s.write(Buffer.from(chunk, 'latin1'));
  await new Promise<void>((resolve) => s.end(resolve));
  s.destroy();
  await new Promise((r) => setTimeout(r, 100));
}

/** What runCase needs of an agent. */
export interface Target {
  readonly socket: string;
  readonly alive: boolean;
}

export async function runCase(agent: Target, c: Case, dir: string, timeoutMs = 30000): Promise<Outcome> {
  for (const [name, content] of Object.entries(c.files ?? {})) {
    fs.writeFileSync(path.join(dir, name), content);
  }
  for (const name of c.absent ?? []) fs.rmSync(path.join(dir, name), { force: true });
  if (c.previousConnection) await leaveMidMessage(agent.socket, c.previousConnection);
  const sock = net.createConnection(agent.socket);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const received: Buffer[] = [];
  let size = 0;
  let waiter: (() => void) | undefined;
  sock.on('data', (d: Buffer) => {
    received.push(d);
    size += d.length;
    waiter?.();
  });
  let closed = false;
  sock.on('close', () => {
    closed = true;
    waiter?.();
  });
  sock.on('error', () => undefined);
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  let sentinelCounter = 0; // same ids on both agents

  const output = (): Buffer => Buffer.concat(received, size);
  const waitFor = async (needle: Buffer): Promise<boolean> => {
    for (;;) {
      if (output().indexOf(needle) >= 0) return true;
      if (closed) return false;
      if (Date.now() > deadline) {
        timedOut = true;
        return false;
      }
      await new Promise<void>((r) => {
        waiter = r;
        setTimeout(r, 50);
      });
      waiter = undefined;
    }
  };
  const write = (b: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      sock.write(b, () => resolve());
    });
  const sync = async (delimited: boolean): Promise<boolean> => {
    const id = SENTINEL_BASE + BigInt(++sentinelCounter);
    if (delimited) {
      await write(Buffer.from(`\xff{"execute":"guest-sync-delimited","arguments":{"id":${id}}}`, 'latin1'));
      return waitFor(Buffer.from(`\xff{"return": ${id}}\n`, 'latin1'));
    }
    await write(Buffer.from(`{"execute":"guest-sync","arguments":{"id":${id}}}`));
    return waitFor(Buffer.from(`{"return": ${id}}\n`));
  };

  const ctx: CaseContext = { dir, handle: -1n };
  for (const chunk of c.send) {
    let bytes: Buffer;
    if (typeof chunk === 'function') {
      if (!(await sync(false))) break;
      ctx.handle = lastHandle(splitLines(output()));
      bytes = toBytes((chunk as Exclude<Chunk, string | Buffer>)(ctx), ctx);
    } else {
      bytes = toBytes(chunk, ctx);
    }
    await write(bytes);
    if (c.gapMs) await new Promise((r) => setTimeout(r, c.gapMs));
  }
  if (!timedOut && !closed) await sync(c.resync ?? false);
  sock.end();
  sock.destroy();
  return { lines: splitLines(output()), timedOut, agentAlive: agent.alive };
}
