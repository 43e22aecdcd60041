/**
 * The virtio-serial and isa-serial code paths without a VM.
 *
 * virtio-serial, on a FIFO pair. Why it is faithful: the agent reads its FIFO
 * through the same blocking-read worker it uses on the port. While a writer
 * (the "host") holds the FIFO open, reads block until bytes come, as on a
 * connected port; when the last writer closes, every read returns 0 (EOF), as
 * on a port with no host attached; when a writer opens it again, the same
 * descriptor delivers data again, exactly the virtio-serial reconnect. (A
 * FIFO is one-way, so answers go out through a second FIFO.)
 *
 * isa-serial, on a pseudo-terminal made by python3's pty.openpty(). Why it is
 * faithful: the agent gets a real tty with the kernel's line discipline,
 * cooked and echoing by default, like /dev/ttyS1. Without raw mode a request
 * (which has no newline) would sit in the canonical-mode line buffer forever
 * and be echoed back; answers arriving, unechoed, prove raw mode.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeviceTransport } from '../../agent/transports/device';
import type { Sink } from '../../agent/transports/types';
import { localPeers, tempDir } from './helpers/agent-fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads answer lines from a FIFO opened without blocking. */
class FifoReader {
  private buf = Buffer.alloc(0);
  private fd: number;
  constructor(file: string) {
    // O_RDWR: opening never blocks and the agent's writes never see "no reader".
    this.fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  }
  async line(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const out = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        return out;
      }
      try {
        const chunk = Buffer.alloc(65536);
        const n = fs.readSync(this.fd, chunk, 0, chunk.length, null);
        this.buf = Buffer.concat([this.buf, chunk.subarray(0, n)]);
        continue;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(5);
    }
  }
  async json(): Promise<unknown> {
    return JSON.parse((await this.line()).toString('latin1').replace(/^\xff/, ''));
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

function fdsOpenOn(file: string): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}

