/**
 * The agent: services, dispatcher and one transport, put together from an
 * effective configuration, a command table and its handlers. main.ts adds the
 * process around it (options, daemon, pid file, signals); tests build an Agent
 * directly with a table of their own.
 */
import type { CommandTable } from '../runtime/dispatch/command';
import { Dispatcher } from '../runtime/dispatch/dispatcher';
import type { FileTable } from './commands/file-table';
import type { AgentConfig } from './config';
import type { AgentContext, AgentServices } from './context';
import { CommandFilter } from './filters';
import type { Logger } from './log';
import { sessionFactory } from './peers';
import type { AgentState } from './state';
import type { DeviceTransport } from './transports/device';
import type { Transport } from './transports/types';
import { UnixListenTransport } from './transports/unix-listen';
import { QGA_VERSION } from './version';

export interface AgentOptions<H> {
  readonly config: AgentConfig;
  readonly table: CommandTable<H, AgentContext>;
  readonly handlers: H;
  readonly log: Logger;
  readonly state: AgentState;
  /** The port failed for good (device gone, no retry-path). */
  readonly onFatal?: (message: string) => void;
}

export class Agent<H> {
  readonly services: AgentServices;
  readonly dispatcher: Dispatcher<H, AgentContext>;
  private readonly transport: Transport;
  /** Created by the first guest-file-* command (see `files` below). */
  private fileTable: FileTable | undefined;

  constructor(options: AgentOptions<H>) {
    const { config, table, handlers, log, state } = options;
    const filter = new CommandFilter({ allow: config.allowRpcs, block: config.blockRpcs }, () => state.frozen);
    const agent = this;
    this.services = {
      version: QGA_VERSION,
      // The file table and its helpers (errno texts, base64) load on first
      // use: start-up pays per module loaded, and guest-sync needs none of them.
      get files(): FileTable {
        return (agent.fileTable ??= new (loadFileTable())(() => state.nextHandle()));
      },
      state,
      filter,
      log,
      commands: table.map((c) => ({ name: c.name, successResponse: c.successResponse })),
      fsfreezeHook: config.fsfreezeHook,
      thawOnStop: [],
    };
    const services = this.services;
    this.dispatcher = new Dispatcher<H, AgentContext>({
      table,
      handlers,
      isEnabled: (name) => filter.isEnabled(name),
      context: (request) => ({ agent: services, request }),
      onHandlerError: (command, error) =>
        log.warning(`${command}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    const peers = sessionFactory(this.dispatcher);
    const logTo = (level: 'debug' | 'warning' | 'critical', message: string) => log.log(level, message);
    this.transport =
      config.method === 'unix-listen'
        ? new UnixListenTransport({ path: config.path, peers, log: logTo })
        : new (loadDeviceTransport())({
            path: config.path,
            kind: config.method,
            peers,
            retryPath: config.retryPath,
            log: logTo,
            onFatal: options.onFatal,
          });
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  /**
   * Stop serving and put everything away: the transport (socket file
   * removed), open guest files closed, state saved. Filesystems the agent
   * froze are thawed first (guest-fsfreeze-* is a later issue; its thaw hooks
   * in here). Resolves `clean: false` when a reader thread is still blocked in
   * the port, so the process must end without waiting for it.
   */
  async stop(): Promise<{ clean: boolean }> {
    if (this.services.state.frozen) {
      for (const thaw of this.services.thawOnStop) {
        try {
          await thaw();
        } catch (e) {
          this.services.log.warning(`failed to thaw filesystems while stopping: ${(e as Error).message}`);
        }
      }
    }
    await this.transport.stop();
    this.fileTable?.closeAll();
    try {
      if (!this.services.state.frozen) this.services.state.save();
    } catch (e) {
      this.services.log.warning((e as Error).message);
    }
    const stuck = 'stuck' in this.transport && (this.transport as DeviceTransport).stuck;
    return { clean: !stuck };
  }
}

/** Loaded only for the device methods: worker threads and stty are not needed on a socket. */
function loadDeviceTransport(): typeof DeviceTransport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./transports/device') as typeof import('./transports/device')).DeviceTransport;
}

function loadFileTable(): typeof FileTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./commands/file-table') as typeof import('./commands/file-table')).FileTable;
}
