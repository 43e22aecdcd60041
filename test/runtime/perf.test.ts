/**
 * Large messages stay linear and fast: a 32 MiB guest-file-write request
 * (one base64 string) is framed and parsed, and a 64 MiB base64 result is
 * encoded, well inside generous bounds (the machine is shared; the bounds
 * catch quadratic behaviour, not tune). Measured figures are printed.
 */
import { encodeLine } from '../../runtime/json/encode';
import { JsonStreamer, type JsonMessage } from '../../runtime/json/streamer';
import type { JsonValue } from '../../runtime/json/value';
import { obj } from './helpers';

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    f();
    min = Math.min(min, ((u) => (u.user + u.system) / 1000)(process.cpuUsage(t0)));
  }
  return min;
}

describe('throughput on large messages', () => {
  const b64 = Buffer.alloc(24 * 1024 * 1024, 0x5a).toString('base64');
  const msg = Buffer.from(`{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"${b64}"}}`, 'latin1');

  it.each([
    ['one chunk', msg.length],
    ['64 KiB chunks', 65536],
  ])('parses a 32 MiB guest-file-write in %s', (_label, chunk) => {
    let got: JsonMessage | undefined;
    const ms = best(3, () => {
      const s = new JsonStreamer((m) => (got = m));
      for (let o = 0; o < msg.length; o += chunk) s.feed(msg.subarray(o, o + chunk));
    });
    expect(got?.ok && (got.value as { arguments: { 'buf-b64': string } }).arguments['buf-b64'] === b64).toBe(true);
    console.log(`parse 32 MiB (${_label}): ${ms.toFixed(1)} ms = ${(32 / (ms / 1000)).toFixed(0)} MiB/s`);
    expect(ms).toBeLessThan(2000);
  });

  it('encodes a 48 MiB guest-file-read result (64 MiB of base64)', () => {
    const data = Buffer.alloc(48 * 1024 * 1024, 0x33).toString('base64');
    let line: Buffer = Buffer.alloc(0);
    const ms = best(3, () => {
      line = encodeLine(obj({ return: obj({ count: 50331648n, 'buf-b64': data, eof: false }) }) as JsonValue);
    });
    expect(line.length).toBe(data.length + '{"return": {"count": 50331648, "buf-b64": "", "eof": false}}\n'.length);
    console.log(`encode 64 MiB base64: ${ms.toFixed(1)} ms = ${(64 / (ms / 1000)).toFixed(0)} MiB/s`);
    expect(ms).toBeLessThan(3000);
  });

  it('parses many small pipelined requests quickly', () => {
    const n = 50000;
    const many = Buffer.from(Array.from({ length: n }, (_, i) => `{"execute":"guest-sync","arguments":{"id":${i}}}`).join(''));
    let count = 0;
    const ms = best(3, () => {
      count = 0;
      const s = new JsonStreamer(() => count++);
      s.feed(many);
    });
    expect(count).toBe(n);
    console.log(`parse ${n} pipelined requests: ${ms.toFixed(1)} ms = ${((n / ms) * 1000).toFixed(0)} msg/s`);
    expect(ms).toBeLessThan(3000);
  });
});
