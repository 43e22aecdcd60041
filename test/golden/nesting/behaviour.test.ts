/**
 * Behaviour of the committed golden output for test/golden/nesting: real
 * JSON text through the generated marshallers for base chains, a union as a
 * union branch, a branch without members, a recursive type, alternates with
 * list and union branches, and conditions (CONFIG_ACL defined, CONFIG_LINKS
 * not). Error texts and paths are QEMU's: qobject-input-visitor.c's
 * full_name() for missing, unexpected and mistyped members, the bare name
 * for enum values and narrow integers, and "null" for what a list holds
 * (QEMU visits list elements and alternate branches with a NULL name).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeJson, parseJson, QmpError, type JsonObject, type JsonValue } from 'qapi-ts/runtime';
import { expectJson, genericErrorOf, runCommand } from '../../helpers/golden';
import { Client, commandNames, commandTable, marshal, type Handlers } from './expected/index.gen';
import type * as T from './expected/types.gen';

const NSEC = 1763800000123456789n; // > 2^53
const U64_MAX = 18446744073709551615n;

/** Every node of a tree, depth first. */
function walk(node: T.Node): T.Node[] {
  return node.kind === 'dir' ? [node, ...node.entries.flatMap(walk)] : [node];
}

/** The label of a node; the switch is exhaustive only because 'link' is compiled out. */
function label(node: T.Node): string {
  switch (node.kind) {
    case 'file':
      return `file ${node.path} @${node.offset}+${node.length}`;
    case 'dir':
      return `dir ${node.name} (${node.entries.length})`;
    case 'device':
      return node['dev-kind'] === 'block' ? `block ${node.major} ${node.sectors}` : `char ${node.major}`;
    default: {
      const never: never = node;
      return never;
    }
  }
}

const file = (name: string, nsec: bigint): T.Node => ({ kind: 'file', nsec, uid: 0, name, path: `/${name}`, offset: 0n, length: 1n });

let tree: T.Node = { kind: 'dir', nsec: NSEC, uid: 0, name: 'root', entries: [] };

const handlers: Handlers<string[]> = {
  qmp_stat_node: (args, seen) => {
    seen.push(...walk(args.node).map(label));
    return args.node;
  },
  qmp_select: (args, seen) => {
    const choose = (which: T.Selector): T.Node[] => {
      if (typeof which === 'boolean') return which ? walk(tree) : [];
      if (typeof which === 'string') return walk(tree).filter((n) => n.kind === which);
      if (Array.isArray(which)) return walk(tree).filter((n) => which.includes(n.nsec));
      return [which];
    };
    const chosen = [args.which, ...(args.also ?? [])].flatMap(choose);
    seen.push(...chosen.map(label));
    return args.depth === undefined ? chosen : chosen.slice(0, args.depth);
  },
  qmp_make_device: (device) => (device['dev-kind'] === 'block' ? { ...device, sectors: device.sectors - 1n } : { ...device, major: device.major + 1 }),
  qmp_rename: (args, seen) => {
    seen.push(`rename ${args.name} ${(args.kinds ?? []).join(',')}`);
  },
};

// What the conditions left out is absent from the types, so these are compile errors:
// @ts-expect-error -- no handler for make-link (CONFIG_LINKS is not defined)
const withLink: Handlers<string[]> = { ...handlers, qmp_make_link: () => undefined };
// @ts-expect-error -- 'link' is not a Kind
const linkKind: T.Kind = 'link';
// @ts-expect-error -- 'mode' exists only without CONFIG_ACL
const withMode: T.Named = { nsec: 1n, uid: 0, name: 'x', mode: 0o644 };
// @ts-expect-error -- a character device has no sectors
const charSectors: T.Device = { 'dev-kind': 'char', major: 4, sectors: 1n };
void [withLink, linkKind, withMode, charSectors];

const table = commandTable<string[]>();

/** Run a command from JSON argument text; the result as JSON text. */
const run = (name: string, argsText: string, seen: string[] = []) => runCommand(table, handlers, name, argsText, seen);
const error = (name: string, argsText: string) => genericErrorOf(run(name, argsText));

