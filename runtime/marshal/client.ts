/** What generated client stubs need from a connection. */
import type { JsonObject, JsonValue } from '../json/value';

export interface ExecuteOptions {
  /** False for commands that send no response on success (success-response: false). */
  readonly successResponse?: boolean;
}

/**
 * A minimal transport: send `{"execute": command, "arguments": args}` and
 * resolve with the `return` value, or reject with a QmpError for an
 * `error` response. `args` is undefined for commands without arguments.
 */
export interface Transport {
  execute(command: string, args: JsonObject | undefined, options?: ExecuteOptions): Promise<JsonValue>;
}