describe('virtio-serial code path on a FIFO pair', () => {
  let dir: string;
  let toAgent: string;
  let fromAgent: string;
  let transport: DeviceTransport;
  let answers: FifoReader;
  let host: number;

  beforeEach(async () => {
    dir = tempDir();
    toAgent = path.join(dir, 'to-agent');
    fromAgent = path.join(dir, 'from-agent');
    execFileSync('mkfifo', [toAgent, fromAgent]);
    answers = new FifoReader(fromAgent);
    host = fs.openSync(toAgent, fs.constants.O_RDWR); // the host is attached
    transport = new DeviceTransport({ path: toAgent, writePath: fromAgent, kind: 'virtio-serial', peers: localPeers(dir) });
    await transport.start();
    fs.closeSync(host);
    host = fs.openSync(toAgent, fs.constants.O_WRONLY); // a plain writer, like the host side
  });

  afterEach(async () => {
    try {
      fs.closeSync(host);
    } catch {
      /* closed by the test */
    }
    // Let the reader see EOF so it leaves its blocking read.
    await transport.stop();
    answers.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('requests are answered, with the 0xFF prefix for guest-sync-delimited', async () => {
    fs.writeSync(host, '{"execute":"guest-ping"}');
    expect(await answers.json()).toEqual({ return: {} });
    fs.writeSync(host, '{"execute":"guest-sync-delimited","arguments":{"id":9}}');
    const line = await answers.line();
    expect(line[0]).toBe(0xff);
    expect(JSON.parse(line.subarray(1).toString())).toEqual({ return: 9 });
  });

  test('host gone (EOF): the half message is dropped; on reconnect the same descriptor serves again', async () => {
    const before = fdsOpenOn(toAgent);
    fs.writeSync(host, '{"execute":"guest-sync","arguments":{"id":');
    await sleep(50);
    fs.closeSync(host); // no host attached: reads return 0
    await sleep(350); // several ~100 ms EOF polls
    host = fs.openSync(toAgent, fs.constants.O_WRONLY); // host back
    fs.writeSync(host, '{"execute":"guest-sync","arguments":{"id":77}}');
    // qemu-ga would complete the old half message ("stray" errors, no 77).
    expect(await answers.json()).toEqual({ return: 77 });
    expect(fdsOpenOn(toAgent)).toBe(before); // never reopened
  });

  test('while no host is attached the reader sleeps between polls instead of spinning', async () => {
    fs.closeSync(host);
    await sleep(200);
    const before = process.cpuUsage();
    const t0 = Date.now();
    await sleep(1000);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(0.25 * (Date.now() - t0));
    host = fs.openSync(toAgent, fs.constants.O_WRONLY);
    fs.writeSync(host, '{"execute":"guest-ping"}');
    expect(await answers.json()).toEqual({ return: {} });
  });
});

const PTY_HOST = `
import os, pty, select, sys
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
# Keep the slave open (never read from it) so the master never reports EIO
# between the agent's opens; read the master without blocking.
os.set_blocking(m, False)
out = sys.stdout.buffer
while True:
    r, _, _ = select.select([m, 0], [], [])
    if 0 in r:
        data = os.read(0, 65536)
        if not data:
            break
        os.write(m, data)
    if m in r:
        try:
            data = os.read(m, 65536)
        except (BlockingIOError, OSError):
            data = b''
        if data:
            out.write(data)
            out.flush()
`;

test('a port closed during a write: that write is reported dropped (its bytes may still be in use), later ones done', async () => {
  const dir = tempDir();
  const toAgent = path.join(dir, 'to-agent');
  const fromAgent = path.join(dir, 'from-agent');
  execFileSync('mkfifo', [toAgent, fromAgent]);
  // A host that never reads the answers: the pipe fills and the agent's write blocks.
  const stalled = fs.openSync(fromAgent, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const host = fs.openSync(toAgent, fs.constants.O_RDWR);
  let sink: Sink | undefined;
  const transport = new DeviceTransport({
    path: toAgent,
    writePath: fromAgent,
    kind: 'virtio-serial',
    peers: (s) => {
      sink = s;
      return { feed: () => undefined, reset: () => undefined, idle: () => Promise.resolve() };
    },
  });
  try {
    await transport.start();
    const big = sink!.write(Buffer.alloc(1024 * 1024, 0x61));
    const queued = sink!.write(Buffer.from('{}\n'));
    await sleep(100);
    fs.closeSync(host); // the reader leaves its blocking read
    await transport.stop();
    await expect(big).rejects.toThrow('channel closed during a write');
    await expect(queued).resolves.toBeUndefined();
  } finally {
    fs.closeSync(stalled); // the blocked write now fails (no reader) and its thread returns
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('isa-serial code path on a pseudo-terminal', () => {
  let py: ChildProcess;
  let transport: DeviceTransport;
  let dir: string;
  let received = Buffer.alloc(0);

  beforeAll(async () => {
    dir = tempDir();
    py = spawn('python3', ['-c', PTY_HOST], { stdio: ['pipe', 'pipe', 'inherit'] });
    const slave: string = await new Promise((resolve) => {
      let first = '';
      const onData = (d: Buffer) => {
        first += d.toString();
        const nl = first.indexOf('\n');
        if (nl >= 0) {
          py.stdout!.off('data', onData);
          py.stdout!.on('data', (more: Buffer) => {
            received = Buffer.concat([received, more]);
          });
          received = Buffer.from(first.slice(nl + 1));
          resolve(first.slice(0, nl));
        }
      };
      py.stdout!.on('data', onData);
    });
    transport = new DeviceTransport({ path: slave, kind: 'isa-serial', peers: localPeers(dir) });
    await transport.start();
  });

  afterAll(async () => {
    await transport.stop();
    py.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function nextLine(): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const nl = received.indexOf(0x0a);
      if (nl >= 0) {
        const line = received.subarray(0, nl).toString('latin1');
        received = received.subarray(nl + 1);
        return line;
      }
      if (Date.now() > deadline) throw new Error(`timed out; have ${JSON.stringify(received.toString('latin1'))}`);
      await sleep(5);
    }
  }

  test('raw mode: a request without newline is answered, and nothing is echoed', async () => {
    py.stdin!.write('{"execute":"guest-sync","arguments":{"id":5}}');
    const line = await nextLine();
    expect(line).toBe('{"return": 5}');
  });

  test('CR, ^C and ^S bytes reach the parser untranslated (no line discipline, no flow control)', async () => {
    // Cooked mode would turn \r into \n, ^C into SIGINT and ^S into a stop.
    py.stdin!.write('\r\x13{"execute":"guest-ping"}');
    const first = await nextLine();
    expect(JSON.parse(first).error.desc).toMatch(/stray/);
    expect(JSON.parse(await nextLine())).toEqual({ return: {} });
    py.stdin!.write(Buffer.from([0xff]));
    py.stdin!.write('{"execute":"guest-sync-delimited","arguments":{"id":3}}');
    expect(JSON.parse(await nextLine()).error.class).toBe('GenericError');
    const sync = await nextLine();
    expect(sync.charCodeAt(0)).toBe(0xff);
    expect(JSON.parse(sync.slice(1))).toEqual({ return: 3 });
  });
});
