import type { CommandModule } from 'yargs';
import type { LoadOptions } from '../frontend';
import type { Schema } from '../schema/model';
import { writeStderr, writeStdout } from '../stdio';

/**
 * `qapi-gen dump SCHEMA`: the checked model in the format of QEMU's QAPI
 * test harness on stdout (exit 0); a schema error on stderr exactly as QEMU
 * prints it (exit 1); an internal error as one line (exit 2).
 *
 * The front end is loaded when the command runs, not when the CLI starts.
 */
export const dumpCommand: CommandModule<object, { schema: string }> = {
  command: 'dump <schema>',
  describe: "Print the checked schema model in the format of QEMU's QAPI test harness",
  builder: (y) => y.positional('schema', { type: 'string', demandOption: true }),
  handler: (args) => {
    process.exitCode = dumpMain(args.schema);
  },
};

/** The whole command for `schema`: output on stdout/stderr; returns the exit status. */
export function dumpMain(schema: string): number {
  // A reader that goes away early (`| head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      process.exit(e.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
    });
  }
  return runDump(schema, writeStdout, writeStderr);
}

export type SchemaLoader = (file: string, options: LoadOptions) => Schema;

/** The dump command's work, with its outputs (and optionally the loader) injected; returns the exit status. */
export function runDump(file: string, out: (text: string) => void, err: (text: string) => void, load?: SchemaLoader): number {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadSchema } = require('../frontend') as typeof import('../frontend');
  const { dumpSchema } = require('../dump') as typeof import('../dump');
  const { QAPIError } = require('../errors') as typeof import('../errors');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let text: string;
  try {
    text = dumpSchema((load ?? loadSchema)(file, { warn: (msg) => err(msg + '\n') }));
  } catch (e) {
    if (e instanceof QAPIError) {
      err(e.format());
      return 1;
    }
    const what = e instanceof Error ? e.message : String(e);
    err(`qapi-gen: internal error: ${what.split('\n')[0]}\n`);
    return 2;
  }
  out(text);
  return 0;
}
