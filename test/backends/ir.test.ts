/** IR lowering decisions: conditions, names, integer policy, config, introspection. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, parseConfig } from '../../generator/config';
import { condText, evalCond } from '../../generator/ir/cond';
import { dedent, propertyKey } from '../../generator/ir/lower';
import { toIr } from '../../generator/backends/pipeline';
import { loadSchema } from '../../generator/frontend';
import type { SchemaInfo } from '../../generator/ir/introspect';
import { QGA_SCHEMA } from '../helpers/shared';

function schemaFrom(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-ir-'));
  const file = path.join(dir, 'schema.json');
  fs.writeFileSync(file, text);
  return loadSchema(file);
}

describe('conditions', () => {
  const defined = new Set(['A', 'B']);
  it.each([
    ['A', true],
    ['C', false],
    [{ all: ['A', 'B'] }, true],
    [{ all: ['A', 'C'] }, false],
    [{ any: ['C', 'B'] }, true],
    [{ not: 'C' }, true],
    [{ not: { any: ['A', 'C'] } }, false],
  ] as const)('%j -> %s', (cond, want) => {
    expect(evalCond(cond, defined)).toBe(want);
  });
  it('renders readable text', () => {
    expect(condText({ all: ['A', { any: ['B', 'C'] }, { not: 'D' }] })).toBe('A and (B or C) and not D');
    expect(condText(null)).toBeNull();
  });
});

describe('lowering', () => {
  const schema = schemaFrom(`
{ 'enum': 'Ee', 'data': [ 'a', { 'name': 'b', 'if': 'X' } ] }
{ 'struct': 'Ss', 'data': { 'n': 'int', 'uu': 'uint64', '*s': 'size', 'i8': 'int8',
                           'c': { 'type': 'str', 'if': 'X' }, 'dash-name': 'Ee' } }
{ 'command': 'do-it', 'data': { 'n': 'int' } }
{ 'command': 'gone', 'if': { 'not': 'X' } }
{ 'event': 'SOME_EVENT', 'data': { 'n': 'int' } }
`);

  it('drops what the symbols exclude, everywhere', () => {
    const without = toIr(schema);
    const withX = toIr(schema, { defines: ['X'] });
    const e0 = without.types.find((t) => t.qapi === 'Ee');
    expect(e0?.kind === 'enum' && e0.values.map((v) => v.name)).toEqual(['a']);
    const s1 = withX.types.find((t) => t.qapi === 'Ss');
    expect(s1?.kind === 'struct' && s1.members.map((m) => m.name)).toEqual(['n', 'uu', 's', 'i8', 'c', 'dash-name']);
    expect(without.commands.map((c) => c.qapi)).toEqual(['do-it', 'gone']);
    expect(withX.commands.map((c) => c.qapi)).toEqual(['do-it']);
    expect(JSON.stringify(withX.introspection)).not.toContain('"gone"');
  });

  it('names handlers, methods and implicit types', () => {
    const ir = toIr(schema);
    expect(ir.commands[0]).toMatchObject({ handler: 'qmp_do_it', method: 'doIt', args: { ts: 'DoItArgs' } });
    expect(ir.events[0].data?.ts).toBe('SomeEventEvent');
    expect(propertyKey('dash-name')).toBe("'dash-name'");
    expect(propertyKey('ok_name')).toBe('ok_name');
  });

  it('chooses the integer representation by type, member and default', () => {
    const config = parseConfig({ integers: { types: { size: 'number' }, members: { 'Ss.uu': 'number', 'do-it.n': 'number' } } }, 'test');
    const ir = toIr(schema, { config });
    const s = ir.types.find((t) => t.qapi === 'Ss');
    if (s?.kind !== 'struct') throw new Error('S');
    const repr = Object.fromEntries(s.members.map((m) => [m.name, m.type.kind === 'int64' ? m.type.repr : m.type.kind]));
    expect(repr).toEqual({ n: 'bigint', uu: 'number', s: 'number', i8: 'narrow', 'dash-name': 'enum' });
    const doIt = ir.commands[0].args?.members[0];
    expect(doIt?.type).toMatchObject({ kind: 'int64', repr: 'number' });
  });

  it('refuses member overrides that name nothing or no 64-bit integer', () => {
    const bad = (members: Record<string, 'number'>) => () => toIr(schema, { config: parseConfig({ integers: { members } }, 'c') });
    expect(bad({ 'Ss.nope': 'number' })).toThrow("integers.members: 'Ss.nope' names no member of the schema");
    expect(bad({ 'Ss.i8': 'number' })).toThrow("integers.members: 'Ss.i8' is not a 64-bit integer member");
    expect(bad({ 'SOME_EVENT.n': 'number' })).not.toThrow();
  });

  it('dedents continuation lines of member docs', () => {
    expect(dedent('first line\n    second\n      third\n')).toBe('first line\nsecond\n  third');
  });
});

describe('configuration', () => {
  it('reads json5 and rejects mistakes clearly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-cfg-'));
    const file = path.join(dir, 'c.json5');
    fs.writeFileSync(file, "// comment\n{ defines: ['A',], integers: { types: { int: 'number' } } }\n");
    expect(loadConfig(file)).toEqual({ defines: ['A'], prefix: '', integers: { types: { int: 'number' }, members: {} } });
    expect(() => parseConfig({ defines: 'A' }, 'f')).toThrow("f: 'defines' must be an array of strings");
    expect(() => parseConfig({ integers: { types: { int8: 'number' } } }, 'f')).toThrow(/'int8' is not a 64-bit integer type/);
    expect(() => parseConfig({ integers: { members: { x: 'number' } } }, 'f')).toThrow(/'x' must be 'Owner.member'/);
    expect(() => parseConfig({ integers: { types: { int: 'float' } } }, 'f')).toThrow(/must be 'bigint' or 'number'/);
    expect(() => parseConfig({ defiens: [] }, 'f')).toThrow(/unknown key 'defiens'/);
  });

  it('the repository configuration defines the Linux symbol set', () => {
    const config = loadConfig(path.join(__dirname, '..', '..', 'qapi-ts.config.json5'));
    expect([...config.defines].sort()).toEqual(
      ['CONFIG_FSFREEZE', 'CONFIG_FSTRIM', 'CONFIG_GETLOADAVG', 'CONFIG_LIBUDEV', 'CONFIG_LINUX', 'CONFIG_POSIX', 'HAVE_GETIFADDRS', 'HAVE_UTMPX'].sort(),
    );
  });
});

describe('introspection (query-qmp-schema form) for the qga schema', () => {
  const ir = toIr(loadSchema(QGA_SCHEMA), { defines: ['CONFIG_LINUX', 'CONFIG_POSIX'] });
  const info = ir.introspection as SchemaInfo[];

  it('lists commands and events first, then only the types they reach, each once', () => {
    const metas = info.map((i) => i['meta-type']);
    const firstType = metas.findIndex((m) => m !== 'command' && m !== 'event');
    expect(metas.slice(firstType).every((m) => m !== 'command' && m !== 'event')).toBe(true);
    expect(info.filter((i) => i['meta-type'] === 'command').map((i) => i.name)).toEqual(ir.commands.map((c) => c.qapi));
    const names = info.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    // Every referenced type is defined, every defined type is referenced.
    const refs = new Set<string>();
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && ['type', 'arg-type', 'ret-type', 'element-type'].includes(key)) refs.add(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
    };
    walk(info);
    const types = new Set(info.filter((i) => i['meta-type'] !== 'command' && i['meta-type'] !== 'event').map((i) => i.name as string));
    expect([...refs].filter((r) => !types.has(r))).toEqual([]);
    // As in QEMU, reachability ignores conditions (they are compiled in later), so a
    // built-in used only by an excluded member stays; nothing else is unreferenced.
    const builtin = new Set(info.filter((i) => i['meta-type'] === 'builtin').map((i) => i.name));
    expect([...types].filter((t) => !refs.has(t) && !builtin.has(t))).toEqual([]);
  });

  it('numbers type names, collapses integer types to int, sorts keys', () => {
    for (const i of info) {
      expect(Object.keys(i)).toEqual(Object.keys(i).sort());
      if (!['command', 'event', 'builtin', 'array'].includes(i['meta-type'] as string)) expect(i.name).toMatch(/^\d+$/);
    }
    const builtins = info.filter((i) => i['meta-type'] === 'builtin').map((i) => i.name);
    expect(builtins).toContain('int');
    expect(builtins.filter((b) => /int\d|size/.test(b as string))).toEqual([]);
    const getTime = info.find((i) => i.name === 'guest-get-time');
    expect(getTime).toEqual({ 'arg-type': expect.stringMatching(/^\d+$/), 'meta-type': 'command', name: 'guest-get-time', 'ret-type': 'int' });
    expect(info.find((i) => i.name === getTime?.['arg-type'])).toEqual({ members: [], 'meta-type': 'object', name: getTime?.['arg-type'] });
    const sync = info.find((i) => i.name === 'guest-sync-delimited');
    expect(sync?.['ret-type']).toBe('int');
    const enums = info.filter((i) => i['meta-type'] === 'enum');
    for (const e of enums) expect((e.members as SchemaInfo[]).map((m) => m.name)).toEqual(e.values);
  });
});
