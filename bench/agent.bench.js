'use strict';
/**
 * The guest agent against the real qemu-ga, same client, same machine, one
 * run: sequential and pipelined guest-ping, guest-file-read and
 * guest-file-write of a 32 MiB file in 4 MiB chunks, idle RSS, and spawn to
 * first guest-sync answer. Both agents listen on unix sockets (`-m
 * unix-listen`), with every command that changes the machine blocked on
 * qemu-ga.
 */
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

exports.description = 'qga vs qemu-ga: ping, pipelined ping, 32 MiB file read/write, idle RSS, start-up';

const REPO = path.resolve(__dirname, '..');
const QGA = path.join(REPO, 'bin', 'qga');
const QUICK = process.env.BENCH_QUICK === '1';
const MIB = 1024 * 1024;
const FILE_SIZE = 32 * MIB;
const CHUNK = 4 * MIB;
const BLOCKED =
  'guest-shutdown,guest-suspend-disk,guest-suspend-ram,guest-suspend-hybrid,guest-set-time,guest-exec,' +
  'guest-fsfreeze-freeze,guest-fsfreeze-freeze-list,guest-fstrim,guest-set-vcpus,guest-set-memory-blocks,' +
  'guest-set-user-password,guest-ssh-add-authorized-keys,guest-ssh-remove-authorized-keys,guest-network-set-interface';

