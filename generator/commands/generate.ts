import type { CommandModule } from 'yargs';
import { writeStderr } from '../stdio';

interface GenerateArgs {
  schema: string;
  output: string;
  prefix?: string;
  define?: string | string[];
  config?: string;
  check?: boolean;
}

/**
 * `qapi-gen generate SCHEMA -o DIR [--prefix P] [-D SYM]... [--config FILE] [--check]`:
 * types, marshallers, dispatch, client stubs, introspection and docs.
 * Everything heavy is loaded inside the handler, so other commands start fast.
 */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate <schema>',
  describe: 'Generate TypeScript types, marshallers, dispatch, client, introspection and docs',
  builder: (y) =>
    y
      .positional('schema', { type: 'string', demandOption: true })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Output directory' })
      .option('prefix', { alias: 'p', type: 'string', describe: 'File name prefix' })
      .option('define', { alias: 'D', type: 'string', describe: "Define a symbol for 'if' conditions (repeatable)" })
      .option('config', { alias: 'c', type: 'string', describe: 'Configuration file (json5)' })
      .option('check', { type: 'boolean', describe: 'Write nothing; fail if the output directory is stale' }),
  handler: (args) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runGenerate } = require('./generate-run') as typeof import('./generate-run');
    try {
      process.exitCode = runGenerate({
        schema: args.schema,
        output: args.output,
        prefix: args.prefix,
        defines: args.define === undefined ? [] : ([] as string[]).concat(args.define),
        config: args.config,
        check: args.check ?? false,
      });
    } catch (err) {
      // Configuration and generation problems: one clear line, no stack.
      writeStderr(`qapi-gen: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
};
