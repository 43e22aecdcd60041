import type { CommandModule } from 'yargs';
import { dumpSchema } from '../dump';
import { loadSchema, QAPIError } from '../frontend';
import type { Schema } from '../schema/model';

/**
 * `qapi-gen dump SCHEMA`: the checked model in the format of QEMU's QAPI
 * test harness on stdout (exit 0); a schema error on stderr exactly as QEMU
 * prints it (exit 1); an internal error as one line (exit 2).
 */
export const dumpCommand: CommandModule<object, { schema: string }> = {
  command: 'dump <schema>',
  describe: "Print the checked schema model in the format of QEMU's QAPI test harness",
  builder: (y) => y.positional('schema', { type: 'string', demandOption: true }),
  handler: (args) => {
    // A reader that goes away early (`| head`) is not an error worth a stack trace.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        process.exit(e.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
      });
    }
    process.exitCode = runDump(args.schema, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  },
};

/** The dump command's work, with its outputs injected; returns the exit status. */
export function runDump(
  file: string,
  out: (text: string) => void,
  err: (text: string) => void,
  load: typeof loadSchema = loadSchema,
): number {
  let text: string;
  try {
    const schema: Schema = load(file, { warn: (msg) => err(msg + '\n') });
    text = dumpSchema(schema);
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