function findQemuGa() {
  for (const p of ['/usr/sbin/qemu-ga', '/usr/bin/qemu-ga']) if (fs.existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v qemu-ga'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A line client: requests out, answer lines in, in order. */
class Client {
  constructor(socket) {
    this.socket = socket;
    this.chunks = [];
    this.waiters = [];
    this.pending = Buffer.alloc(0);
    this.lines = [];
    socket.on('data', (d) => {
      let buf = this.pending.length ? Buffer.concat([this.pending, d]) : d;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        this.lines.push(buf.subarray(start, nl));
        start = nl + 1;
      }
      this.pending = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
      while (this.waiters.length && this.lines.length) this.waiters.shift()(this.lines.shift());
    });
  }
  static connect(file) {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(file, () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }
  line() {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  async call(text) {
    this.socket.write(text);
    const line = await this.line();
    const v = JSON.parse(line.toString('latin1').replace(/^\xff/, ''));
    if (v.error) throw new Error(`${text.slice(0, 80)}: ${v.error.desc}`);
    return v.return;
  }
  close() {
    this.socket.destroy();
  }
}

async function waitSocket(file, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Client.connect(file);
    } catch {
      if (Date.now() > deadline) throw new Error(`no socket at ${file}`);
      await sleep(1);
    }
  }
}

function startAgent(kind, bin, dir) {
  const sock = path.join(dir, `${kind}.sock`);
  const state = path.join(dir, `${kind}-state`);
  fs.mkdirSync(state, { recursive: true });
  const args = ['-m', 'unix-listen', '-p', sock, '-t', state];
  const child =
    kind === 'qemu-ga'
      ? spawn(bin, [...args, '-b', BLOCKED], { env: { ...process.env, QGA_CONF: '/nonexistent' }, stdio: 'ignore' })
      : spawn(process.execPath, [bin, ...args], { env: { ...process.env, QGA_CONF: '/nonexistent' }, stdio: 'ignore' });
  return { child, sock };
}

async function stopAgent(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(3000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function rssMB(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Spawn to the first guest-sync answer, and idle RSS one second later. */
async function startup(kind, bin, dir, runs) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const sub = path.join(dir, `start-${kind}-${i}`);
    fs.mkdirSync(sub);
    const t0 = process.hrtime.bigint();
    const { child, sock } = startAgent(kind, bin, sub);
    const c = await waitSocket(sock);
    await c.call('{"execute":"guest-sync","arguments":{"id":1}}');
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await sleep(1000);
    rss.push(rssMB(child.pid));
    c.close();
    await stopAgent(child);
  }
  return { ms: median(times), rss: median(rss) };
}

async function pingSequential(c, n) {
  for (let i = 0; i < 200; i++) await c.call('{"execute":"guest-ping"}');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await c.call('{"execute":"guest-ping"}');
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function pingPipelined(c, batches, size) {
  const batch = '{"execute":"guest-ping"}'.repeat(size);
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    c.socket.write(batch);
    for (let i = 0; i < size; i++) await c.line();
  }
  return (batches * size) / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function fileRead(c, file) {
  const t0 = process.hrtime.bigint();
  const h = await c.call(JSON.stringify({ execute: 'guest-file-open', arguments: { path: file, mode: 'r' } }));
  let total = 0;
  for (;;) {
    const r = await c.call(JSON.stringify({ execute: 'guest-file-read', arguments: { handle: h, count: CHUNK } }));
    total += Buffer.from(r['buf-b64'], 'base64').length;
    if (r.eof || r.count === 0) break;
  }
  await c.call(JSON.stringify({ execute: 'guest-file-close', arguments: { handle: h } }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (total !== FILE_SIZE) throw new Error(`read ${total} bytes, expected ${FILE_SIZE}`);
  return FILE_SIZE / MIB / s;
}

async function fileWrite(c, file, chunks) {
  const t0 = process.hrtime.bigint();
  const h = await c.call(JSON.stringify({ execute: 'guest-file-open', arguments: { path: file, mode: 'w' } }));
  for (const b64 of chunks) {
    await c.call(`{"execute":"guest-file-write","arguments":{"handle":${h},"buf-b64":"${b64}"}}`);
  }
  await c.call(JSON.stringify({ execute: 'guest-file-close', arguments: { handle: h } }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (fs.statSync(file).size !== FILE_SIZE) throw new Error(`wrote ${fs.statSync(file).size} bytes`);
  return FILE_SIZE / MIB / s;
}

async function throughput(kind, bin, dir, source, chunks) {
  const { child, sock } = startAgent(kind, bin, dir);
  try {
    const c = await waitSocket(sock);
    const reps = QUICK ? 1 : 3;
    const out = {};
    out.ping = median(await Promise.all([0].map(() => pingSequential(c, QUICK ? 2000 : 10000))));
    const pipes = [];
    for (let i = 0; i < reps; i++) pipes.push(await pingPipelined(c, QUICK ? 5 : 20, 1000));
    out.pipelined = median(pipes);
    const reads = [];
    const writes = [];
    for (let i = 0; i < reps; i++) {
      reads.push(await fileRead(c, source));
      writes.push(await fileWrite(c, path.join(dir, `${kind}-out.bin`), chunks));
    }
    out.read = median(reads);
    out.write = median(writes);
    c.close();
    return out;
  } finally {
    await stopAgent(child);
  }
}

exports.run = async function run(report) {
  if (!fs.existsSync(path.join(REPO, 'dist', 'agent', 'main.js'))) {
    throw new Error('dist/agent/main.js is missing: run `npm run build` first');
  }
  const qemuGa = findQemuGa();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-bench-'));
  try {
    const source = path.join(dir, 'source.bin');
    const data = crypto.randomBytes(FILE_SIZE);
    fs.writeFileSync(source, data);
    const chunks = [];
    for (let off = 0; off < FILE_SIZE; off += CHUNK) chunks.push(data.subarray(off, off + CHUNK).toString('base64'));

    const ours = await throughput('qga', QGA, dir, source, chunks);
    const theirs = qemuGa ? await throughput('qemu-ga', qemuGa, dir, source, chunks) : null;
    const startRuns = QUICK ? 3 : 5;
    const ourStart = await startup('qga', QGA, dir, startRuns);
    const theirStart = qemuGa ? await startup('qemu-ga', qemuGa, dir, startRuns) : null;

    const rows = [
      ['sequential guest-ping', 'ping', 'req/s', 1],
      ['pipelined guest-ping', 'pipelined', 'req/s', 1],
      ['guest-file-read 32 MiB / 4 MiB chunks', 'read', 'MiB/s', 2],
      ['guest-file-write 32 MiB / 4 MiB chunks', 'write', 'MiB/s', 2],
    ];
    for (const [label, key, unit, factor] of rows) {
      report({ metric: `qga ${label}`, value: Math.round(ours[key] * 10) / 10, unit });
      if (theirs) {
        report({ metric: `qemu-ga ${label}`, value: Math.round(theirs[key] * 10) / 10, unit });
        const ratio = ours[key] / theirs[key];
        report({
          metric: `ratio qga/qemu-ga, ${label}`,
          value: Math.round(ratio * 100) / 100,
          unit: 'x',
          target: `>= ${factor}x`,
          ok: ratio >= factor,
        });
      }
    }
    report({ metric: 'qga idle RSS', value: Math.round(ourStart.rss * 10) / 10, unit: 'MB', target: '<= 48 MB', ok: ourStart.rss <= 48 });
    report({
      metric: 'qga spawn to first guest-sync answer (median)',
      value: Math.round(ourStart.ms * 10) / 10,
      unit: 'ms',
      target: '<= 150 ms',
      ok: ourStart.ms <= 150,
    });
    if (theirStart) {
      report({ metric: 'qemu-ga idle RSS', value: Math.round(theirStart.rss * 10) / 10, unit: 'MB' });
      report({ metric: 'qemu-ga spawn to first guest-sync answer (median)', value: Math.round(theirStart.ms * 10) / 10, unit: 'ms' });
    } else {
      report.skip('qemu-ga is not installed (apt-get install qemu-guest-agent): no comparison');
    }
    report.note(`agent bench: load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

if (require.main === module) {
  const report = (r) => console.log(`${r.metric}: ${r.value} ${r.unit ?? ''}${r.target ? ` (target ${r.target}: ${r.ok ? 'ok' : 'MISSED'})` : ''}`);
  report.note = (t) => console.log(`note: ${t}`);
  report.skip = (t) => console.log(`skip: ${t}`);
  exports.run(report).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
