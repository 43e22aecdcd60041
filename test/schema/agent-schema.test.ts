/**
 * Our agent's schema (schema/qapi-schema.json) against QEMU 10.0's guest-agent
 * schema (shared/qemu-10.0/qga/qapi-schema.json, QAPI_TS_SHARED overrides the
 * shared folder).
 *
 * Both go through our front end and the checked models are compared, not the
 * text: doc wording is free, the wire format is not. Every upstream entity must
 * exist in ours with the same shape and in the same order; ours adds exactly
 * guest-get-statvfs and its types; every definition and member of ours is
 * documented.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSON5 from 'json5';
import { loadSchema } from '../../generator/frontend';
import type {
  Doc,
  Entity,
  Feature,
  IfCond,
  ObjectMember,
  ObjectType,
  Schema,
} from '../../generator/schema/model';
import { QGA_SCHEMA, REPO_ROOT } from '../helpers/shared';

const OUR_SCHEMA = path.join(REPO_ROOT, 'schema', 'qapi-schema.json');

/** Everything ours adds to QEMU's schema, in definition order. */
const ADDED = [
  'GuestStatvfsFlag',
  'GuestStatvfsFlagList',
  'GuestStatvfs',
  'q_obj_guest-get-statvfs-arg',
  'guest-get-statvfs',
] as const;

/** The `if` symbols our schema may use: QEMU's, plus CONFIG_POSIX for statvfs. */
const IF_SYMBOLS = [
  'CONFIG_FREEBSD',
  'CONFIG_FSFREEZE',
  'CONFIG_FSTRIM',
  'CONFIG_GETLOADAVG',
  'CONFIG_LIBUDEV',
  'CONFIG_LINUX',
  'CONFIG_POSIX',
  'CONFIG_WIN32',
  'HAVE_GETIFADDRS',
  'HAVE_UTMPX',
];

type Named = Exclude<Entity, { kind: 'include' }>;

// ---------------------------------------------------------------------------
// Wire-level shapes: everything but source info, docs and module names.

function featureShape(f: Feature): unknown {
  return { name: f.name, ifcond: f.ifcond };
}

function memberShape(m: ObjectMember): unknown {
  return {
    name: m.name,
    type: m.type,
    optional: m.optional,
    ifcond: m.ifcond,
    features: m.features.map(featureShape),
  };
}

function shape(e: Entity): unknown {
  if (e.kind === 'include') return { kind: e.kind, name: e.name };
  const common = {
    kind: e.kind,
    name: e.name,
    ifcond: e.ifcond,
    features: e.features.map(featureShape),
  };
  switch (e.kind) {
    case 'builtin':
      return { ...common, jsonType: e.jsonType };
    case 'enum':
      return {
        ...common,
        prefix: e.prefix,
        members: e.members.map((m) => ({ name: m.name, ifcond: m.ifcond, features: m.features.map(featureShape) })),
      };
    case 'array':
      return { ...common, elementType: e.elementType };
    case 'object':
      return {
        ...common,
        meta: e.meta,
        implicit: e.implicit,
        base: e.base,
        localMembers: e.localMembers.map(memberShape),
        members: e.members.map(memberShape),
        branches: e.branches && {
          tag: e.branches.tag,
          variants: e.branches.variants.map((v) => ({ name: v.name, type: v.type, ifcond: v.ifcond })),
        },
      };
    case 'alternate':
      return { ...common, variants: e.variants.map((v) => ({ name: v.name, type: v.type, ifcond: v.ifcond })) };
    case 'command':
      return {
        ...common,
        argType: e.argType,
        retType: e.retType,
        gen: e.gen,
        successResponse: e.successResponse,
        boxed: e.boxed,
        allowOob: e.allowOob,
        allowPreconfig: e.allowPreconfig,
        coroutine: e.coroutine,
      };
    case 'event':
      return { ...common, argType: e.argType, boxed: e.boxed };
  }
}

function named(schema: Schema): Named[] {
  return schema.entities.filter((e): e is Named => e.kind !== 'include');
}

function lookup(schema: Schema, name: string): Named {
  const e = schema.lookup.get(name);
  if (!e) throw new Error(`${name} is not defined`);
  return e;
}

function ifSymbols(cond: IfCond | null, into: Set<string>): void {
  if (cond === null) return;
  if (typeof cond === 'string') into.add(cond);
  else if ('all' in cond) cond.all.forEach((c) => ifSymbols(c, into));
  else if ('any' in cond) cond.any.forEach((c) => ifSymbols(c, into));
  else ifSymbols(cond.not, into);
}

