/** Start an in-process Agent with the local table on a temporary unix socket or port. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from '../../../agent/agent';
import type { AgentConfig } from '../../../agent/config';
import { Logger } from '../../../agent/log';
import { AgentState } from '../../../agent/state';
import { localHandlers, localTable, type LocalHandlers } from './local-table';

export interface Fixture {
  dir: string;
  socket: string;
  agent: Agent<LocalHandlers>;
  state: AgentState;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'qga-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(overrides: Partial<AgentConfig>): AgentConfig {
  return {
    method: 'unix-listen',
    path: '',
    pidfile: '',
    statedir: '',
    verbose: false,
    daemonize: false,
    retryPath: false,
    dumpConf: false,
    blockRpcs: [],
    allowRpcs: [],
    ...overrides,
  };
}

export async function startAgent(overrides: Partial<AgentConfig> = {}): Promise<Fixture> {
  const dir = tempDir();
  const socket = overrides.path ?? path.join(dir, 'qga.sock');
  const state = AgentState.load(dir);
  const config = testConfig({ path: socket, statedir: dir, ...overrides });
  const agent = new Agent<LocalHandlers>({
    config,
    table: localTable,
    handlers: localHandlers,
    log: new Logger(false),
    state,
  });
  await agent.start();
  return {
    dir,
    socket,
    agent,
    state,
    async stop() {
      await agent.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { Dispatcher } from '../../../runtime/dispatch/dispatcher';
import { FileTable } from '../../../agent/commands/file-table';
import { CommandFilter } from '../../../agent/filters';
import type { AgentContext, AgentServices } from '../../../agent/context';
import { sessionFactory } from '../../../agent/peers';
import type { PeerFactory } from '../../../agent/transports/types';

/** A session factory over the local table, for driving a transport directly. */
export function localPeers(dir: string): PeerFactory {
  const state = AgentState.load(dir);
  const filter = new CommandFilter({ allow: [], block: [] }, () => state.frozen);
  const services: AgentServices = {
    version: 'test',
    files: new FileTable(() => state.nextHandle()),
    state,
    filter,
    log: new Logger(false),
    commands: localTable.map((c) => ({ name: c.name, successResponse: c.successResponse })),
    thawOnStop: [],
  };
  const dispatcher = new Dispatcher<LocalHandlers, AgentContext>({
    table: localTable,
    handlers: localHandlers,
    isEnabled: (n) => filter.isEnabled(n),
    context: (request) => ({ agent: services, request }),
  });
  return sessionFactory(dispatcher);
}
