import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentState, parseCounter } from '../../agent/state';
import { CommandFilter, FREEZE_SAFE } from '../../agent/filters';
import { Pidfile } from '../../agent/pidfile';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-state-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('state directory', () => {
  test('a fresh state dir starts at 1000 and writes qga.state in qemu-ga format', () => {
    const s = AgentState.load(dir);
    expect(fs.readFileSync(path.join(dir, 'qga.state'), 'utf8')).toBe('[global]\nfd_counter=1000\n');
    expect(s.nextHandle()).toBe(1000n);
    expect(s.nextHandle()).toBe(1001n);
    expect(fs.readFileSync(path.join(dir, 'qga.state'), 'utf8')).toBe('[global]\nfd_counter=1002\n');
  });

  test('the counter survives a restart', () => {
    AgentState.load(dir).nextHandle();
    const again = AgentState.load(dir);
    expect(again.nextHandle()).toBe(1001n);
  });

  test('a state file written by qemu-ga is understood', () => {
    fs.writeFileSync(path.join(dir, 'qga.state'), '[global]\nfd_counter=4242\n');
    expect(AgentState.load(dir).nextHandle()).toBe(4242n);
    expect(parseCounter('garbage')).toBe(1000n);
    expect(parseCounter('[global]\n')).toBe(1000n);
  });

  test('the frozen flag is a file and persists', () => {
    const s = AgentState.load(dir);
    expect(s.frozen).toBe(false);
    s.setFrozen();
    expect(fs.existsSync(path.join(dir, 'qga.state.isfrozen'))).toBe(true);
    expect(AgentState.load(dir).frozen).toBe(true);
    s.unsetFrozen();
    expect(AgentState.load(dir).frozen).toBe(false);
  });

  test('what was deferred while frozen runs once, when the state thaws', () => {
    fs.writeFileSync(path.join(dir, 'qga.state.isfrozen'), '');
    const s = AgentState.load(dir);
    let runs = 0;
    s.onThaw(() => runs++);
    s.unsetFrozen();
    s.setFrozen();
    s.unsetFrozen();
    expect(runs).toBe(1);
    expect(fs.existsSync(path.join(dir, 'qga.state.isfrozen'))).toBe(false);
  });

  test('a missing state dir is an error at load time', () => {
    expect(() => AgentState.load(path.join(dir, 'missing'))).toThrow(/persistent state/);
  });
});

describe('command filter (qemu-ga 10.0 rules)', () => {
  test('no lists: everything enabled', () => {
    const f = new CommandFilter({ allow: [], block: [] }, () => false);
    expect(f.isEnabled('guest-exec')).toBe(true);
  });
  test('block list disables its members', () => {
    const f = new CommandFilter({ allow: [], block: ['guest-exec'] }, () => false);
    expect(f.isEnabled('guest-exec')).toBe(false);
    expect(f.isEnabled('guest-ping')).toBe(true);
  });
  test('allow list denies the rest; block wins over allow', () => {
    const f = new CommandFilter({ allow: ['guest-ping', 'guest-info'], block: ['guest-info'] }, () => false);
    expect(f.isEnabled('guest-ping')).toBe(true);
    expect(f.isEnabled('guest-info')).toBe(false);
    expect(f.isEnabled('guest-sync')).toBe(false);
  });
  test('frozen: only the six freeze-safe commands, whatever the lists say', () => {
    let frozen = true;
    const f = new CommandFilter({ allow: ['guest-file-open'], block: ['guest-ping'] }, () => frozen);
    expect([...FREEZE_SAFE].filter((c) => f.isEnabled(c)).sort()).toEqual([...FREEZE_SAFE].sort());
    expect(f.isEnabled('guest-file-open')).toBe(false);
    frozen = false;
    expect(f.isEnabled('guest-file-open')).toBe(true);
    expect(f.isEnabled('guest-ping')).toBe(false);
  });
});

describe('pidfile', () => {
  test('created with our pid, refused while held by a live process, removed on release', () => {
    const file = path.join(dir, 'qga.pid');
    const p = Pidfile.acquire(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    // Another process (pid 1 is always alive) holding it:
    fs.writeFileSync(file, '1\n');
    expect(() => Pidfile.acquire(file)).toThrow(/Cannot lock pid file/);
    fs.writeFileSync(file, `${process.pid}\n`);
    p.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a stale pidfile (dead process) is replaced', () => {
    const file = path.join(dir, 'stale.pid');
    fs.writeFileSync(file, '999999999\n');
    Pidfile.acquire(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
  });

  test('release leaves a pidfile that names another process alone', () => {
    const file = path.join(dir, 'other.pid');
    const p = Pidfile.acquire(file);
    fs.writeFileSync(file, '1\n');
    p.release();
    expect(fs.existsSync(file)).toBe(true);
  });
});
