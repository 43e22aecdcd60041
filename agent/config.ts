/**
 * The effective configuration: qemu-ga's key file (`[general]`), then the
 * command line on top (last value wins, RPC lists accumulate), then the
 * defaults. `-D` prints it back in qemu-ga's format.
 */
import {
  CliOptions,
  DEFAULT_CONFIG_PATH,
  DEFAULT_PIDFILE,
  DEFAULT_SERIAL_PATH,
  DEFAULT_STATEDIR,
  DEFAULT_VIRTIO_PATH,
  Method,
  isMethod,
  splitList,
} from './options';
import { KeyFile, KeyFileError, escapeValue, formatKeyFile, getBoolean, getString, hasKey, parseKeyFile } from './keyfile';

export interface AgentConfig {
  method: Method;
  path: string;
  logfile?: string;
  pidfile: string;
  fsfreezeHook?: string;
  statedir: string;
  verbose: boolean;
  daemonize: boolean;
  retryPath: boolean;
  dumpConf: boolean;
  blockRpcs: string[];
  allowRpcs: string[];
}

/** What the key file can set (same shape as the command line's). */
export type FileSettings = Omit<CliOptions, 'config' | 'dumpConf'>;

export class ConfigError extends Error {}

/** Which file to read and whether its absence is an error (`-c` makes it required). */
export function configSource(cli: CliOptions, env: NodeJS.ProcessEnv): { path: string; required: boolean } {
  if (cli.config !== undefined) {
    return { path: cli.config, required: true };
  }
  return { path: env.QGA_CONF ?? DEFAULT_CONFIG_PATH, required: false };
}

/** Read `[general]` the way qemu-ga's config_load() does. */
export function settingsFromKeyFile(file: KeyFile): FileSettings {
  const g = 'general';
  const out: FileSettings = { blockRpcs: [], allowRpcs: [] };
  if (hasKey(file, g, 'daemon')) out.daemonize = getBoolean(file, g, 'daemon');
  if (hasKey(file, g, 'method')) out.method = getString(file, g, 'method');
  if (hasKey(file, g, 'path')) out.path = getString(file, g, 'path');
  if (hasKey(file, g, 'logfile')) out.logfile = getString(file, g, 'logfile');
  if (hasKey(file, g, 'pidfile')) out.pidfile = getString(file, g, 'pidfile');
  if (hasKey(file, g, 'fsfreeze-hook')) out.fsfreezeHook = getString(file, g, 'fsfreeze-hook');
  if (hasKey(file, g, 'statedir')) out.statedir = getString(file, g, 'statedir');
  // qemu-ga only ever turns verbose on from the file.
  if (hasKey(file, g, 'verbose') && getBoolean(file, g, 'verbose')) out.verbose = true;
  if (hasKey(file, g, 'retry-path')) out.retryPath = getBoolean(file, g, 'retry-path');
  if (hasKey(file, g, 'block-rpcs')) out.blockRpcs.push(...splitList(getString(file, g, 'block-rpcs')));
  if (hasKey(file, g, 'allow-rpcs')) out.allowRpcs.push(...splitList(getString(file, g, 'allow-rpcs')));
  return out;
}

/**
 * Parse the config file text (or its absence) into settings.
 * `text === undefined` means the file does not exist.
 */
export function loadSettings(source: { path: string; required: boolean }, text: string | undefined): FileSettings {
  const empty: FileSettings = { blockRpcs: [], allowRpcs: [] };
  if (text === undefined) {
    if (source.required) {
      throw new ConfigError(
        `error loading configuration from path: ${source.path}, Failed to open file “${source.path}”: No such file or directory`,
      );
    }
    return empty;
  }
  try {
    return settingsFromKeyFile(parseKeyFile(text));
  } catch (e) {
    if (e instanceof KeyFileError) {
      throw new ConfigError(`error loading configuration from path: ${source.path}, ${e.message}`);
    }
    throw e;
  }
}

/** Command line over file over defaults; validates the method and path. */
export function resolveConfig(file: FileSettings, cli: CliOptions): AgentConfig {
  const method = cli.method ?? file.method ?? 'virtio-serial';
  if (!isMethod(method)) {
    throw new ConfigError(`unsupported channel method/type: ${method} (expected virtio-serial, isa-serial or unix-listen)`);
  }
  let path = cli.path ?? file.path;
  if (path === undefined) {
    if (method === 'virtio-serial') path = DEFAULT_VIRTIO_PATH;
    else if (method === 'isa-serial') path = DEFAULT_SERIAL_PATH;
    else throw new ConfigError('must specify a path for this channel');
  }
  if (path === '') {
    throw new ConfigError('the channel path must not be empty');
  }
  return {
    method,
    path,
    logfile: cli.logfile ?? file.logfile,
    pidfile: cli.pidfile ?? file.pidfile ?? DEFAULT_PIDFILE,
    fsfreezeHook: cli.fsfreezeHook ?? file.fsfreezeHook,
    statedir: cli.statedir ?? file.statedir ?? DEFAULT_STATEDIR,
    verbose: Boolean(cli.verbose || file.verbose),
    daemonize: Boolean(cli.daemonize ?? file.daemonize ?? false),
    retryPath: Boolean(cli.retryPath ?? file.retryPath ?? false),
    dumpConf: Boolean(cli.dumpConf),
    blockRpcs: [...file.blockRpcs, ...cli.blockRpcs],
    allowRpcs: [...file.allowRpcs, ...cli.allowRpcs],
  };
}

/** `-D`: the effective configuration as qemu-ga 10.0 prints it. */
export function dumpConfig(config: AgentConfig): string {
  const entries: [string, string][] = [];
  entries.push(['daemon', String(config.daemonize)]);
  entries.push(['method', escapeValue(config.method)]);
  entries.push(['path', escapeValue(config.path)]);
  if (config.logfile !== undefined) entries.push(['logfile', escapeValue(config.logfile)]);
  entries.push(['pidfile', escapeValue(config.pidfile)]);
  if (config.fsfreezeHook !== undefined) entries.push(['fsfreeze-hook', escapeValue(config.fsfreezeHook)]);
  entries.push(['statedir', escapeValue(config.statedir)]);
  entries.push(['verbose', String(config.verbose)]);
  entries.push(['retry-path', String(config.retryPath)]);
  entries.push(['block-rpcs', escapeValue(config.blockRpcs.join(','))]);
  entries.push(['allow-rpcs', escapeValue(config.allowRpcs.join(','))]);
  return formatKeyFile([['general', entries]]);
}
