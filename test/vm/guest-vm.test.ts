/**
 * The agent in a real VM: Debian's kernel under QEMU (TCG), bin/qga on a
 * virtio-serial port and on the isa-serial port /dev/ttyS1, and Debian's
 * qemu-ga (the oracle) on a second virtio-serial port, all driven from the
 * host through QEMU's chardev sockets, as a management layer talks to a
 * guest. scripts/vm-image.sh builds the guest from dist/ (npm test builds
 * first); its /init is test/vm/guest-init.sh. Host packages: qemu-system-x86,
 * busybox-static, cpio, qemu-guest-agent (.ci/run installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { JsonStreamer, type JsonMessage } from '../../runtime/json/streamer';
import type { JsonObject, JsonValue } from '../../runtime/json/value';

const REPO = path.resolve(__dirname, '..', '..');
const DIR = process.env.QGA_VM_DIR ?? path.join(REPO, 'node_modules', '.cache', 'vm');
/** Building the guest: the first time downloads Debian's kernel package (~70 MB). */
const IMAGE_TIMEOUT_MS = 300_000;
/** Boot to first answer: ~6 s on an idle 2-core host under TCG; generous for a loaded CI machine. */
const BOOT_TIMEOUT_MS = 150_000;

/** One received message, and whether the 0xFF sentinel came right before it. */
interface Received {
  readonly message: JsonMessage;
  readonly afterSentinel: boolean;
}

/** The host end of one guest port: QEMU's chardev socket. */
class HostPort {
  private readonly streamer: JsonStreamer;
  private readonly queue: Received[] = [];
  private waiter: (() => void) | null = null;
  private sentinel = false;
  /** Every byte received, to check what the tty did to them. */
  readonly raw: Buffer[] = [];

