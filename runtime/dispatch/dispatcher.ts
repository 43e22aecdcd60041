/**
 * Request checks in QEMU's order (qapi/qmp-dispatch.c, as qemu-ga 10.0
 * calls it: no out-of-band commands), then the generated marshaller.
 */
import { QmpError } from '../errors';
import { qdictOrder } from '../json/qdict-order';
import type { JsonObject, JsonValue } from '../json/value';
import type { CommandDescriptor, CommandTable } from './command';
import { RequestControl } from './request';
import { errorResponse, returnResponse, toQmpError } from './response';

export interface DispatcherOptions<H, C> {
  readonly table: CommandTable<H, C>;
  readonly handlers: H;
  /** Allow/block lists, frozen state, OS support: false makes the command "disabled". Default: all enabled. */
  readonly isEnabled?: (name: string) => boolean;
  /** The handler context for one request; `request` carries per-request controls (delimited response). */
  readonly context: (request: RequestControl) => C;
  /** Told about handler failures that were not QmpError (for the agent's log). */
  readonly onHandlerError?: (command: string, error: unknown) => void;
}

/** What the session writes for one request: a response object (or none), and whether to prefix 0xFF. */
export interface DispatchResult {
  readonly response: JsonObject | null;
  readonly delimited: boolean;
}

export const DISABLED_REASON = 'the command is not allowed';

function isObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The member checks of qmp_dispatch_check_obj(), in QDict order; returns the error text or undefined. */
export function checkRequestMembers(request: JsonObject): string | undefined {
  let hasExecute = false;
  for (const key of qdictOrder(Object.keys(request))) {
    const value = request[key]!;
    if (key === 'execute') {
      if (typeof value !== 'string') return "QMP input member 'execute' must be a string";
      hasExecute = true;
    } else if (key === 'arguments') {
      if (!isObject(value)) return "QMP input member 'arguments' must be an object";
    } else if (key !== 'id') {
      return `QMP input member '${key}' is unexpected`;
    }
  }
  return hasExecute ? undefined : "QMP input lacks member 'execute'";
}

export class Dispatcher<H, C> {
  private readonly commands = new Map<string, CommandDescriptor<H, C>>();

  constructor(private readonly options: DispatcherOptions<H, C>) {
    for (const cmd of options.table) this.commands.set(cmd.name, cmd);
  }

  /** Whether `name` is registered (enabled or not). */
  has(name: string): boolean {
    return this.commands.has(name);
  }

  /** Dispatch one parsed request. Never throws: every failure becomes an error response. */
  async dispatch(request: JsonValue): Promise<DispatchResult> {
    if (!isObject(request)) {
      return { response: errorResponse('GenericError', 'QMP input must be a JSON object'), delimited: false };
    }
    const id = Object.prototype.hasOwnProperty.call(request, 'id') ? { value: request['id']! } : undefined;
    const fail = (e: QmpError): DispatchResult => ({
      response: errorResponse(e.errorClass, e.message, id),
      delimited: false,
    });
    const memberError = checkRequestMembers(request);
    if (memberError !== undefined) return fail(new QmpError('GenericError', memberError));
    const name = request['execute'] as string;
    const cmd = this.commands.get(name);
    if (!cmd) return fail(new QmpError('CommandNotFound', `The command ${name} has not been found`));
    if (this.options.isEnabled && !this.options.isEnabled(name)) {
      return fail(new QmpError('CommandNotFound', `Command ${name} has been disabled: ${DISABLED_REASON}`));
    }
    const args = (request['arguments'] as JsonObject | undefined) ?? (Object.create(null) as JsonObject);
    const control = new RequestControl(id?.value);
    let ret: JsonValue | undefined;
    try {
      ret = await cmd.call(this.options.handlers, args, this.options.context(control));
    } catch (e) {
      if (!(e instanceof QmpError)) this.options.onHandlerError?.(name, e);
      return fail(toQmpError(e));
    }
    if (!cmd.successResponse) return { response: null, delimited: false };
    // Commands without 'returns' answer {} (a marshaller that resolves to nothing gets the same).
    if (ret === undefined) ret = Object.create(null) as JsonObject;
    return { response: returnResponse(ret, id), delimited: control.delimited };
  }
}
