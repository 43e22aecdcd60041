import { parseArgs, scanOptions, splitList, DEFAULT_FSFREEZE_HOOK } from '../../agent/options';

function run(argv: string[]) {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(r)}`);
  return r.options;
}

describe('agent command line (getopt_long like qemu-ga)', () => {
  test('short options with separate and attached arguments', () => {
    const o = run(['-m', 'unix-listen', '-p/tmp/s', '-t', '/st', '-l', 'log', '-f', 'pid']);
    expect(o).toMatchObject({ method: 'unix-listen', path: '/tmp/s', statedir: '/st', logfile: 'log', pidfile: 'pid' });
  });

  test('clustered flags and a trailing argument option', () => {
    const o = run(['-vdrDm', 'isa-serial']);
    expect(o).toMatchObject({ verbose: true, daemonize: true, retryPath: true, dumpConf: true, method: 'isa-serial' });
  });

  test('long options, = and separate values, unambiguous prefixes', () => {
    const o = run(['--method=unix-listen', '--path', '/x', '--meth', 'isa-serial', '--verb', '--statedir=/s']);
    expect(o).toMatchObject({ method: 'isa-serial', path: '/x', verbose: true, statedir: '/s' });
  });

  test('-F takes its argument only when attached (getopt F::)', () => {
    expect(run(['-F']).fsfreezeHook).toBe(DEFAULT_FSFREEZE_HOOK);
    expect(run(['-F/h.sh']).fsfreezeHook).toBe('/h.sh');
    const spaced = run(['-F', '/h.sh']);
    expect(spaced.fsfreezeHook).toBe(DEFAULT_FSFREEZE_HOOK); // '/h.sh' is a stray word
    expect(run(['--fsfreeze-hook']).fsfreezeHook).toBe(DEFAULT_FSFREEZE_HOOK);
    expect(run(['--fsfreeze-hook=/x']).fsfreezeHook).toBe('/x');
  });

  test('RPC lists accumulate in qemu-ga order (each list reversed)', () => {
    const o = run(['-b', 'guest-ping,guest-info', '-b', 'x,y', '-a', 'a,b']);
    expect(o.blockRpcs).toEqual(['guest-info', 'guest-ping', 'y', 'x']);
    expect(o.allowRpcs).toEqual(['b', 'a']);
    expect(splitList('')).toEqual([]);
    expect(splitList('a,,b')).toEqual(['b', '', 'a']);
  });

  test('help, version and list requests stop at the first one', () => {
    expect(parseArgs(['-h', '-V']).kind).toBe('help');
    expect(parseArgs(['-V', '-h']).kind).toBe('version');
    expect(parseArgs(['-b', 'help']).kind).toBe('list-rpcs');
    expect(parseArgs(['--allow-rpcs=?']).kind).toBe('list-rpcs');
  });

  test('-c/--config is recorded', () => {
    expect(run(['-c', '/etc/x.conf']).config).toBe('/etc/x.conf');
    expect(run(['--config=/y']).config).toBe('/y');
  });

  test.each([
    [['-x'], "invalid option -- 'x'"],
    [['-m'], "option requires an argument -- 'm'"],
    [['--nope'], "unrecognized option '--nope'"],
    [['--p', 'x'], "option '--p' is ambiguous; possibilities: '--pidfile' '--path'"],
    [['--verbose=1'], "option '--verbose' doesn't allow an argument"],
    [['--method'], "option '--method' requires an argument"],
    [['-s', 'install'], "invalid option -- 's'"],
  ])('%j is an error', (argv, text) => {
    const r = parseArgs(argv);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.message).toContain(text);
      expect(r.message).toContain('--help');
    }
  });

  test('an error before -h wins, as getopt processes in order', () => {
    expect(parseArgs(['-x', '-h']).kind).toBe('error');
  });

  test('"--" ends the options', () => {
    const s = scanOptions(['-v', '--', '-x']);
    expect(s).toEqual([{ short: 'v', value: undefined }]);
  });
});