  private constructor(private readonly socket: net.Socket) {
    this.streamer = new JsonStreamer(
      (message) => {
        this.queue.push({ message, afterSentinel: this.sentinel });
        this.sentinel = false;
        this.waiter?.();
      },
      { onSentinel: () => (this.sentinel = true) },
    );
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      this.streamer.feed(chunk);
    });
  }

  static async connect(file: string, deadline: number): Promise<HostPort> {
    for (;;) {
      if (qemuExit !== null) throw new Error(`QEMU ${qemuExit}: ${qemuStderr}`);
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(file, () => resolve(s));
          s.once('error', reject);
        });
        return new HostPort(socket);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(100);
      }
    }
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The next message, or null when none arrives within `ms`. */
  async next(ms: number): Promise<Received | null> {
    const end = Date.now() + ms;
    while (this.queue.length === 0) {
      const left = end - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.queue.shift()!;
  }

  /** The answer to one request. */
  async call(request: string, ms = 30_000): Promise<JsonObject> {
    this.send(request);
    const got = await this.next(ms);
    if (!got) throw new Error(`no answer to ${request.slice(0, 80)} within ${ms} ms`);
    if (!got.message.ok) throw new Error(`unparseable answer: ${got.message.error}`);
    return got.message.value as JsonObject;
  }

  /**
   * Resynchronise as a host must (QGA-PROTOCOL.md): 0xFF, then
   * guest-sync-delimited with a fresh id, resent every `everyMs` until its
   * answer arrives after a sentinel; everything before it is dropped.
   */
  async sync(id: bigint, everyMs: number, deadline: number): Promise<Received> {
    for (;;) {
      this.send(Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"execute":"guest-sync-delimited","arguments":{"id":${id}}}`)]));
      const resend = Date.now() + everyMs;
      for (let got = await this.next(everyMs); got; got = await this.next(Math.max(0, resend - Date.now()))) {
        if (got.message.ok && (got.message.value as JsonObject).return === id) return got;
      }
      if (Date.now() > deadline) throw new Error(`no answer to guest-sync-delimited ${id}`);
    }
  }

  drop(): void {
    this.queue.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let qemu: ChildProcess;
/** What QEMU said on stderr, and how it ended if it did: for failure messages. */
let qemuStderr = '';
let qemuExit: string | null = null;
const consoleLog = path.join(DIR, 'console.log');
const virtioSocket = path.join(DIR, 'virtio.sock');
const isaSocket = path.join(DIR, 'isa.sock');
const oracleSocket = path.join(DIR, 'oracle.sock');

/** The guest's console, for failure messages. */
function consoleTail(): string {
  try {
    return fs.readFileSync(consoleLog, 'latin1').split('\n').slice(-30).join('\n');
  } catch {
    return '(no console log)';
  }
}

beforeAll(() => {
  const image = spawnSync('bash', [path.join(REPO, 'scripts', 'vm-image.sh')], {
    env: { ...process.env, QGA_VM_DIR: DIR },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (image.status !== 0) throw new Error(`scripts/vm-image.sh failed:\n${image.stderr}${image.stdout}`);
  for (const f of [consoleLog, virtioSocket, isaSocket, oracleSocket]) fs.rmSync(f, { force: true });
  qemu = spawn(
    'qemu-system-x86_64',
    [
      '-accel', 'tcg', '-M', 'pc', '-cpu', 'max', '-smp', '1', '-m', '512',
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-serial', `file:${consoleLog}`,
      '-kernel', path.join(DIR, 'vmlinux'), '-initrd', path.join(DIR, 'initramfs.img'),
      '-append', 'console=ttyS0 quiet panic=-1',
      '-chardev', `socket,path=${virtioSocket},server=on,wait=off,id=qga0`,
      '-device', 'virtio-serial-pci',
      '-device', 'virtserialport,chardev=qga0,name=org.qemu.guest_agent.0',
      '-chardev', `socket,path=${oracleSocket},server=on,wait=off,id=oracle`,
      '-device', 'virtserialport,chardev=oracle,name=qemu-ga.oracle',
      '-chardev', `socket,path=${isaSocket},server=on,wait=off,id=qgaser`,
      '-device', 'isa-serial,chardev=qgaser',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  qemu.stderr!.setEncoding('utf8').on('data', (text: string) => (qemuStderr += text));
  qemu.on('exit', (code, signal) => (qemuExit = signal ? `killed by ${signal}` : `exited with status ${code}`));
}, IMAGE_TIMEOUT_MS);

afterAll(async () => {
  if (qemu && qemu.exitCode === null) {
    const gone = new Promise((resolve) => qemu.once('exit', resolve));
    qemu.kill('SIGTERM');
    await gone;
  }
});

/** A synchronised host on a port, once the guest has booted. */
async function attach(socketFile: string): Promise<HostPort> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  const port = await HostPort.connect(socketFile, deadline);
  try {
    // Sent before the guest has even booted: virtio-serial buffers it. On a
    // UART, bytes sent before the agent set raw mode may come back as echo;
    // either way the resync finds the answer.
    await port.sync(1n, 2000, deadline);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nguest console:\n${consoleTail()}\nQEMU: ${qemuStderr}`);
  }
  port.drop();
  return port;
}

/** The host of a describe block: attached before its tests, closed after; `port` changes when a test reconnects. */
function hostOn(socketFile: string): { port: HostPort } {
  const host = {} as { port: HostPort };
  beforeAll(async () => {
    host.port = await attach(socketFile);
  }, BOOT_TIMEOUT_MS + 10_000);
  afterAll(() => host.port?.close());
  return host;
}

/**
 * The host sends half a request and goes away; after a second, the next
 * host (which replaces it) sends guest-ping on the same port. Returns the answer.
 */
async function pingAfterHalfRequest(host: { port: HostPort }, socketFile: string): Promise<JsonValue> {
  host.port.send('{"execute":"guest-pi');
  await sleep(300);
  await host.port.close();
  await sleep(1000);
  host.port = await HostPort.connect(socketFile, Date.now() + 10_000);
  return host.port.call('{"execute":"guest-ping"}');
}