const FILE = '{"kind": "file", "nsec": 1, "uid": 0, "name": "f", "offset": 0, "length": 0, "path": "/f"}';
const CHAR = '{"kind": "device", "nsec": 2, "uid": 0, "name": "tty", "dev-kind": "char", "major": 4}';
const TREE = `{"kind": "dir", "nsec": ${NSEC}, "uid": 4294967295, "gid": 0, "name": "root", "acl": ["u::rwx"], "entries": [
  {"kind": "file", "nsec": -9223372036854775808, "uid": 1, "name": "big", "legacy-name": "old",
   "offset": ${U64_MAX}, "length": 9007199254740993, "sparse": true, "path": "/big"},
  {"kind": "device", "nsec": 9223372036854775807, "uid": 0, "name": "sda", "dev-kind": "block", "major": 8, "sectors": ${U64_MAX}},
  ${CHAR},
  {"kind": "dir", "nsec": 0, "uid": 0, "name": "sub", "entries": [${FILE}]}]}`;

describe('golden nesting: dispatch table', () => {
  it('holds the commands the conditions keep, with their features', () => {
    expect([...commandNames]).toEqual(['stat-node', 'select', 'make-device', 'rename']);
    expect(table.find((e) => e.name === 'rename')?.features).toEqual(['unstable']);
  });
});

describe('golden nesting: round trips', () => {
  it('decodes and encodes a recursive tree of flattened bases and nested unions exactly', async () => {
    const seen: string[] = [];
    expectJson(await run('stat-node', `{"node": ${TREE}}`, seen), TREE);
    expect(seen).toEqual([
      'dir root (4)',
      `file /big @${U64_MAX}+9007199254740993`,
      `block 8 ${U64_MAX}`,
      'char 4',
      'dir sub (1)',
      'file /f @0+0',
    ]);
  });

  it('chooses alternate branches by JSON type: object, enum string, integer list, boolean', async () => {
    tree = parseTree(TREE);
    const seen: string[] = [];
    expectJson(await run('select', `{"which": ${CHAR}}`, seen), `[${CHAR}]`);
    expect(JSON.parse(await run('select', '{"which": "file"}')).map((n: { name: string }) => n.name)).toEqual(['big', 'f']);
    expect(JSON.parse(await run('select', '{"which": [0, 2]}')).map((n: { name: string }) => n.name)).toEqual(['tty', 'sub']);
    const also = parseJson(await run('select', '{"which": false, "also": [[9223372036854775807], [-9223372036854775808], "device", false]}')) as JsonObject[];
    expect(also.map((n) => [n.name, n.nsec])).toEqual([
      ['sda', 9223372036854775807n],
      ['big', -9223372036854775808n],
      ['sda', 9223372036854775807n],
      ['tty', 2n],
    ]);
    expect(JSON.parse(await run('select', '{"which": true, "depth": 2}')).map((n: { name: string }) => n.name)).toEqual(['root', 'big']);
    expect(seen.slice(0, 1)).toEqual(['char 4']);
  });

  it('passes a boxed union to its handler and back', async () => {
    expectJson(await run('make-device', `{"dev-kind": "block", "major": 8, "sectors": ${U64_MAX}}`), `{"dev-kind": "block", "major": 8, "sectors": ${U64_MAX - 1n}}`);
    expectJson(await run('make-device', '{"dev-kind": "char", "major": 4}'), '{"dev-kind": "char", "major": 5}');
  });

  it('keeps members under a condition that holds', async () => {
    const seen: string[] = [];
    expectJson(await run('rename', '{"name": "n", "kinds": ["dir", "device"]}', seen), '{}');
    expect(seen).toEqual(['rename n dir,device']);
  });
});

/** A tree decoded by the generated marshaller itself, for the handlers to choose from. */
function parseTree(text: string): T.Node {
  const node = marshal.dNode(parseJson(text), null, 'node');
  expect(label(node)).toBe('dir root (4)');
  return node;
}

