/**
 * `qga`: the process around the Agent. Options and configuration as qemu-ga
 * reads them, -D, -d (re-spawned detached), the pid file, the log, the state
 * directory, signals (SIGTERM/SIGINT stop cleanly), exit statuses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Agent } from './agent';
import { agentTable, handlers } from './commands/index';
import { ConfigError, configSource, dumpConfig, loadSettings, resolveConfig, type AgentConfig } from './config';
import { isDaemonChild, reportFailure, reportReady } from './daemon';
import { Logger } from './log';
import { parseArgs, usage } from './options';
import { Pidfile } from './pidfile';
import { AgentState } from './state';
import { QGA_VERSION } from './version';

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`error loading configuration from path: ${file}, ${(e as Error).message}`);
  }
}

/** Fail before serving: to stderr (or to the waiting parent, when daemonized), status 1. */
function die(message: string): never {
  reportFailure(message);
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function absolutize(config: AgentConfig): AgentConfig {
  const abs = (p: string | undefined) => (p === undefined || p === '' ? p : path.resolve(p));
  return {
    ...config,
    path: abs(config.path)!,
    logfile: abs(config.logfile),
    pidfile: abs(config.pidfile)!,
    statedir: abs(config.statedir)!,
    fsfreezeHook: abs(config.fsfreezeHook),
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'error':
      process.stderr.write(`${parsed.message}\n`);
      process.exit(1);
    case 'help':
      process.stdout.write(usage());
      process.exit(0);
    case 'version':
      process.stdout.write(`QEMU Guest Agent ${QGA_VERSION}\n`);
      process.exit(0);
    case 'list-rpcs':
      process.stdout.write(agentTable().map((c) => `${c.name}\n`).join(''));
      process.exit(0);
  }

  let config: AgentConfig;
  try {
    const source = configSource(parsed.options, process.env);
    config = resolveConfig(loadSettings(source, readIfExists(source.path)), parsed.options);
  } catch (e) {
    if (e instanceof ConfigError) die(e.message);
    throw e;
  }

  if (config.dumpConf) {
    process.stdout.write(dumpConfig(config));
    process.exit(0);
  }

  // Relative paths keep meaning what they meant where we were started.
  config = absolutize(config);
  if (config.daemonize && !isDaemonChild()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runAsDaemon } = require('./daemon-parent') as typeof import('./daemon-parent');
    process.exit(await runAsDaemon(process.argv[1], argv));
  }
  if (isDaemonChild()) {
    process.umask(0o077);
    process.chdir('/');
  }

  let state: AgentState;
  try {
    state = AgentState.load(config.statedir);
  } catch (e) {
    die(`failed to load persistent state: ${(e as Error).message}`);
  }

  // While frozen (a previous instance exited with filesystems frozen), qemu-ga
  // defers the log file and pid file: they may live on a frozen filesystem.
  let log = new Logger(config.verbose);
  if (config.logfile && !state.frozen) {
    try {
      log = Logger.openFile(config.logfile, config.verbose);
    } catch (e) {
      die(`unable to open specified log file: ${(e as Error).message}`);
    }
  }
  if (state.frozen) {
    log.warning('previous instance appears to have exited with frozen filesystems; only freeze-safe commands are enabled');
    log.setEnabled(false);
  }
  const logfile = config.logfile;
  if (logfile && state.frozen) {
    state.onThaw(() => {
      try {
        log.redirect(logfile);
      } catch (e) {
        log.warning(`unable to open specified log file: ${(e as Error).message}`);
      }
    });
  }
  state.onThaw(() => {
    log.setEnabled(true);
    log.warning('logging re-enabled due to filesystem unfreeze');
  });

  // qemu-ga writes the pid file when it daemonizes; we also write it when one was named explicitly.
  const wantPidfile = config.daemonize || parsed.options.pidfile !== undefined;
  let pidfile: Pidfile | null = null;
  if (wantPidfile && !state.frozen) {
    try {
      pidfile = Pidfile.acquire(config.pidfile);
    } catch (e) {
      die((e as Error).message);
    }
  } else if (wantPidfile) {
    state.onThaw(() => {
      try {
        pidfile = Pidfile.acquire(config.pidfile);
      } catch (e) {
        log.warning((e as Error).message);
      }
    });
  }

  let stopping = false;
  const agent = new Agent({
    config,
    table: agentTable(),
    handlers,
    log,
    state,
    onFatal: (message) => void shutdown(1, null, message),
  });

  async function shutdown(code: number, signal: NodeJS.Signals | null, reason?: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    if (reason) log.critical(reason);
    if (signal) log.debug(`received signal ${signal}, quitting`);
    let clean = true;
    try {
      clean = (await agent.stop()).clean;
    } catch (e) {
      log.warning(`while stopping: ${(e as Error).message}`);
    }
    pidfile?.release();
    log.close();
    if (!clean) {
      // A reader thread is blocked in the port and cannot be joined (exit
      // would wait for it forever): end the process by the signal's default
      // action instead (for systemd a clean stop), now that all is put away.
      const sig = signal ?? 'SIGTERM';
      process.removeAllListeners(sig);
      process.kill(process.pid, sig);
      return;
    }
    process.exit(code);
  }

  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));

  try {
    await agent.start();
  } catch (e) {
    pidfile?.release();
    die(`failed to initialize guest agent channel: ${(e as Error).message}`);
  }
  log.debug(`guest agent serving on ${config.method}:${config.path}`);
  reportReady();
  startupDone();
}

let startupDone: () => void = () => undefined;

/**
 * Entry point for bin/qga. `onStarted` runs once the agent serves (bin/qga
 * uses it to re-enable V8's optimizing compiler, kept off while the modules
 * load: otherwise module resolution alone gets hot enough to be optimized,
 * which costs start-up time and ~4 MB of idle memory).
 */
export function run(argv: readonly string[], onStarted?: () => void): void {
  if (onStarted) startupDone = onStarted;
  main(argv).catch((e: unknown) => {
    die(e instanceof Error ? (e.stack ?? e.message) : String(e));
  });
}

if (require.main === module) {
  run(process.argv.slice(2));
}
