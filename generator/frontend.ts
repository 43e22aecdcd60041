/**
 * The QAPI front end: schema file -> checked plain model.
 *
 *   parser (lexer, doc blocks, include/pragma) -> expr (shape checks)
 *   -> schema (entities, check, docs) -> model
 *
 * Every problem with the input ends in a QAPIError (errors.ts).
 */
import { QAPIError } from './errors';
import { checkExprs } from './expr';
import { parseSchema, ReadFailure } from './parser';
import { buildSchema } from './schema/schema';
import type { Schema } from './schema/model';
import { toModel } from './schema/to-model';
import { writeStderr } from './stdio';

export { QAPIError } from './errors';
export type { Schema } from './schema/model';

export interface LoadOptions {
  /**
   * Receives deprecation warnings ("FILE:LINE: warning: ..."), one line
   * each, without trailing newline. Default: written to stderr.
   */
  readonly warn?: (message: string) => void;
}

function warnOnStderr(message: string): void {
  writeStderr(message + '\n');
}

/** Parse and check `file` the way QEMU 10.0's QAPISchema does. Throws QAPIError. */
export function loadSchema(file: string, options: LoadOptions = {}): Schema {
  let parsed;
  try {
    parsed = parseSchema(file, { warn: options.warn ?? warnOnStderr });
  } catch (err) {
    if (err instanceof ReadFailure) {
      throw new QAPIError(null, `can't read schema file '${file}': ${err.strerror}`);
    }
    throw err;
  }
  checkExprs(parsed.exprs);
  return toModel(file, buildSchema(file, parsed.exprs, parsed.docs));
}
