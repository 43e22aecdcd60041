import yargs from 'yargs';
import { dumpCommand } from './commands/dump';
import { generateCommand } from './commands/generate';

/** `qapi-gen`: the generator's command line. */
export function main(argv: readonly string[]): void {
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
      process.stderr.write(`qapi-gen: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
