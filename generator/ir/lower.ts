/**
 * Lowering: checked schema model -> TypeScript-shaped IR.
 *
 * Every decision is made here (see ./types.ts): `if` evaluation (excluded
 * entities, members, values, branches and features vanish), names, integer
 * representation, flattened members, union and alternate shapes, docs,
 * introspection.
 */
import { cName } from '../common';
import type { GeneratorConfig, IntRepr } from '../config';
import type {
  AlternateType,
  Command,
  Doc,
  Entity,
  Event,
  Feature,
  IfCond,
  Include,
  ObjectMember,
  ObjectType,
  Schema,
  TypeEntity,
} from '../schema/model';
import { condText, evalCond } from './cond';
import { buildIntrospection } from './introspect';
import type {
  Ir,
  IrAlternate,
  IrAlternateBranch,
  IrCommand,
  IrDoc,
  IrEntityCommon,
  IrEnum,
  IrEvent,
  IrFeature,
  IrMember,
  IrStruct,
  IrType,
  IrTypeRef,
  IrUnion,
} from './types';

export interface LowerOptions {
  readonly config: GeneratorConfig;
  /** Extra defined symbols (command line), added to the configuration's. */
  readonly defines?: readonly string[];
  /** File name prefix (overrides the configuration's). */
  readonly prefix?: string;
  readonly schemaName: string;
  readonly generatorVersion: string;
}

const NARROW: Readonly<Record<string, { signed: boolean; min: number; max: number; ctype: string }>> = {
  int8: { signed: true, min: -128, max: 127, ctype: 'int8_t' },
  int16: { signed: true, min: -32768, max: 32767, ctype: 'int16_t' },
  int32: { signed: true, min: -2147483648, max: 2147483647, ctype: 'int32_t' },
  uint8: { signed: false, min: 0, max: 255, ctype: 'uint8_t' },
  uint16: { signed: false, min: 0, max: 65535, ctype: 'uint16_t' },
  uint32: { signed: false, min: 0, max: 4294967295, ctype: 'uint32_t' },
};
const WIDE: Readonly<Record<string, boolean>> = { int: true, int64: true, uint64: false, size: false };
const SIMPLE: Readonly<Record<string, 'number' | 'str' | 'bool' | 'null' | 'any'>> = {
  number: 'number',
  str: 'str',
  bool: 'bool',
  null: 'null',
  any: 'any',
};

/** Names a TypeScript type alias or interface cannot take. */
const RESERVED_TYPE_NAMES = new Set([
  'any', 'unknown', 'never', 'void', 'undefined', 'null', 'string', 'number', 'boolean', 'bigint',
  'symbol', 'object', 'this', 'true', 'false',
]);
/** Method names a client class cannot take. */
const RESERVED_METHODS = new Set(['constructor', 'transport', 'execute']);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Property key as written in TypeScript source. */
export function propertyKey(name: string): string {
  return IDENT.test(name) && name !== '__proto__' ? name : `'${name}'`;
}

// Module constants: a regular expression literal in a function is a new object per call.
const NON_WORD = /[^A-Za-z0-9]+/;
const DIGIT_FIRST = /^[0-9]/;

function words(name: string): string[] {
  return name.split(NON_WORD).filter((w) => w !== '');
}

function pascal(name: string): string {
  return words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function camel(name: string): string {
  const p = pascal(name);
  const out = p === '' ? '_' : p[0].toLowerCase() + p.slice(1);
  return DIGIT_FIRST.test(out) ? '_' + out : out;
}

/** Event names are UPPER_CASE: BLOCK_JOB_COMPLETED -> BlockJobCompleted. */
function pascalFromUpper(name: string): string {
  return pascal(name.toLowerCase());
}

/** Shared by everything without features (most members): no empty array each. */
const NO_FEATURES: readonly IrFeature[] = [];

function featureList(features: readonly Feature[], defined: ReadonlySet<string>): readonly IrFeature[] {
  if (features.length === 0) return NO_FEATURES;
  return features.filter((f) => evalCond(f.ifcond, defined)).map((f) => ({ name: f.name, cond: condText(f.ifcond) }));
}

/** Doc text with continuation lines dedented (QAPI indents them under the first). */
export function dedent(text: string): string {
  const trimmed = text.trimEnd();
  if (!trimmed.includes('\n')) return trimmed.trim();
  const lines = trimmed.split('\n');
  let min = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    const n = l.length - l.trimStart().length;
    if (n < l.length && n < min) min = n;
  }
  lines[0] = lines[0].trim();
  if (min === Infinity || min === 0) return lines.join('\n');
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    lines[i] = l.slice(Math.min(min, l.length - l.trimStart().length));
  }
  return lines.join('\n');
}

