import { QmpError, genericError } from '../../runtime/errors';
import type { CommandTable } from '../../runtime/dispatch/command';
import type { RequestControl } from '../../runtime/dispatch/request';
import type { JsonObject, JsonValue } from '../../runtime/json/value';

/** A small hand-written table standing in for generated code. */
export interface Handlers {
  qmp_guest_ping(): Promise<void>;
  qmp_guest_sync(id: bigint): Promise<bigint>;
  qmp_guest_sync_delimited(id: bigint, ctx: Ctx): Promise<bigint>;
  qmp_guest_shutdown(): Promise<void>;
  qmp_guest_crash(): Promise<void>;
  qmp_guest_sleep(ms: bigint): Promise<bigint>;
}

export interface Ctx {
  readonly request: RequestControl;
}

function intArg(args: JsonObject, name: string): bigint {
  const v = args[name];
  if (v === undefined) throw genericError(`Parameter '${name}' is missing`);
  if (typeof v !== 'bigint') throw genericError(`Invalid parameter type for '${name}', expected: integer`);
  return v;
}

function noArgs(args: JsonObject): void {
  for (const k of Object.keys(args)) throw genericError(`Parameter '${k}' is unexpected`);
}

function entry(
  name: string,
  handler: keyof Handlers,
  call: (h: Handlers, args: JsonObject, ctx: Ctx) => Promise<JsonValue>,
  successResponse = true,
): CommandTable<Handlers, Ctx>[number] {
  return { name, handler, successResponse, allowOob: false, allowPreconfig: false, features: [], call };
}

export const table: CommandTable<Handlers, Ctx> = [
  entry('guest-ping', 'qmp_guest_ping', async (h, a) => {
    noArgs(a);
    await h.qmp_guest_ping();
    return Object.create(null) as JsonObject;
  }),
  entry('guest-sync', 'qmp_guest_sync', async (h, a) => h.qmp_guest_sync(intArg(a, 'id'))),
  entry('guest-sync-delimited', 'qmp_guest_sync_delimited', async (h, a, c) => h.qmp_guest_sync_delimited(intArg(a, 'id'), c)),
  entry(
    'guest-shutdown',
    'qmp_guest_shutdown',
    async (h) => {
      await h.qmp_guest_shutdown();
      return Object.create(null) as JsonObject;
    },
    false,
  ),
  entry('guest-crash', 'qmp_guest_crash', async (h) => {
    await h.qmp_guest_crash();
    return null;
  }),
  entry('guest-sleep', 'qmp_guest_sleep', async (h, a) => h.qmp_guest_sleep(intArg(a, 'ms'))),
];

export const handlers: Handlers = {
  async qmp_guest_ping() {},
  async qmp_guest_sync(id) {
    return id;
  },
  async qmp_guest_sync_delimited(id, ctx) {
    ctx.request.delimitResponse();
    return id;
  },
  async qmp_guest_shutdown() {},
  async qmp_guest_crash() {
    throw new TypeError('boom: cannot read x of undefined');
  },
  async qmp_guest_sleep(ms) {
    await new Promise((r) => setTimeout(r, Number(ms)));
    return ms;
  },
};

export { QmpError };
