/** bin/qga as a process: command line, -D, exit statuses, signals, pid file, -d, state across restarts. */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineClient } from './helpers/client';
import { tempDir } from './helpers/agent-fixture';
import { alive, ensureBuilt, exited, runQga, spawnQga, waitForSocket } from './helpers/spawn-agent';

beforeAll(() => ensureBuilt(), 120000);

let dir: string;
beforeEach(() => {
  dir = tempDir('qga-proc-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('command line', () => {
  test('-V, -h, -b help', () => {
    expect(runQga(['-V']).stdout).toMatch(/^QEMU Guest Agent \d+\.\d+\.\d+\n$/);
    const help = runQga(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fsfreeze-hook');
    const list = runQga(['-b', 'help']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['guest-sync', 'guest-file-open', 'guest-info']));
  });

  test('unknown options and bad values: a message and status 1', () => {
    const bad = runQga(['--bogus']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("unrecognized option '--bogus'");
    const method = runQga(['-m', 'vsock-listen', '-p', 'x']);
    expect(method.status).toBe(1);
    expect(method.stderr).toContain('unsupported channel method/type: vsock-listen');
    const nopath = runQga(['-m', 'unix-listen']);
    expect(nopath.status).toBe(1);
    expect(nopath.stderr).toContain('must specify a path');
  });

  test('-D prints the effective config from -c FILE and the command line', () => {
    const conf = path.join(dir, 'qga.conf');
    fs.writeFileSync(conf, '[general]\nverbose=true\nblock-rpcs=guest-exec\nstatedir=/st\n');
    const r = runQga(['-c', conf, '-D', '-m', 'isa-serial', '-b', 'guest-ping']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '[general]\ndaemon=false\nmethod=isa-serial\npath=/dev/ttyS1\npidfile=/var/run/qemu-ga.pid\n' +
        'statedir=/st\nverbose=true\nretry-path=false\nblock-rpcs=guest-exec,guest-ping\nallow-rpcs=\n',
    );
    const missing = runQga(['-c', path.join(dir, 'nope.conf'), '-D']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error loading configuration from path');
    // QGA_CONF moves the default file, read only when present.
    expect(runQga(['-D'], { QGA_CONF: conf }).stdout).toContain('statedir=/st\n');
  });
});

describe('signals, pid file, state', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s: stops cleanly, removes pid file and socket, saves state', async (signal) => {
    const sock = path.join(dir, 'qga.sock');
    const pid = path.join(dir, 'qga.pid');
    const child = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir, '-f', pid]);
    await waitForSocket(sock);
    expect(fs.readFileSync(pid, 'utf8')).toBe(`${child.pid}\n`);
    const c = await LineClient.connect(sock);
    const h = (await c.request({ execute: 'guest-file-open', arguments: { path: pid } })).return;
    expect(h).toBe(1000);
    child.kill(signal);
    const end = await exited(child);
    expect(end.code === 0 || end.signal === signal).toBe(true);
    expect(fs.existsSync(pid)).toBe(false);
    expect(fs.existsSync(sock)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'qga.state'), 'utf8')).toBe('[global]\nfd_counter=1001\n');
    c.close();

    // A restart continues the handle sequence.
    const again = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir]);
    await waitForSocket(sock);
    const c2 = await LineClient.connect(sock);
    const file = path.join(dir, 'qga.state');
    expect((await c2.request({ execute: 'guest-file-open', arguments: { path: file } })).return).toBe(1001);
    c2.close();
    again.kill('SIGTERM');
    await exited(again);
  }, 30000);

  test('a pid file held by a running agent makes the second one fail with status 1', async () => {
    const pid = path.join(dir, 'qga.pid');
    const first = spawnQga(['-m', 'unix-listen', '-p', path.join(dir, 'a.sock'), '-t', dir, '-f', pid]);
    await waitForSocket(path.join(dir, 'a.sock'));
    const second = runQga(['-m', 'unix-listen', '-p', path.join(dir, 'b.sock'), '-t', dir, '-f', pid]);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('Cannot lock pid file');
    first.kill('SIGTERM');
    await exited(first);
  }, 30000);

  test('-d: the parent returns once the daemon serves; the daemon holds the pid file', async () => {
    const sock = path.join(dir, 'qga.sock');
    const pid = path.join(dir, 'qga.pid');
    const r = runQga(['-d', '-m', 'unix-listen', '-p', sock, '-t', dir, '-f', pid]);
    expect(r.status).toBe(0);
    const daemonPid = Number(fs.readFileSync(pid, 'utf8'));
    expect(alive(daemonPid)).toBe(true);
    const c = await LineClient.connect(sock);
    expect(await c.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    c.close();
    process.kill(daemonPid, 'SIGTERM');
    for (let i = 0; i < 200 && alive(daemonPid); i++) await new Promise((res) => setTimeout(res, 25));
    expect(alive(daemonPid)).toBe(false);
    expect(fs.existsSync(pid)).toBe(false);
    expect(fs.existsSync(sock)).toBe(false);
  }, 30000);

  test('-d with a failing start reports the error and status 1', () => {
    const r = runQga(['-d', '-m', 'unix-listen', '-p', path.join(dir, 'no', 'such', 'dir', 's.sock'), '-t', dir, '-f', path.join(dir, 'p')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/failed to initialize guest agent channel/);
  }, 30000);

  test('frozen at start (qga.state.isfrozen): only the freeze-safe commands are enabled', async () => {
    fs.writeFileSync(path.join(dir, 'qga.state.isfrozen'), '');
    const sock = path.join(dir, 'qga.sock');
    const child = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir]);
    await waitForSocket(sock);
    const c = await LineClient.connect(sock);
    const info = await c.request({ execute: 'guest-info' });
    const enabled = info.return.supported_commands.filter((x: { enabled: boolean }) => x.enabled).map((x: { name: string }) => x.name);
    expect(enabled.sort()).toEqual(
      ['guest-fsfreeze-status', 'guest-fsfreeze-thaw', 'guest-info', 'guest-ping', 'guest-sync', 'guest-sync-delimited'].sort(),
    );
    expect(await c.request({ execute: 'guest-file-open', arguments: { path: '/etc/hostname' } })).toEqual({
      error: { class: 'CommandNotFound', desc: 'Command guest-file-open has been disabled: the command is not allowed' },
    });
    c.close();
    child.kill('SIGTERM');
    await exited(child);
  }, 30000);

  test('-b and -a select the enabled commands', async () => {
    const sock = path.join(dir, 'qga.sock');
    const child = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir, '-a', 'guest-ping,guest-info,guest-sync', '-b', 'guest-sync']);
    await waitForSocket(sock);
    const c = await LineClient.connect(sock);
    expect(await c.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    expect((await c.request({ execute: 'guest-sync', arguments: { id: 1 } })).error.class).toBe('CommandNotFound');
    expect((await c.request({ execute: 'guest-file-open', arguments: { path: '/x' } })).error.desc).toBe(
      'Command guest-file-open has been disabled: the command is not allowed',
    );
    expect((await c.request({ execute: 'guest-get-time' })).error).toEqual({
      class: 'CommandNotFound',
      desc: 'Command guest-get-time has been disabled: the command is not allowed',
    });
    c.close();
    child.kill('SIGTERM');
    await exited(child);
  }, 30000);

  test('a command outside this issue answers QERR_UNSUPPORTED', async () => {
    const sock = path.join(dir, 'qga.sock');
    const child = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir]);
    await waitForSocket(sock);
    const c = await LineClient.connect(sock);
    expect(await c.request({ execute: 'guest-get-time', id: 3 })).toEqual({
      error: { class: 'GenericError', desc: 'this feature or command is not currently supported' },
      id: 3,
    });
    c.close();
    child.kill('SIGTERM');
    await exited(child);
  }, 30000);
});

