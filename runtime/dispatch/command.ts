import type { JsonObject, JsonValue } from '../json/value';

/**
 * One entry of a generated dispatch table.
 *
 * `H` is the generated handler interface (members named qmp_<c_name>), `C` the
 * context object passed to every handler. `call` runs the generated
 * marshaller: decode and check `args` with QEMU's messages (throwing
 * QmpError GenericError), call `handlers[handler]`, encode the result.
 * Commands without 'returns' answer `{}`. The result is a promise only when
 * the handler returned one; argument errors are thrown synchronously.
 */
export interface CommandDescriptor<H, C> {
  /** Wire name, e.g. 'guest-file-read'. */
  readonly name: string;
  /** Handler member name, e.g. 'qmp_guest_file_read'. */
  readonly handler: keyof H & string;
  readonly successResponse: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly features: readonly string[];
  readonly call: (handlers: H, args: JsonObject, context: C) => JsonValue | Promise<JsonValue>;
}

export type CommandTable<H, C> = readonly CommandDescriptor<H, C>[];
