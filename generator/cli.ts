import type Yargs from 'yargs';
import { dumpCommand, dumpMain } from './commands/dump';
import { generateCommand } from './commands/generate';
import { writeStderr } from './stdio';

/**
 * `qapi-gen`: the generator's command line. Returns the exit status when the
 * run finished synchronously (the fast paths), null when yargs goes on
 * asynchronously and sets `process.exitCode` itself.
 */
export function main(argv: readonly string[]): number | null {
  // Fast paths for `dump SCHEMA` and `generate` (both benchmarked whole
  // process): no yargs to load when the arguments are plain; anything else
  // (options, help, mistakes) falls through to yargs and its messages.
  if (argv[0] === 'dump' && argv.length === 2 && !argv[1].startsWith('-')) {
    return dumpMain(argv[1]);
  }
  if (argv[0] === 'generate') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const status = (require('./commands/generate-run') as typeof import('./commands/generate-run')).mainGenerate(argv.slice(1));
    if (status !== null) return status;
  }
  // yargs is loaded only when needed (it is a good part of the start-up time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('yargs') as typeof Yargs & { __esModule?: boolean; default?: typeof Yargs };
  const yargs = loaded.__esModule && loaded.default ? loaded.default : loaded;
  void yargs([...argv])
    .scriptName('qapi-gen')
    .command(dumpCommand)
    .command(generateCommand)
    .demandCommand(1, 'Name a command: dump or generate.')
    .strict()
    .help()
    .version(false)
    .parseAsync()
    .catch((error: unknown) => {
      writeStderr(`qapi-gen: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  return null;
}