function lowerDoc(doc: Doc | null): IrDoc | null {
  if (doc === null) return null;
  let since: string | null = null;
  const sections: { kind: string; text: string }[] = [];
  for (let i = 0; i < doc.sections.length; i++) {
    const s = doc.sections[i];
    if (s.kind === 'Since') since = s.text.trim();
    else if (s.kind !== 'Member' && s.kind !== 'Feature') sections.push({ kind: s.kind, text: s.kind === 'Plain' ? s.text : dedent(s.text) });
  }
  const features = new Map<string, string>();
  for (const [name, s] of doc.features) features.set(name, dedent(s.text));
  return { body: doc.body.text, sections, since, features };
}

/** Lower a checked schema. */
export function lower(schema: Schema, options: LowerOptions): Ir {
  const defined = new Set([...options.config.defines, ...(options.defines ?? [])]);
  const enabled = (e: { readonly ifcond: IfCond | null }): boolean => evalCond(e.ifcond, defined);
  const intTypes = options.config.integers.types;
  const intMembers = options.config.integers.members;
  const haveMemberOverrides = Object.keys(intMembers).length > 0;

  const lookupType = (name: string): TypeEntity => {
    const e = schema.lookup.get(name);
    if (!e || e.kind === 'command' || e.kind === 'event') throw new Error(`unknown type '${name}'`);
    return e;
  };

  // Owners of implicit types.
  const implicitOwner = new Map<string, Command | Event | ObjectType>();
  for (let i = 0; i < schema.entities.length; i++) {
    const e = schema.entities[i];
    if ((e.kind === 'command' || e.kind === 'event') && e.argType?.startsWith('q_obj_')) implicitOwner.set(e.argType, e);
    if (e.kind === 'object' && e.meta === 'union' && e.base?.startsWith('q_obj_')) implicitOwner.set(e.base, e);
  }

  // TypeScript names: explicit types first, then implicit ones.
  const tsNames = new Map<string, string>();
  const used = new Set<string>();
  const claim = (qapi: string, wanted: string): string => {
    let name = wanted === '' ? '_' : wanted;
    if (DIGIT_FIRST.test(name)) name = '_' + name;
    if (RESERVED_TYPE_NAMES.has(name)) name += '_';
    while (used.has(name)) name += '_';
    used.add(name);
    tsNames.set(qapi, name);
    return name;
  };
  for (let i = 0; i < schema.entities.length; i++) {
    const e = schema.entities[i];
    if ((e.kind === 'enum' || e.kind === 'object' || e.kind === 'alternate') && !e.name.startsWith('q_')) {
      claim(e.name, cName(e.name, false));
    }
  }
  for (let i = 0; i < schema.entities.length; i++) {
    const e = schema.entities[i];
    if (e.kind === 'object' && e.name.startsWith('q_obj_')) {
      const owner = implicitOwner.get(e.name);
      if (owner?.kind === 'command') claim(e.name, pascal(owner.name) + 'Args');
      else if (owner?.kind === 'event') claim(e.name, pascalFromUpper(owner.name) + 'Event');
      else if (owner) claim(e.name, cName(owner.name, false) + 'Base');
      else claim(e.name, pascal(e.name.slice(6)));
    }
  }
  const tsName = (qapi: string): string => {
    const n = tsNames.get(qapi);
    if (n === undefined) throw new Error(`no TypeScript name for '${qapi}'`);
    return n;
  };

  // Every configured member override must name a 64-bit integer member (or a list of them).
  if (haveMemberOverrides) {
    const valid = new Map<string, boolean>();
    const isWide = (type: string): boolean => {
      const t = schema.lookup.get(type);
      if (t?.kind === 'array') return isWide(t.elementType);
      return t?.kind === 'builtin' && type in WIDE;
    };
    for (let j = 0; j < schema.entities.length; j++) {
      const e = schema.entities[j];
      if (e.kind !== 'object') continue;
      const owner = implicitOwner.get(e.name);
      for (let i = 0; i < e.members.length; i++) {
        const m = e.members[i];
        valid.set(`${e.name}.${m.name}`, isWide(m.type));
        if (owner) valid.set(`${owner.name}.${m.name}`, isWide(m.type));
      }
    }
    for (const key of Object.keys(intMembers)) {
      const ok = valid.get(key);
      if (ok === undefined) throw new Error(`integers.members: '${key}' names no member of the schema`);
      if (!ok) throw new Error(`integers.members: '${key}' is not a 64-bit integer member (int, int64, uint64, size)`);
    }
  }

  const intRepr = (qapi: string, memberKey: string | null): IntRepr =>
    (memberKey !== null ? intMembers[memberKey] : undefined) ?? intTypes[qapi] ?? 'bigint';

  const referenced = new Set<string>();
  const refCache = new Map<string, IrTypeRef>();
  const typeRef = (name: string, memberKey: string | null): IrTypeRef => {
    if (memberKey === null) {
      const cached = refCache.get(name);
      if (cached) return cached;
      const ref = makeTypeRef(name, null);
      refCache.set(name, ref);
      return ref;
    }
    return makeTypeRef(name, memberKey);
  };
  const makeTypeRef = (name: string, memberKey: string | null): IrTypeRef => {
    referenced.add(name);
    const t = lookupType(name);
    if (!enabled(t)) {
      throw new Error(`uses type '${name}', which its 'if' condition excludes (define its symbols, or give the user the same condition)`);
    }
    switch (t.kind) {
      case 'builtin': {
        if (name in WIDE) return { kind: 'int64', qapi: name, signed: WIDE[name], repr: intRepr(name, memberKey) };
        const narrow = NARROW[name];
        if (narrow) return { kind: 'narrow', qapi: name, ...narrow };
        const simple = SIMPLE[name];
        if (simple) return { kind: simple, qapi: name };
        throw new Error(`unknown built-in type '${name}'`);
      }
      case 'array':
        return { kind: 'list', qapi: name, element: typeRef(t.elementType, memberKey) };
      case 'enum':
        return { kind: 'enum', qapi: name, ts: tsName(name) };
      case 'alternate':
        return { kind: 'alternate', qapi: name, ts: tsName(name) };
      case 'object':
        return { kind: 'object', qapi: name, ts: tsName(name) };
    }
  };

  /** Doc of the definition that documents members of `owner`. */
  const docOwner = (owner: ObjectType): Doc | null => {
    const o = implicitOwner.get(owner.name);
    return o ? o.doc : owner.doc;
  };

  // A flattened member brings its declaring type's doc text to every type
  // that inherits it: each text is dedented once.
  const dedented = new Map<string, string>();
  const memberDoc = (raw: string): string => {
    let doc = dedented.get(raw);
    if (doc === undefined) {
      doc = dedent(raw);
      dedented.set(raw, doc);
    }
    return doc;
  };

  /** Members of an object type, flattened, with docs from the declaring type. */
  const lowerMembers = (t: ObjectType, keyOwner: string): IrMember[] => {
    const declaring = new Map<ObjectMember, ObjectType>();
    if (t.base !== null) {
      for (let cur: ObjectType | null = t; cur !== null; ) {
        for (const m of cur.localMembers) declaring.set(m, cur);
        cur = cur.base ? (lookupType(cur.base) as ObjectType) : null;
      }
    }
    const out: IrMember[] = [];
    for (let i = 0; i < t.members.length; i++) {
      const m = t.members[i];
      if (!evalCond(m.ifcond, defined)) continue;
      const decl = declaring.get(m) ?? t;
      const raw = docOwner(decl)?.args.get(m.name)?.text;
      const doc = raw === undefined ? null : memberDoc(raw);
      let memberKey: string | null = null;
      if (haveMemberOverrides) {
        const ownerKeys = [keyOwner, decl.name];
        const o = implicitOwner.get(decl.name);
        if (o) ownerKeys.push(o.name);
        memberKey = ownerKeys.map((k) => `${k}.${m.name}`).find((k) => k in intMembers) ?? null;
      }
      out.push({
        name: m.name,
        key: propertyKey(m.name),
        optional: m.optional,
        type: typeRef(m.type, memberKey),
        doc: doc !== null && doc !== '' ? doc : null, // dedent's result is '' or not blank
        features: featureList(m.features, defined),
        cond: condText(m.ifcond),
      });
    }
    return out;
  };

  // The fields every entity has. Each IR object lists them one by one, not
  // by spreading this: in unoptimised code every property written after a
  // spread in an object literal is a runtime call (about 1% of a QMP run).
  const common = (e: Exclude<Entity, Include>): IrEntityCommon => ({
    qapi: e.name,
    doc: lowerDoc(e.doc),
    features: featureList(e.features, defined),
    cond: condText(e.ifcond),
    module: e.module,
  });

  // Client method names: camelCase, unique (in the order commands are defined).
  const methods = new Set<string>();
  const methodName = (qapi: string): string => {
    let m = camel(qapi);
    if (RESERVED_METHODS.has(m)) m += '_';
    while (methods.has(m)) m += '_';
    methods.add(m);
    return m;
  };

  const types: IrType[] = [];
  const byName = new Map<string, IrType>();
  const commands: IrCommand[] = [];
  const events: IrEvent[] = [];

  const objectArgs = (name: string | null, owner: string) => {
    if (name === null) return null;
    const t = lookupType(name) as ObjectType;
    const members = t.meta === 'struct' ? lowerMembers(t, owner) : [];
    return { qapi: name, ts: tsName(name), allOptional: t.meta === 'struct' && members.every((m) => m.optional), members };
  };

  for (let i = 0; i < schema.entities.length; i++) {
    const e = schema.entities[i];
    if (e.kind === 'include' || !enabled(e)) continue;
    if (e.module === './builtin' && e.name !== 'QType') continue;
    try {
      lowerEntity(e);
    } catch (err) {
      const what = e.kind === 'object' ? (e.implicit ? 'implicit type' : e.meta) : e.kind;
      throw new Error(`${what} '${e.name}': ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function lowerEntity(e: Exclude<Entity, Include>): void {
    const { qapi, doc, features, cond, module } = common(e);
    switch (e.kind) {
      case 'enum': {
        const t: IrEnum = {
          kind: 'enum', qapi, doc, features, cond, module,
          ts: tsName(e.name),
          values: e.members
            .filter((m) => evalCond(m.ifcond, defined))
            .map((m) => ({
              name: m.name,
              doc: dedent(e.doc?.args.get(m.name)?.text ?? '') || null,
              features: featureList(m.features, defined),
              cond: condText(m.ifcond),
            })),
        };
        types.push(t);
        byName.set(e.name, t);
        break;
      }
      case 'object': {
        if (e.name === 'q_empty') break;
        if (e.meta === 'struct') {
          const t: IrStruct = {
            kind: 'struct', qapi, doc, features, cond, module,
            ts: tsName(e.name),
            implicit: e.implicit,
            base: e.base,
            members: lowerMembers(e, e.name),
          };
          types.push(t);
          byName.set(e.name, t);
        } else {
          if (!e.base || !e.branches) throw new Error(`union '${e.name}' lacks base or branches`);
          const base = lookupType(e.base) as ObjectType;
          const baseMembers = lowerMembers(base, e.name);
          const tag = baseMembers.find((m) => m.name === e.branches?.tag);
          if (!tag) throw new Error(`union '${e.name}': discriminator '${e.branches.tag}' is excluded`);
          const t: IrUnion = {
            kind: 'union', qapi, doc, features, cond, module,
            ts: tsName(e.name),
            base: { qapi: base.name, ts: tsName(base.name), implicit: base.implicit },
            baseMembers,
            tag,
            variants: e.branches.variants
              .filter((v) => evalCond(v.ifcond, defined))
              .map((v) => {
                if (v.type === 'q_empty') return { value: v.name, branch: null, cond: condText(v.ifcond) };
                const bt = lookupType(v.type) as ObjectType;
                return {
                  value: v.name,
                  branch: { qapi: v.type, ts: tsName(v.type), union: bt.meta === 'union' },
                  cond: condText(v.ifcond),
                };
              }),
          };
          types.push(t);
          byName.set(e.name, t);
        }
        break;
      }
      case 'alternate': {
        const t: IrAlternate = {
          kind: 'alternate', qapi, doc, features, cond, module,
          ts: tsName(e.name),
          branches: alternateBranches(e),
        };
        types.push(t);
        byName.set(e.name, t);
        break;
      }
      case 'command': {
        const args = objectArgs(e.argType, e.name);
        commands.push({
          kind: 'command', qapi, doc, features, cond, module,
          handler: 'qmp_' + cName(e.name),
          method: methodName(e.name),
          args,
          boxed: e.boxed,
          ret: e.retType ? typeRef(e.retType, null) : null,
          gen: e.gen,
          successResponse: e.successResponse,
          allowOob: e.allowOob,
          allowPreconfig: e.allowPreconfig,
          coroutine: e.coroutine,
        });
        break;
      }
      case 'event': {
        const data = objectArgs(e.argType, e.name);
        events.push({
          kind: 'event', qapi, doc, features, cond, module,
          data,
          boxed: e.boxed,
        });
        break;
      }
      default:
        break;
    }
  }

  function alternateBranches(e: AlternateType): IrAlternateBranch[] {
    return e.variants
      .filter((v) => evalCond(v.ifcond, defined))
      .map((v) => {
        const type = typeRef(v.type, null);
        return { name: v.name, type, qtype: qtypeOf(type), cond: condText(v.ifcond) };
      });
  }

  // Types reachable from commands and events need decoders and encoders.
  const marshalled = new Set<string>();
  const reach = (ref: IrTypeRef): void => {
    if (ref.kind === 'list') return reach(ref.element);
    if (ref.kind !== 'enum' && ref.kind !== 'object' && ref.kind !== 'alternate') return;
    reachName(ref.qapi);
  };
  const reachName = (qapi: string): void => {
    if (marshalled.has(qapi)) return;
    marshalled.add(qapi);
    const t = byName.get(qapi);
    if (!t) throw new Error(`type '${qapi}' is used but not available`);
    switch (t.kind) {
      case 'struct':
        t.members.forEach((m) => reach(m.type));
        break;
      case 'union':
        reachName(t.base.qapi);
        t.baseMembers.forEach((m) => reach(m.type));
        t.variants.forEach((v) => v.branch && reachName(v.branch.qapi));
        break;
      case 'alternate':
        t.branches.forEach((b) => reach(b.type));
        break;
      default:
        break;
    }
  };
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    if (c.args) reachName(c.args.qapi);
    if (c.ret) reach(c.ret);
  }
  for (const ev of events) if (ev.data) reachName(ev.data.qapi);

  return {
    schemaName: options.schemaName,
    generatorVersion: options.generatorVersion,
    prefix: options.prefix ?? options.config.prefix,
    // Built-in enums (QType) only when something uses them.
    types: types.filter((t) => t.module !== './builtin' || referenced.has(t.qapi)),
    marshalled,
    commands,
    events,
    introspection: buildIntrospection(schema, enabled),
  };
}

function qtypeOf(ref: IrTypeRef): IrAlternateBranch['qtype'] {
  switch (ref.kind) {
    case 'int64':
    case 'narrow':
    case 'number':
      return 'qnum';
    case 'str':
    case 'enum':
      return 'qstring';
    case 'bool':
      return 'qbool';
    case 'null':
      return 'qnull';
    case 'list':
      return 'qlist';
    case 'object':
      return 'qdict';
    default:
      throw new Error(`alternate branch of type '${ref.qapi}' has no JSON type`);
  }
}