describe('virtio-serial', () => {
  const host = hostOn(virtioSocket);

  test('guest-sync-delimited is answered after the 0xFF sentinel', async () => {
    const got = await host.port.sync(2n, 5000, Date.now() + 30_000);
    expect(got.afterSentinel).toBe(true);
  });

  test('guest-ping and guest-info', async () => {
    expect(await host.port.call('{"execute":"guest-ping"}')).toEqual({ return: {} });
    const info = (await host.port.call('{"execute":"guest-info"}')).return as JsonObject;
    expect(info.version).toBe('10.0.0');
    const commands = info.supported_commands as JsonObject[];
    expect(commands).toContainEqual({ enabled: true, name: 'guest-file-read', 'success-response': true });
  });

  test('an int64 id beyond 2^53 comes back exactly', async () => {
    const id = 2n ** 63n - 1n; // guest-sync's id is 'int': int64
    expect(await host.port.call(`{"execute":"guest-sync","arguments":{"id":${id}}}`)).toEqual({ return: id });
  });

  test('a 1 MiB file goes in and comes back out through guest-file-*', async () => {
    const data = crypto.randomBytes(1 << 20);
    const handle = (await host.port.call('{"execute":"guest-file-open","arguments":{"path":"/tmp/e2e.bin","mode":"w+"}}')).return as bigint;
    expect(typeof handle).toBe('bigint');
    const written = (await host.port.call(
      `{"execute":"guest-file-write","arguments":{"handle":${handle},"buf-b64":"${data.toString('base64')}"}}`,
      60_000,
    )).return as JsonObject;
    expect(written.count).toBe(BigInt(data.length));
    const seek = (await host.port.call(`{"execute":"guest-file-seek","arguments":{"handle":${handle},"offset":0,"whence":"set"}}`)).return as JsonObject;
    expect(seek).toEqual({ position: 0n, eof: false });
    const read = (await host.port.call(`{"execute":"guest-file-read","arguments":{"handle":${handle},"count":${2 << 20}}}`, 60_000)).return as JsonObject;
    expect(read.count).toBe(BigInt(data.length));
    expect(read.eof).toBe(true);
    expect(Buffer.from(read['buf-b64'] as string, 'base64').equals(data)).toBe(true);
    expect(await host.port.call(`{"execute":"guest-file-close","arguments":{"handle":${handle}}}`)).toEqual({ return: {} });
  });

  test('half a request left by a host that went away does not reach the next host', async () => {
    // The agent sees EOF while no host is attached; it keeps its port open
    // and starts the next host on a clean parser.
    const answer = await pingAfterHalfRequest(host, virtioSocket);
    expect(answer).toEqual({ return: {} });
  });
});

describe("qemu-ga on a virtio-serial port (the oracle)", () => {
  const host = hostOn(oracleSocket);

  test('answers the next host with a parse error made of both halves (the defect ours fixes)', async () => {
    const answer = await pingAfterHalfRequest(host, oracleSocket);
    expect((answer as JsonObject).error).toMatchObject({ class: 'GenericError', desc: expect.stringContaining('JSON parse error') });
  });
});

describe('isa-serial', () => {
  const host = hostOn(isaSocket);

  test('raw mode: answers come back unechoed and without CR', async () => {
    await sleep(500);
    host.port.drop();
    host.port.raw.length = 0;
    expect(await host.port.call('{"execute":"guest-ping"}')).toEqual({ return: {} });
    const info = (await host.port.call('{"execute":"guest-info"}')).return as JsonObject;
    expect(info.version).toBe('10.0.0');
    const bytes = Buffer.concat(host.port.raw).toString('latin1');
    expect(bytes).not.toContain('\r');
    expect(bytes).not.toContain('"execute"');
  });

  test('a 0xFF resync after garbage', async () => {
    host.port.send('}}]garbage{');
    const got = await host.port.sync(3n, 5000, Date.now() + 30_000);
    expect(got.afterSentinel).toBe(true);
    host.port.drop();
    expect(await host.port.call('{"execute":"guest-ping"}')).toEqual({ return: {} });
  });
});
