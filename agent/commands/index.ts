/**
 * The agent's handler object. Typed as the generated `Handlers<AgentContext>`
 * and built as one object literal, so the compiler proves that every command
 * of the schema has exactly one handler (a missing member, or one too many,
 * fails the build).
 */
import { commandTable, type Handlers } from '../../generated/qga/dispatch.gen';
import type { CommandTable } from '../../runtime/dispatch/command';
import type { AgentContext } from '../context';
import { fileHandlers } from './file';
import { infoHandlers } from './info';
import { pingHandlers } from './ping';
import { syncHandlers } from './sync';
import { unsupportedHandlers } from './unsupported';

export const handlers: Handlers<AgentContext> = {
  qmp_guest_sync: syncHandlers.qmp_guest_sync,
  qmp_guest_sync_delimited: syncHandlers.qmp_guest_sync_delimited,
  qmp_guest_ping: pingHandlers.qmp_guest_ping,
  qmp_guest_info: infoHandlers.qmp_guest_info,
  qmp_guest_file_open: fileHandlers.qmp_guest_file_open,
  qmp_guest_file_close: fileHandlers.qmp_guest_file_close,
  qmp_guest_file_read: fileHandlers.qmp_guest_file_read,
  qmp_guest_file_write: fileHandlers.qmp_guest_file_write,
  qmp_guest_file_seek: fileHandlers.qmp_guest_file_seek,
  qmp_guest_file_flush: fileHandlers.qmp_guest_file_flush,
  ...unsupportedHandlers,
};

export type AgentHandlers = Handlers<AgentContext>;

export function agentTable(): CommandTable<AgentHandlers, AgentContext> {
  return commandTable<AgentContext>();
}
