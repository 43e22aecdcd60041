/**
 * Behaviour of test/golden/number-policy: 64-bit integers configured as
 * `number` are checked at run time (clear errors instead of lost precision),
 * the file prefix, and conditions from the command line.
 */
import { parseJson } from 'qapi-ts/runtime';
import { genericErrorOf, runCommand } from '../../helpers/golden';
import { commandNames, commandTable, type Handlers } from './expected/np-index.gen';
import type * as T from './expected/np-types.gen';

let result: T.Stat = { size: 1, blocks: 2n, inode: 3, counts: [] };

const handlers: Handlers<null> = {
  qmp_stat: (args) => ({ ...result, counts: args.offset === undefined ? [] : [args.offset] }),
  qmp_linux_only: () => 2n ** 63n - 1n,
};

const table = commandTable<null>();

const run = (name: string, argsText: string) => runCommand(table, handlers, name, argsText, null);
const failure = (name: string, argsText: string) => genericErrorOf(run(name, argsText));

describe('golden number-policy', () => {
  it('evaluates conditions against the defined symbols', () => {
    expect([...commandNames]).toEqual(['stat', 'linux-only']);
  });

  it('decodes configured members as numbers within the safe range', async () => {
    result = { size: 2 ** 53 - 1, blocks: 18446744073709551615n, inode: -(2 ** 53 - 1), counts: [], mtime: 1700000000000000000n };
    expect(parseJson(await run('stat', '{"path": "/", "offset": 9007199254740991}'))).toEqual(
      parseJson(
        '{"size": 9007199254740991, "blocks": 18446744073709551615, "inode": -9007199254740991, "counts": [9007199254740991], "mtime": 1700000000000000000}',
      ),
    );
    expect(await run('linux-only', '{}')).toBe('9223372036854775807');
  });

  it('refuses values a number cannot hold exactly, with a clear error', async () => {
    expect(await failure('stat', '{"path": "/", "offset": 9007199254740993}')).toBe(
      "Parameter 'offset' is 9007199254740993, beyond the exact range of a JavaScript number (configured as 'number'; use 'bigint' for this type or member)",
    );
    // QEMU's own check comes first.
    expect(await failure('stat', '{"path": "/", "offset": 1.5}')).toBe(
      "Invalid parameter type for 'offset', expected: integer",
    );
    result = { size: 2 ** 60, blocks: 0n, inode: 0, counts: [] };
    expect(await failure('stat', '{"path": "/"}')).toBe(
      "Integer value 1152921504606846976 is beyond the exact range of a JavaScript number (configured as 'number'; use 'bigint' for this type or member)",
    );
  });
});
