/**
 * A small hand-written command table for transport and session tests, so
 * they do not depend on the generated one: the agent's own handlers for the
 * protocol commands, plus `test-slow` (answers after a delay) and
 * `test-throw` (a handler that fails with a plain Error).
 */
import type { CommandDescriptor, CommandTable } from '../../../runtime/dispatch/command';
import type { JsonObject, JsonValue } from '../../../runtime/json/value';
import { genericError } from '../../../runtime/errors';
import type { AgentContext } from '../../../agent/context';
import { syncHandlers } from '../../../agent/commands/sync';
import { pingHandlers } from '../../../agent/commands/ping';
import { infoHandlers } from '../../../agent/commands/info';
import { fileHandlers } from '../../../agent/commands/file';

export const localHandlers = {
  ...syncHandlers,
  ...pingHandlers,
  ...infoHandlers,
  ...fileHandlers,
  async test_slow(args: { ms: bigint }): Promise<bigint> {
    await new Promise((r) => setTimeout(r, Number(args.ms)));
    return args.ms;
  },
  test_throw(): never {
    throw new Error('boom from a handler');
  },
};
export type LocalHandlers = typeof localHandlers;

function int(args: JsonObject, key: string, optional = false): bigint | undefined {
  const v = args[key];
  if (v === undefined) {
    if (optional) return undefined;
    throw genericError(`Parameter '${key}' is missing`);
  }
  if (typeof v !== 'bigint') throw genericError(`Invalid parameter type for '${key}', expected: integer`);
  return v;
}

function str(args: JsonObject, key: string, optional = false): string | undefined {
  const v = args[key];
  if (v === undefined) {
    if (optional) return undefined;
    throw genericError(`Parameter '${key}' is missing`);
  }
  if (typeof v !== 'string') throw genericError(`Invalid parameter type for '${key}', expected: string`);
  return v;
}

function toJson(v: unknown): JsonValue {
  if (v === undefined) return Object.create(null) as JsonObject;
  return v as JsonValue;
}

function cmd(
  name: string,
  handler: keyof LocalHandlers,
  call: (h: LocalHandlers, a: JsonObject, c: AgentContext) => unknown,
  successResponse = true,
): CommandDescriptor<LocalHandlers, AgentContext> {
  return {
    name,
    handler,
    successResponse,
    allowOob: false,
    allowPreconfig: false,
    features: [],
    call: async (h, a, c) => toJson(await call(h, a, c)),
  };
}

export const localTable: CommandTable<LocalHandlers, AgentContext> = [
  cmd('guest-sync-delimited', 'qmp_guest_sync_delimited', (h, a, c) => h.qmp_guest_sync_delimited({ id: int(a, 'id')! }, c)),
  cmd('guest-sync', 'qmp_guest_sync', (h, a) => h.qmp_guest_sync({ id: int(a, 'id')! })),
  cmd('guest-ping', 'qmp_guest_ping', (h, _a, c) => h.qmp_guest_ping({}, c)),
  cmd('guest-info', 'qmp_guest_info', (h, _a, c) => h.qmp_guest_info({}, c)),
  cmd('guest-file-open', 'qmp_guest_file_open', (h, a, c) =>
    h.qmp_guest_file_open({ path: str(a, 'path')!, mode: str(a, 'mode', true) }, c),
  ),
  cmd('guest-file-close', 'qmp_guest_file_close', (h, a, c) => h.qmp_guest_file_close({ handle: int(a, 'handle')! }, c)),
  cmd('guest-file-read', 'qmp_guest_file_read', (h, a, c) =>
    h.qmp_guest_file_read({ handle: int(a, 'handle')!, count: int(a, 'count', true) }, c),
  ),
  cmd('guest-file-write', 'qmp_guest_file_write', (h, a, c) =>
    h.qmp_guest_file_write({ handle: int(a, 'handle')!, 'buf-b64': str(a, 'buf-b64')!, count: int(a, 'count', true) }, c),
  ),
  cmd('guest-file-seek', 'qmp_guest_file_seek', (h, a, c) => {
    const w = a['whence'];
    const whence = typeof w === 'string' && (w === 'set' || w === 'cur' || w === 'end') ? w : typeof w === 'bigint' ? w : 0n;
    return h.qmp_guest_file_seek({ handle: int(a, 'handle')!, offset: int(a, 'offset')!, whence }, c);
  }),
  cmd('guest-file-flush', 'qmp_guest_file_flush', (h, a, c) => h.qmp_guest_file_flush({ handle: int(a, 'handle')! }, c)),
  cmd('guest-shutdown', 'test_throw', () => undefined, false),
  cmd('test-slow', 'test_slow', (h, a) => h.test_slow({ ms: int(a, 'ms')! })),
  cmd('test-throw', 'test_throw', (h) => h.test_throw()),
];