describe('a device port whose reader is blocked', () => {
  const HOLD_PTY = `
import os, pty, sys, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
os.close(s)
time.sleep(60)
`;
  test('SIGTERM ends the agent even while its reader thread sits in a blocking read', async () => {
    try {
      execFileSync('python3', ['-c', 'import pty']);
    } catch {
      return; // no python3: nothing to hold a pty open with
    }
    const py = spawn('python3', ['-c', HOLD_PTY], { stdio: ['ignore', 'pipe', 'inherit'] });
    const slave: string = await new Promise((resolve) => py.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const pid = path.join(dir, 'qga.pid');
    // virtio-serial on a pty: reads block while the "host" is attached and silent.
    const child = spawnQga(['-m', 'virtio-serial', '-p', slave, '-t', dir, '-f', pid]);
    for (let i = 0; i < 400 && !fs.existsSync(pid); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.existsSync(pid)).toBe(true);
    child.kill('SIGTERM');
    const end = await Promise.race([exited(child), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10000))]);
    expect(end).not.toBe('hung');
    expect(fs.existsSync(pid)).toBe(false);
    py.kill();
  }, 30000);
});

describe('a writer that never reads, against the agent process', () => {
  function cpuTicks(pid: number): number {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
  }

  test('the agent process sits idle under back-pressure (qemu-ga spins at 100%) and serves the next client', async () => {
    const sock = path.join(dir, 'qga.sock');
    const child = spawnQga(['-m', 'unix-listen', '-p', sock, '-t', dir]);
    await waitForSocket(sock);
    const w = await LineClient.connect(sock);
    w.socket.pause();
    w.send('{"execute":"guest-info"}'.repeat(20000));
    await new Promise((r) => setTimeout(r, 1500));
    const before = cpuTicks(child.pid!);
    await new Promise((r) => setTimeout(r, 2000));
    const ticks = cpuTicks(child.pid!) - before; // 100 ticks = one second of CPU
    // qemu-ga burns all the CPU it can get here (measured: 58 ticks a second on a loaded 2-core machine).
    expect(ticks).toBeLessThan(40);
    w.close();
    const next = await LineClient.connect(sock);
    expect(await next.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    next.close();
    child.kill('SIGTERM');
    await exited(child);
  }, 30000);
});
