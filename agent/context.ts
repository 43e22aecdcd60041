/**
 * What handlers reach: the agent's services (shared) and the request's own
 * controls (per request). System effects go through here, so tests can point
 * a handler at fixtures by building a context of their own.
 */
import type { RequestControl } from '../runtime/dispatch/request';
import type { FileTable } from './commands/file-table';
import type { CommandFilter } from './filters';
import type { Logger } from './log';
import type { AgentState } from './state';

export interface CommandInfo {
  readonly name: string;
  readonly successResponse: boolean;
}

export interface AgentServices {
  readonly version: string;
  readonly files: FileTable;
  readonly state: AgentState;
  readonly filter: CommandFilter;
  readonly log: Logger;
  /** Registered commands, in registration (schema) order. */
  readonly commands: readonly CommandInfo[];
  /** -F/--fsfreeze-hook: the script guest-fsfreeze-* runs (freeze is a later issue). */
  readonly fsfreezeHook?: string;
  /**
   * Run when the agent stops while filesystems are frozen (SIGTERM/SIGINT):
   * whoever froze them registers how to thaw them here.
   */
  readonly thawOnStop: Array<() => Promise<void> | void>;
}

export interface AgentContext {
  readonly agent: AgentServices;
  readonly request: RequestControl;
}