describe('golden nesting: QEMU error messages and paths', () => {
  const fileArgs = (extra: string) => `{"node": {"kind": "file", "nsec": 1, "uid": 0, "name": "f", "offset": 0, "length": 0, "path": "/f"${extra}}}`;
  const device = (members: string) => `{"node": {"kind": "device", "nsec": 1, "uid": 0, "name": "d"${members}}}`;
  const dir = (entries: string) => `{"node": {"kind": "dir", "nsec": 1, "uid": 0, "name": "d", "entries": [${entries}]}}`;
  it.each([
    // The base chain is visited before the discriminator, first member first.
    ['stat-node', '{"node": {"kind": "bogus"}}', "Parameter 'node.nsec' is missing"],
    ['stat-node', '{"node": {"nsec": 1, "uid": 0, "name": "a"}}', "Parameter 'node.kind' is missing"],
    ['stat-node', '{"node": {"nsec": 1, "uid": 0, "name": "a", "kind": "link"}}', "Parameter 'kind' does not accept value 'link'"],
    ['stat-node', '{"node": {"nsec": 1, "uid": 0, "name": "a", "kind": 7}}', "Invalid parameter type for 'node.kind', expected: string"],
    ['stat-node', '{"node": {"nsec": 1, "uid": -1, "name": "a", "kind": "file"}}', "Parameter 'uid' expects uint32_t"],
    // The branch's own base chain comes next.
    ['stat-node', '{"node": {"kind": "file", "nsec": 1, "uid": 0, "name": "f", "path": "/f"}}', "Parameter 'node.offset' is missing"],
    ['stat-node', fileArgs(', "sparse": 1'), "Invalid parameter type for 'node.sparse', expected: boolean"],
    ['stat-node', fileArgs(', "mode": 420'), "Parameter 'node.mode' is unexpected"],
    ['stat-node', fileArgs(', "acl": ["a", 1]'), "Invalid parameter type for 'node.acl[1]', expected: string"],
    ['stat-node', fileArgs(', "sectors": 1'), "Parameter 'node.sectors' is unexpected"],
    // A union as a branch: its base, then its discriminator's branch, all in one object.
    ['stat-node', device(''), "Parameter 'node.dev-kind' is missing"],
    ['stat-node', device(', "dev-kind": "net", "major": 1'), "Parameter 'dev-kind' does not accept value 'net'"],
    ['stat-node', device(', "dev-kind": "block", "major": 256, "sectors": 1'), "Parameter 'major' expects uint8_t"],
    ['stat-node', device(', "dev-kind": "block", "major": 8'), "Parameter 'node.sectors' is missing"],
    ['stat-node', device(', "dev-kind": "char", "major": 4, "sectors": 1'), "Parameter 'node.sectors' is unexpected"],
    ['stat-node', device(', "dev-kind": "block", "major": 8, "sectors": 18446744073709551616'), "Parameter 'node.sectors' expects uint64"],
    // Recursion: list elements get an index in the path.
    ['stat-node', dir('{"kind": "dir", "nsec": 1, "uid": 0, "name": "d"}'), "Parameter 'node.entries[0].entries' is missing"],
    ['stat-node', dir(`${CHAR}, {"kind": "dir", "nsec": 1, "uid": 0, "name": "e", "entries": [{"nsec": 1}]}`), "Parameter 'node.entries[1].entries[0].uid' is missing"],
    ['stat-node', dir(`{"kind": "file", "nsec": 1, "uid": 0, "name": "f", "offset": 0, "length": 0, "path": "/f", "bogus": 1}`), "Parameter 'node.entries[0].bogus' is unexpected"],
    ['stat-node', dir('"f"'), "Invalid parameter type for 'node.entries[0]', expected: object"],
    // Alternates: the bare name when no branch takes the JSON type, "null" inside a list.
    ['select', '{"which": 1.5}', "Invalid parameter type for 'which', expected: Selector"],
    ['select', '{"which": null}', "Invalid parameter type for 'which', expected: Selector"],
    ['select', '{"which": "link"}', "Parameter 'which' does not accept value 'link'"],
    ['select', '{"which": [1, "x"]}', "Invalid parameter type for 'which[1]', expected: integer"],
    ['select', '{"which": {}}', "Parameter 'which.nsec' is missing"],
    ['select', '{"which": true, "also": [true, 1.5]}', "Invalid parameter type for 'null', expected: Selector"],
    ['select', '{"which": true, "also": ["bogus"]}', "Parameter 'null' does not accept value 'bogus'"],
    ['select', '{"which": true, "also": [[1, "x"]]}', "Invalid parameter type for 'also[0][1]', expected: integer"],
    ['select', '{"which": true, "also": [{"nsec": "1"}]}', "Invalid parameter type for 'also[0].nsec', expected: integer"],
    ['select', '{"which": true, "also": true}', "Invalid parameter type for 'also', expected: array"],
    ['select', '{"which": true, "depth": 128}', "Parameter 'depth' expects int8_t"],
    ['select', '{"depth": 1}', "Parameter 'which' is missing"],
    // Boxed arguments are the top level.
    ['make-device', '{"dev-kind": "block", "major": 8}', "Parameter 'sectors' is missing"],
    ['make-device', '{"major": 8}', "Parameter 'dev-kind' is missing"],
    ['make-device', '{"dev-kind": "char", "major": 4, "name": "x"}', "Parameter 'name' is unexpected"],
    ['rename', '{"name": "n", "kinds": ["link"]}', "Parameter 'null' does not accept value 'link'"],
  ])('%s %s', async (name, args, message) => {
    expect(await error(name, args)).toBe(message);
  });
});

