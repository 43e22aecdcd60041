/**
 * qemu-ga's command line, parsed the way GNU getopt_long parses
 * `hVvdc:m:p:l:f:F::b:a:t:Dr` with qemu-ga 10.0's long options: clustered
 * short flags (`-vd`), attached or separate arguments (`-mfoo`, `-m foo`),
 * `F::` (an argument only when attached: `-F/path`, `--fsfreeze-hook=/path`),
 * unambiguous long-option prefixes (`--meth`), `--` ends the options, other
 * non-option words are ignored (qemu-ga never looks at them).
 *
 * Pure: no I/O, no process exit. main.ts turns the result into effects.
 */

/** Everything the command line can set. Unset members mean "not given". */
export interface CliOptions {
  config?: string;
  method?: string;
  path?: string;
  logfile?: string;
  pidfile?: string;
  /** `-F` without an argument yields `DEFAULT_FSFREEZE_HOOK`. */
  fsfreezeHook?: string;
  statedir?: string;
  verbose?: boolean;
  daemonize?: boolean;
  dumpConf?: boolean;
  retryPath?: boolean;
  /** In qemu-ga's (odd) order: each `-b a,b` adds `b,a`. */
  blockRpcs: string[];
  allowRpcs: string[];
}

export type ParseResult =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  /** `-b help` / `-a help` (or `?`): print the command names and exit 0. */
  | { kind: 'list-rpcs' }
  | { kind: 'error'; message: string };

export const DEFAULT_VIRTIO_PATH = '/dev/virtio-ports/org.qemu.guest_agent.0';
/** The issue asks for ttyS1 (the second UART, the one QEMU's isa-serial agent port usually is). */
export const DEFAULT_SERIAL_PATH = '/dev/ttyS1';
export const DEFAULT_CONFIG_PATH = '/etc/qemu/qemu-ga.conf';
export const DEFAULT_FSFREEZE_HOOK = '/etc/qemu/fsfreeze-hook';
export const DEFAULT_STATEDIR = '/var/run';
export const DEFAULT_PIDFILE = '/var/run/qemu-ga.pid';
export const METHODS = ['virtio-serial', 'isa-serial', 'unix-listen'] as const;
export type Method = (typeof METHODS)[number];

type ArgKind = 'none' | 'required' | 'optional';

interface OptionSpec {
  short: string;
  long: string;
  arg: ArgKind;
}

const SPECS: readonly OptionSpec[] = [
  { short: 'h', long: 'help', arg: 'none' },
  { short: 'V', long: 'version', arg: 'none' },
  { short: 'c', long: 'config', arg: 'required' },
  { short: 'D', long: 'dump-conf', arg: 'none' },
  { short: 'l', long: 'logfile', arg: 'required' },
  { short: 'f', long: 'pidfile', arg: 'required' },
  { short: 'F', long: 'fsfreeze-hook', arg: 'optional' },
  { short: 'v', long: 'verbose', arg: 'none' },
  { short: 'm', long: 'method', arg: 'required' },
  { short: 'p', long: 'path', arg: 'required' },
  { short: 'd', long: 'daemonize', arg: 'none' },
  { short: 'b', long: 'block-rpcs', arg: 'required' },
  { short: 'a', long: 'allow-rpcs', arg: 'required' },
  { short: 't', long: 'statedir', arg: 'required' },
  { short: 'r', long: 'retry-path', arg: 'none' },
];

/** One option occurrence, in command-line order. */
export interface Occurrence {
  short: string;
  value: string | undefined;
}

const PROG = 'qga';

/** Tokenise argv (without node and script) into option occurrences, or the first getopt error. */
export function scanOptions(argv: readonly string[]): Occurrence[] | { error: string } {
  const out: Occurrence[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      const attached = eq === -1 ? undefined : word.slice(eq + 1);
      const exact = SPECS.find((s) => s.long === name);
      const candidates = exact ? [exact] : SPECS.filter((s) => s.long.startsWith(name));
      if (candidates.length === 0 || name === '') {
        return { error: `${PROG}: unrecognized option '--${name}'` };
      }
      if (candidates.length > 1) {
        const list = candidates.map((s) => `'--${s.long}'`).join(' ');
        return { error: `${PROG}: option '--${name}' is ambiguous; possibilities: ${list}` };
      }
      const spec = candidates[0];
      if (spec.arg === 'none') {
        if (attached !== undefined) {
          return { error: `${PROG}: option '--${spec.long}' doesn't allow an argument` };
        }
        out.push({ short: spec.short, value: undefined });
      } else if (spec.arg === 'optional') {
        out.push({ short: spec.short, value: attached });
      } else if (attached !== undefined) {
        out.push({ short: spec.short, value: attached });
      } else if (i + 1 < argv.length) {
        out.push({ short: spec.short, value: argv[++i] });
      } else {
        return { error: `${PROG}: option '--${spec.long}' requires an argument` };
      }
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const ch = word[j];
        const spec = SPECS.find((s) => s.short === ch);
        if (!spec) {
          return { error: `${PROG}: invalid option -- '${ch}'` };
        }
        if (spec.arg === 'none') {
          out.push({ short: ch, value: undefined });
          continue;
        }
        const rest = word.slice(j + 1);
        if (spec.arg === 'optional') {
          out.push({ short: ch, value: rest === '' ? undefined : rest });
        } else if (rest !== '') {
          out.push({ short: ch, value: rest });
        } else if (i + 1 < argv.length) {
          out.push({ short: ch, value: argv[++i] });
        } else {
          return { error: `${PROG}: option requires an argument -- '${ch}'` };
        }
        break;
      }
      continue;
    }
    // A non-option word: GNU getopt permutes it to the end; qemu-ga ignores it.
  }
  return out;
}

