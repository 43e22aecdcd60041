/**
 * An in-process stand-in for our agent that serves only the protocol
 * commands (guest-sync, guest-sync-delimited, guest-ping) through this
 * repository's runtime: streamer, dispatcher, session. It lets the
 * protocol part of the battery run against qemu-ga without bin/qga, so the
 * wire layer is checked on its own. Other commands are registered (so
 * "disabled" and "not found" answer right) but not implemented.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { CommandTable } from '../../runtime/dispatch/command';
import { Dispatcher } from '../../runtime/dispatch/dispatcher';
import type { RequestControl } from '../../runtime/dispatch/request';
import { genericError } from '../../runtime/errors';
import { qdictOrder } from '../../runtime/json/qdict-order';
import type { JsonObject, JsonValue } from '../../runtime/json/value';
import { ProtocolSession, streamSink } from '../../runtime/session';
import { BLOCKED } from './agents';

const QGA_COMMANDS = [
  'guest-sync-delimited', 'guest-sync', 'guest-ping', 'guest-get-time', 'guest-set-time', 'guest-info', 'guest-shutdown',
  'guest-file-open', 'guest-file-close', 'guest-file-read', 'guest-file-write', 'guest-file-seek', 'guest-file-flush',
  'guest-fsfreeze-status', 'guest-fsfreeze-freeze', 'guest-fsfreeze-freeze-list', 'guest-fsfreeze-thaw', 'guest-fstrim',
  'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid', 'guest-network-get-interfaces', 'guest-get-vcpus',
  'guest-set-vcpus', 'guest-get-disks', 'guest-get-fsinfo', 'guest-set-user-password', 'guest-get-memory-blocks',
  'guest-set-memory-blocks', 'guest-get-memory-block-info', 'guest-exec-status', 'guest-exec', 'guest-get-host-name',
  'guest-get-users', 'guest-get-timezone', 'guest-get-osinfo', 'guest-get-devices', 'guest-ssh-get-authorized-keys',
  'guest-ssh-add-authorized-keys', 'guest-ssh-remove-authorized-keys', 'guest-get-diskstats', 'guest-get-cpustats',
  'guest-get-load', 'guest-network-get-route',
];
const NO_SUCCESS_RESPONSE = ['guest-shutdown', 'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid'];

interface Ctx {
  readonly request: RequestControl;
}
type Handlers = Record<string, (args: JsonObject, ctx: Ctx) => Promise<JsonValue>>;

/** QEMU's input visitor for a struct of int members: missing, then type, then unexpected (QDict order). */
function intMembers(args: JsonObject, names: readonly string[]): bigint[] {
  const values = names.map((n) => {
    const v = args[n];
    if (v === undefined) throw genericError(`Parameter '${n}' is missing`);
    if (typeof v !== 'bigint' || v < -(2n ** 63n) || v >= 2n ** 63n) {
      throw genericError(`Invalid parameter type for '${n}', expected: integer`);
    }
    return v;
  });
  for (const k of qdictOrder(Object.keys(args))) {
    if (!names.includes(k)) throw genericError(`Parameter '${k}' is unexpected`);
  }
  return values;
}

const handlers: Handlers = {
  'guest-sync': async (a) => intMembers(a, ['id'])[0]!,
  'guest-sync-delimited': async (a, ctx) => {
    const [id] = intMembers(a, ['id']);
    ctx.request.delimitResponse();
    return id!;
  },
  'guest-ping': async (a) => {
    intMembers(a, []);
    return Object.create(null) as JsonObject;
  },
};

const table: CommandTable<Handlers, Ctx> = QGA_COMMANDS.map((name) => ({
  name,
  handler: name,
  successResponse: !NO_SUCCESS_RESPONSE.includes(name),
  allowOob: false,
  allowPreconfig: false,
  features: [],
  call: (h: Handlers, args: JsonObject, ctx: Ctx) => {
    const f = h[name];
    if (!f) return Promise.reject(new Error(`${name} is not implemented by the protocol reference`));
    return f(args, ctx);
  },
}));

export interface ReferenceAgent {
  readonly socket: string;
  readonly alive: boolean;
  stop(): Promise<void>;
}

/** Serve the protocol reference on `socket`, one client at a time like qemu-ga's unix-listen. */
export async function startReferenceAgent(socket: string): Promise<ReferenceAgent> {
  fs.rmSync(socket, { force: true });
  const dispatcher = new Dispatcher({
    table,
    handlers,
    isEnabled: (name) => !BLOCKED.includes(name),
    context: (request) => ({ request }),
  });
  let current: net.Socket | undefined;
  const session = new ProtocolSession({
    dispatch: (r) => dispatcher.dispatch(r),
    write: () => undefined,
    pause: () => current?.pause(),
    resume: () => current?.resume(),
  });
  const server = net.createServer((conn) => {
    current = conn;
    session.reset(streamSink(conn));
    conn.on('data', (d: Buffer) => session.feed(d));
    conn.on('error', () => undefined);
    conn.on('close', () => {
      if (current === conn) session.reset();
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  let alive = true;
  return {
    socket,
    get alive() {
      return alive;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        alive = false;
        current?.destroy();
        server.close(() => resolve());
      }),
  };
}
