import { configSource, dumpConfig, loadSettings, resolveConfig, ConfigError } from '../../agent/config';
import { parseArgs, CliOptions } from '../../agent/options';
import { escapeValue, parseKeyFile, unescapeValue, getBoolean } from '../../agent/keyfile';

function cli(argv: string[]): CliOptions {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error('not run');
  return r.options;
}

const none = { blockRpcs: [], allowRpcs: [] };

describe('configuration', () => {
  test('defaults dump exactly like qemu-ga 10.0 -D (plus allow-rpcs)', () => {
    expect(dumpConfig(resolveConfig(none, cli([])))).toBe(
      '[general]\ndaemon=false\nmethod=virtio-serial\npath=/dev/virtio-ports/org.qemu.guest_agent.0\n' +
        'pidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\nverbose=false\nretry-path=false\nblock-rpcs=\nallow-rpcs=\n',
    );
  });

  test('the file is read, the command line wins, lists accumulate', () => {
    const file = loadSettings(
      { path: 'c.conf', required: false },
      '# comment\n[general]\nblock-rpcs=q,r\nverbose=1\ndaemon=true\nmethod=isa-serial\n',
    );
    const config = resolveConfig(file, cli(['-b', 's', '-m', 'unix-listen', '-p', '/tmp/a b']));
    expect(config).toMatchObject({ method: 'unix-listen', path: '/tmp/a b', verbose: true, daemonize: true });
    expect(config.blockRpcs).toEqual(['r', 'q', 's']);
    expect(dumpConfig(config)).toContain('block-rpcs=r,q,s\n');
  });

  test('isa-serial defaults to /dev/ttyS1; unix-listen needs a path', () => {
    expect(resolveConfig(none, cli(['-m', 'isa-serial'])).path).toBe('/dev/ttyS1');
    expect(() => resolveConfig(none, cli(['-m', 'unix-listen']))).toThrow('must specify a path for this channel');
  });

  test('a bad method is refused', () => {
    expect(() => resolveConfig(none, cli(['-m', 'carrier-pigeon']))).toThrow(ConfigError);
    expect(() => resolveConfig({ ...none, method: 'vsock-listen' }, cli([]))).toThrow(/unsupported channel method/);
  });

  test('a value that is not a boolean fails the load with GLib wording', () => {
    expect(() => loadSettings({ path: 'd.conf', required: false }, '[general]\nverbose=yes\n')).toThrow(
      /error loading configuration from path: d.conf, .*verbose.*cannot be interpreted/,
    );
  });

  test('-c makes the file required; QGA_CONF only moves the default', () => {
    expect(configSource(cli(['-c', '/x']), {})).toEqual({ path: '/x', required: true });
    expect(configSource(cli([]), { QGA_CONF: '/y' })).toEqual({ path: '/y', required: false });
    expect(configSource(cli([]), {})).toEqual({ path: '/etc/qemu/qemu-ga.conf', required: false });
    expect(() => loadSettings({ path: '/x', required: true }, undefined)).toThrow(/error loading configuration/);
    expect(loadSettings({ path: '/y', required: false }, undefined)).toEqual(none);
  });

  test('key file escapes round-trip and match GLib', () => {
    expect(escapeValue(' lead\\tx')).toBe('\\slead\\\\tx');
    expect(escapeValue('a\nb\tc')).toBe('a\\nb\\tc');
    for (const s of ['  two', 'x\\y', 'tab\there', 'nl\nz', 'plain']) {
      expect(unescapeValue(escapeValue(s))).toBe(s);
    }
    const f = parseKeyFile('[general]\n  path = /a\\sb \ndaemon=0\n');
    expect(getBoolean(f, 'general', 'daemon')).toBe(false);
    expect(unescapeValue(f.get('general')!.get('path')!)).toBe('/a b ');
  });

  test('dumped config loads back to the same config (lists come back reversed, as in qemu-ga)', () => {
    const original = resolveConfig(none, cli(['-m', 'unix-listen', '-p', ' /odd\tpath', '-b', 'a,b', '-a', 'c', '-v', '-F']));
    const again = resolveConfig(loadSettings({ path: 'x', required: true }, dumpConfig(original)), cli([]));
    expect({ ...again, blockRpcs: [], allowRpcs: [] }).toEqual({ ...original, blockRpcs: [], allowRpcs: [] });
    expect(again.blockRpcs).toEqual([...original.blockRpcs].reverse());
    expect(again.allowRpcs).toEqual(original.allowRpcs);
  });
});