function allIfSymbols(schema: Schema): string[] {
  const out = new Set<string>();
  for (const e of named(schema)) {
    ifSymbols(e.ifcond, out);
    e.features.forEach((f) => ifSymbols(f.ifcond, out));
    if (e.kind === 'enum') e.members.forEach((m) => ifSymbols(m.ifcond, out));
    if (e.kind === 'object') {
      e.localMembers.forEach((m) => ifSymbols(m.ifcond, out));
      e.branches?.variants.forEach((v) => ifSymbols(v.ifcond, out));
    }
    if (e.kind === 'alternate') e.variants.forEach((v) => ifSymbols(v.ifcond, out));
  }
  return [...out].sort();
}

// ---------------------------------------------------------------------------
// Pragmas are not part of the model: read the top-level `pragma` expressions
// of a schema file as data (QAPI syntax is JSON5 once '#' comments are gone).

function stripComments(text: string): string {
  let out = '';
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === "'") quote = false;
    } else if (ch === "'") {
      quote = true;
      out += ch;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += ch;
    }
  }
  return out;
}

function topLevelExpressions(file: string): Record<string, unknown>[] {
  const text = stripComments(fs.readFileSync(file, 'utf8'));
  const exprs: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === "'") quote = false;
    } else if (ch === "'") {
      quote = true;
    } else if (ch === '{' || ch === '[') {
      if (depth++ === 0) start = i;
    } else if (ch === '}' || ch === ']') {
      if (--depth === 0) exprs.push(JSON5.parse(text.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return exprs;
}

function pragmas(file: string): unknown[] {
  return topLevelExpressions(file)
    .filter((e) => 'pragma' in e)
    .map((e) => e.pragma);
}

// ---------------------------------------------------------------------------

describe('agent schema (schema/qapi-schema.json)', () => {
  let upstream: Schema;
  let ours: Schema;

  beforeAll(() => {
    upstream = loadSchema(QGA_SCHEMA);
    ours = loadSchema(OUR_SCHEMA);
  });

  test('both schemas load', () => {
    expect(named(upstream).length).toBeGreaterThan(100);
    expect(named(ours).length).toBeGreaterThan(100);
  });

  test('every upstream entity has the same wire-level shape in ours', () => {
    const mismatches: string[] = [];
    for (const e of upstream.entities) {
      if (e.kind === 'include') continue;
      const mine = ours.lookup.get(e.name);
      if (!mine) {
        mismatches.push(`${e.name}: missing`);
        continue;
      }
      try {
        expect(shape(mine)).toEqual(shape(e));
      } catch (err) {
        mismatches.push(`${e.name}: ${(err as Error).message}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('upstream entities keep their order, commands included', () => {
    const added = new Set<string>(ADDED);
    const ourOrder = named(ours)
      .map((e) => e.name)
      .filter((n) => !added.has(n));
    expect(ourOrder).toEqual(named(upstream).map((e) => e.name));

    const commands = (s: Schema): string[] => named(s).filter((e) => e.kind === 'command').map((e) => e.name);
    expect(commands(ours)).toEqual([...commands(upstream), 'guest-get-statvfs']);
  });

  test('no includes, one module, like upstream', () => {
    expect(ours.entities.filter((e) => e.kind === 'include')).toEqual([]);
    expect(ours.modules.length).toBe(upstream.modules.length);
  });

  test('ours adds exactly guest-get-statvfs and its types', () => {
    const upstreamNames = new Set(named(upstream).map((e) => e.name));
    const extra = named(ours)
      .map((e) => e.name)
      .filter((n) => !upstreamNames.has(n));
    expect(extra).toEqual([...ADDED]);
  });

  test('guest-get-statvfs: command shape', () => {
    expect(shape(lookup(ours, 'guest-get-statvfs'))).toEqual({
      kind: 'command',
      name: 'guest-get-statvfs',
      ifcond: 'CONFIG_POSIX',
      features: [],
      argType: 'q_obj_guest-get-statvfs-arg',
      retType: 'GuestStatvfs',
      gen: true,
      successResponse: true,
      boxed: false,
      allowOob: false,
      allowPreconfig: false,
      coroutine: false,
    });
    const arg = lookup(ours, 'q_obj_guest-get-statvfs-arg') as ObjectType;
    expect(arg.kind).toBe('object');
    expect(arg.implicit).toBe(true);
    expect(arg.ifcond).toBe('CONFIG_POSIX');
    expect(arg.members.map(memberShape)).toEqual([
      { name: 'path', type: 'str', optional: false, ifcond: null, features: [] },
    ]);
  });

  test('GuestStatvfs: the fields of struct statvfs', () => {
    const st = lookup(ours, 'GuestStatvfs') as ObjectType;
    expect(st.kind).toBe('object');
    expect(st.meta).toBe('struct');
    expect(st.base).toBeNull();
    expect(st.branches).toBeNull();
    expect(st.ifcond).toBe('CONFIG_POSIX');
    const u64 = (name: string): unknown => ({ name, type: 'uint64', optional: false, ifcond: null, features: [] });
    expect(st.members.map(memberShape)).toEqual([
      u64('bsize'),
      u64('frsize'),
      u64('blocks'),
      u64('bfree'),
      u64('bavail'),
      u64('files'),
      u64('ffree'),
      u64('favail'),
      u64('fsid'),
      { name: 'flag', type: 'GuestStatvfsFlagList', optional: false, ifcond: null, features: [] },
      u64('namemax'),
    ]);

    expect(shape(lookup(ours, 'GuestStatvfsFlagList'))).toEqual({
      kind: 'array',
      name: 'GuestStatvfsFlagList',
      ifcond: 'CONFIG_POSIX',
      features: [],
      elementType: 'GuestStatvfsFlag',
    });

    const flags = lookup(ours, 'GuestStatvfsFlag');
    expect(flags.kind).toBe('enum');
    expect(flags.ifcond).toBe('CONFIG_POSIX');
    if (flags.kind !== 'enum') return;
    expect(flags.prefix).toBeNull();
    // POSIX's two flags unconditionally, Linux's extra ST_* flags on Linux only.
    expect(flags.members.map((m) => [m.name, m.ifcond])).toEqual([
      ['rdonly', null],
      ['nosuid', null],
      ['nodev', 'CONFIG_LINUX'],
      ['noexec', 'CONFIG_LINUX'],
      ['synchronous', 'CONFIG_LINUX'],
      ['mandlock', 'CONFIG_LINUX'],
      ['noatime', 'CONFIG_LINUX'],
      ['nodiratime', 'CONFIG_LINUX'],
      ['relatime', 'CONFIG_LINUX'],
      ['nosymfollow', 'CONFIG_LINUX'],
    ]);
  });

  test('the `if` symbols are QEMU\'s plus CONFIG_POSIX', () => {
    expect(allIfSymbols(ours)).toEqual(IF_SYMBOLS);
    expect(allIfSymbols(upstream)).toEqual(IF_SYMBOLS.filter((s) => s !== 'CONFIG_POSIX'));
  });

  test('pragmas are QEMU\'s', () => {
    expect(pragmas(OUR_SCHEMA)).toEqual(pragmas(QGA_SCHEMA));
    expect(pragmas(OUR_SCHEMA).length).toBeGreaterThan(0);
  });

  test('every definition and member of ours is documented', () => {
    const problems: string[] = [];
    const text = (s: { text: string } | undefined): string => (s ? s.text.trim() : '');

    /** Members a definition's doc must describe. */
    const documentedMembers = (e: Named): string[] => {
      const membersOf = (name: string | null): string[] =>
        name === null ? [] : (lookup(ours, name) as ObjectType).members.map((m) => m.name);
      switch (e.kind) {
        case 'enum':
          return e.members.map((m) => m.name);
        case 'object': {
          // A union documents the members of an inline base as its own.
          const base = e.base !== null && (lookup(ours, e.base) as ObjectType).implicit ? membersOf(e.base) : [];
          return [...base, ...e.localMembers.map((m) => m.name)];
        }
        case 'alternate':
          return e.variants.map((v) => v.name);
        case 'command':
        case 'event': {
          if (e.argType === null || e.boxed) return [];
          const arg = lookup(ours, e.argType) as ObjectType;
          return arg.implicit ? arg.members.map((m) => m.name) : [];
        }
        default:
          return [];
      }
    };

    for (const e of named(ours)) {
      if (e.info === null) continue; // built-in
      if (e.kind === 'array') continue; // implicit NAMEList
      if (e.kind === 'object' && e.implicit) continue; // q_obj_*, documented with their owner
      const doc: Doc | null = e.doc;
      if (!doc) {
        problems.push(`${e.name}: no doc comment`);
        continue;
      }
      if (doc.symbol !== e.name) problems.push(`${e.name}: doc comment is for ${String(doc.symbol)}`);
      if (!text(doc.body)) problems.push(`${e.name}: no description`);
      if (!doc.sections.some((s) => s.kind === 'Since' && s.text.trim())) problems.push(`${e.name}: no Since`);
      if (e.kind === 'command' && e.retType !== null && !doc.sections.some((s) => s.kind === 'Returns')) {
        problems.push(`${e.name}: no Returns`);
      }
      for (const m of documentedMembers(e)) {
        if (!text(doc.args.get(m))) problems.push(`${e.name}: member ${m} undocumented`);
      }
      for (const f of e.features) {
        if (!text(doc.features.get(f.name))) problems.push(`${e.name}: feature ${f.name} undocumented`);
      }
      if (e.kind === 'object') {
        for (const m of e.localMembers) {
          for (const f of m.features) {
            if (!text(doc.features.get(f.name))) problems.push(`${e.name}.${m.name}: feature ${f.name} undocumented`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
