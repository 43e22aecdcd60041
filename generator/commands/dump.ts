import type { CommandModule } from 'yargs';

/** `qapi-gen dump SCHEMA`: QEMU test-harness dump of the checked model (placeholder). */
export const dumpCommand: CommandModule<object, { schema: string }> = {
  command: 'dump <schema>',
  describe: 'Print the checked schema model in the format of QEMU\'s QAPI test harness',
  builder: (y) => y.positional('schema', { type: 'string', demandOption: true }),
  handler: () => {
    throw new Error('dump: not implemented yet');
  },
};
