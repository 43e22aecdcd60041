import type { CommandModule } from 'yargs';

/** `qapi-gen generate SCHEMA -o DIR`: emit TypeScript and docs (placeholder). */
export const generateCommand: CommandModule<object, { schema: string }> = {
  command: 'generate <schema>',
  describe: 'Generate TypeScript types, marshallers, dispatch, client, introspection and docs',
  builder: (y) => y.positional('schema', { type: 'string', demandOption: true }),
  handler: () => {
    throw new Error('generate: not implemented yet');
  },
};