describe('golden nesting: client stubs', () => {
  it('sends nested unions with exact integers and decodes the results', async () => {
    const sent: string[] = [];
    const seen: string[] = [];
    const client = new Client({
      async execute(command: string, args: JsonObject | undefined): Promise<JsonValue> {
        const text = encodeJson({ execute: command, arguments: args ?? {} });
        sent.push(text);
        const request = parseJson(text) as JsonObject;
        const entry = table.find((e) => e.name === request.execute);
        if (!entry) throw new QmpError('CommandNotFound', `The command ${command} has not been found`);
        return parseJson(encodeJson(await entry.call(handlers, request.arguments as JsonObject, seen)));
      },
    });
    const block: T.Node = { kind: 'device', nsec: NSEC, uid: 0, name: 'sda', 'dev-kind': 'block', major: 8, sectors: U64_MAX };
    expect(await client.statNode({ node: block })).toEqual(block);
    const device: T.Device = await client.makeDevice({ 'dev-kind': 'block', major: 8, sectors: 2n ** 60n });
    expect(device).toEqual({ 'dev-kind': 'block', major: 8, sectors: 2n ** 60n - 1n });
    tree = { kind: 'dir', nsec: 0n, uid: 0, name: 'root', entries: [block, file('f', 2n ** 62n)] };
    const chosen: T.Node[] = await client.select({ which: [NSEC, 2n ** 62n] });
    expect(chosen.map(label)).toEqual([`block 8 ${U64_MAX}`, `file /f @0+1`]);
    // Members go out in QEMU's QDict order; the integers as exact decimal text.
    expect(parseJson(sent[0]!)).toEqual(
      parseJson(`{"execute": "stat-node", "arguments": {"node": {"nsec": ${NSEC}, "uid": 0, "name": "sda", "kind": "device", "dev-kind": "block", "major": 8, "sectors": ${U64_MAX}}}}`),
    );
    expect(sent[0]).toContain(`"nsec": ${NSEC}`);
    expect(sent[0]).toContain(`"sectors": ${U64_MAX}`);
    expect(sent[2]).toBe(`{"execute": "select", "arguments": {"which": [${NSEC}, ${2n ** 62n}]}}`);
  });
});

describe('golden nesting: introspection and docs leave out what the conditions exclude', () => {
  const expected = path.join(__dirname, 'expected');
  const introspection = JSON.parse(fs.readFileSync(path.join(expected, 'introspect.json'), 'utf8')) as Array<Record<string, unknown>>;

  it('lists the kept commands and event, and the enum without its excluded value', () => {
    const named = (metaType: string) => introspection.filter((e) => e['meta-type'] === metaType).map((e) => e.name);
    expect(named('command')).toEqual(['stat-node', 'select', 'make-device', 'rename']);
    expect(named('event')).toEqual(['NODE_CHANGED']);
    const enums = introspection.filter((e) => e['meta-type'] === 'enum').map((e) => e.values);
    expect(enums).toContainEqual(['file', 'dir', 'device']);
    expect(JSON.stringify(introspection)).not.toMatch(/"link"|make-link|"mode"|"target"/);
  });

  it('keeps member features and conditional members that hold', () => {
    const members = introspection.flatMap((e) => (Array.isArray(e.members) ? (e.members as Array<Record<string, unknown>>) : []));
    expect(members).toContainEqual({ name: 'legacy-name', type: 'str', default: null, features: ['deprecated'] });
    expect(members.map((m) => m.name)).toEqual(expect.arrayContaining(['acl', 'sparse', 'dev-kind', 'entries']));
  });

  it('documents every kept command and nothing excluded', () => {
    const md = fs.readFileSync(path.join(expected, 'docs', 'index.md'), 'utf8');
    const html = fs.readFileSync(path.join(expected, 'docs', 'index.html'), 'utf8');
    for (const doc of [md, html]) {
      for (const name of commandNames) expect(doc).toContain(name);
      expect(doc).not.toMatch(/make-link|LinkNode|permission bits/);
      expect(doc).toContain('If: CONFIG_ACL or CONFIG_LINKS');
    }
    expect(md).toContain('| `legacy-name` (optional) | `str` | the name it had before *Features: deprecated* |');
    expect(html).toContain('<td><p>the name it had before</p><span class="tag">deprecated</span></td>');
  });
});
