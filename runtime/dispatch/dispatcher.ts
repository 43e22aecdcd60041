/**
 * Request checks in QEMU's order (qapi/qmp-dispatch.c, as qemu-ga 10.0
 * calls it: no out-of-band commands), then the generated marshaller.
 */
import { QmpError } from '../errors';
import { qdictOrder } from '../json/qdict-order';
import { isPromiseLike } from '../marshal/output';
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

/** What is wrong with one request member, if anything (qmp_dispatch_check_obj()). */
function memberProblem(key: string, value: JsonValue): string | undefined {
  if (key === 'execute') return typeof value === 'string' ? undefined : "QMP input member 'execute' must be a string";
  if (key === 'arguments') return isObject(value) ? undefined : "QMP input member 'arguments' must be an object";
  return key === 'id' ? undefined : `QMP input member '${key}' is unexpected`;
}

/** The member checks of qmp_dispatch_check_obj(), in QDict order; returns the error text or undefined. */
export function checkRequestMembers(request: JsonObject): string | undefined {
  const keys = Object.keys(request);
  // Nearly every request has no bad member, and then the order does not
  // matter: it only decides which error wins when several members are wrong.
  let bad = false;
  for (const key of keys) {
    if (memberProblem(key, request[key]!) !== undefined) {
      bad = true;
      break;
    }
  }
  if (bad) {
    for (const key of qdictOrder(keys)) {
      const problem = memberProblem(key, request[key]!);
      if (problem !== undefined) return problem;
    }
  }
  return 'execute' in request ? undefined : "QMP input lacks member 'execute'";
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

  /**
   * Dispatch one parsed request. Never throws: every failure becomes an
   * error response. The result is a promise only when the handler returned
   * one (a synchronous handler is answered in the same turn).
   */
  dispatch(request: JsonValue): DispatchResult | Promise<DispatchResult> {
    if (!isObject(request)) {
      return { response: errorResponse('GenericError', 'QMP input must be a JSON object'), delimited: false };
    }
    const id = Object.prototype.hasOwnProperty.call(request, 'id') ? { value: request['id']! } : undefined;
    const memberError = checkRequestMembers(request);
    if (memberError !== undefined) return failure(new QmpError('GenericError', memberError), id);
    const name = request['execute'] as string;
    const cmd = this.commands.get(name);
    if (!cmd) return failure(new QmpError('CommandNotFound', `The command ${name} has not been found`), id);
    if (this.options.isEnabled && !this.options.isEnabled(name)) {
      return failure(new QmpError('CommandNotFound', `Command ${name} has been disabled: ${DISABLED_REASON}`), id);
    }
    const args = (request['arguments'] as JsonObject | undefined) ?? (Object.create(null) as JsonObject);
    const control = new RequestControl(id?.value);
    let ret: JsonValue | Promise<JsonValue>;
    try {
      ret = cmd.call(this.options.handlers, args, this.options.context(control));
    } catch (e) {
      return this.handlerFailed(name, e, id);
    }
    if (isPromiseLike(ret)) {
      return Promise.resolve(ret).then(
        (value) => succeeded(cmd.successResponse, value, control, id),
        (e: unknown) => this.handlerFailed(name, e, id),
      );
    }
    return succeeded(cmd.successResponse, ret, control, id);
  }

  private handlerFailed(name: string, e: unknown, id: RequestId): DispatchResult {
    if (!(e instanceof QmpError)) this.options.onHandlerError?.(name, e);
    return failure(toQmpError(e), id);
  }
}

type RequestId = { value: JsonValue } | undefined;

function failure(e: QmpError, id: RequestId): DispatchResult {
  return { response: errorResponse(e.errorClass, e.message, id), delimited: false };
}

function succeeded(successResponse: boolean, ret: JsonValue | undefined, control: RequestControl, id: RequestId): DispatchResult {
  if (!successResponse) return { response: null, delimited: false };
  // Commands without 'returns' answer {} (a marshaller that gives nothing gets the same).
  return { response: returnResponse(ret === undefined ? (Object.create(null) as JsonObject) : ret, id), delimited: control.delimited };
}