/** qemu-ga's split_list(): g_strsplit on ',' then prepend each piece (so the order reverses). */
export function splitList(text: string): string[] {
  if (text === '') {
    return [];
  }
  return text.split(',').reverse();
}

function isHelpOption(value: string): boolean {
  return value === '?' || value === 'help';
}

const UNKNOWN = `Unknown option, try '${PROG} --help' for more information.`;

/** Parse the command line. `-c` is honoured wherever it appears (qemu-ga scans for it first). */
export function parseArgs(argv: readonly string[]): ParseResult {
  const scanned = scanOptions(argv);
  if (!Array.isArray(scanned)) {
    return { kind: 'error', message: `${scanned.error}\n${UNKNOWN}` };
  }
  const options: CliOptions = { blockRpcs: [], allowRpcs: [] };
  for (const { short, value } of scanned) {
    const v = value ?? '';
    switch (short) {
      case 'h':
        return { kind: 'help' };
      case 'V':
        return { kind: 'version' };
      case 'c':
        options.config = v;
        break;
      case 'D':
        options.dumpConf = true;
        break;
      case 'l':
        options.logfile = v;
        break;
      case 'f':
        options.pidfile = v;
        break;
      case 'F':
        options.fsfreezeHook = value ?? DEFAULT_FSFREEZE_HOOK;
        break;
      case 'v':
        options.verbose = true;
        break;
      case 'm':
        options.method = v;
        break;
      case 'p':
        options.path = v;
        break;
      case 'd':
        options.daemonize = true;
        break;
      case 'b':
      case 'a':
        if (isHelpOption(v)) {
          return { kind: 'list-rpcs' };
        }
        (short === 'b' ? options.blockRpcs : options.allowRpcs).push(...splitList(v));
        break;
      case 't':
        options.statedir = v;
        break;
      case 'r':
        options.retryPath = true;
        break;
    }
  }
  return { kind: 'run', options };
}

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

export function usage(): string {
  return `Usage: ${PROG} [-m METHOD] [-p PATH] [OPTION]...
The qapi-ts guest agent: answers the host's QMP commands inside a VM, as
QEMU's qemu-ga does, with the same options and configuration file.

Transport
  -m, --method=METHOD      virtio-serial (default), isa-serial or unix-listen
  -p, --path=PATH          device or socket to serve; defaults:
                             virtio-serial  ${DEFAULT_VIRTIO_PATH}
                             isa-serial     ${DEFAULT_SERIAL_PATH}
  -r, --retry-path         keep retrying PATH while it is missing or failing
                           (driver reload, device hot-plug)

Commands
  -b, --block-rpcs=LIST    disable these commands (comma-separated;
                           LIST "help" prints the command names)
  -a, --allow-rpcs=LIST    enable only these commands (same form)
  -F, --fsfreeze-hook[=PATH]
                           run PATH with "freeze" or "thaw" around
                           filesystem freezes (default ${DEFAULT_FSFREEZE_HOOK});
                           the path must be attached: -F/path, not -F /path

Files
  -c, --config=PATH        configuration file (default ${DEFAULT_CONFIG_PATH},
                           or the QGA_CONF environment variable)
  -D, --dump-conf          print the effective configuration and exit
  -t, --statedir=DIR       directory for persistent state (absolute;
                           default ${DEFAULT_STATEDIR})
  -f, --pidfile=PATH       pid file (default ${DEFAULT_PIDFILE})
  -l, --logfile=PATH       log here instead of stderr

Other
  -d, --daemonize          run in the background
  -v, --verbose            log debugging detail too
  -V, --version            print the version and exit
  -h, --help               print this help and exit
`;
}
