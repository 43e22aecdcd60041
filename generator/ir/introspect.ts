/**
 * Introspection data: the SchemaInfo list QEMU's `query-qmp-schema` returns.
 *
 * Follows QEMU's introspection generator: commands and events in definition
 * order first, then only the types they reach in first-use order; type names
 * other than built-ins and arrays are replaced by numbers in first-use order;
 * every integer type is `int`; commands and events without arguments (or
 * returns) use the empty object type. Numbering is done over the whole schema,
 * as QEMU does (its conditions are compiled in later), and then whatever the
 * defined symbols exclude is dropped.
 */
import type { Feature, IfCond, ObjectMember, Schema, TypeEntity } from '../schema/model';

export type SchemaInfo = { [key: string]: SchemaInfoValue };
export type SchemaInfoValue = string | boolean | null | SchemaInfo | SchemaInfoValue[];

export function buildIntrospection(
  schema: Schema,
  enabled: (e: { readonly ifcond: IfCond | null }) => boolean,
): SchemaInfo[] {
  const names = new Map<string, string>();
  const used: TypeEntity[] = [];
  const usedSet = new Set<string>();
  const out: SchemaInfo[] = [];

  const lookup = (name: string): TypeEntity => {
    const e = schema.lookup.get(name);
    if (!e || e.kind === 'command' || e.kind === 'event') throw new Error(`unknown type '${name}'`);
    return e;
  };
  const jsonType = (t: TypeEntity): string => {
    switch (t.kind) {
      case 'builtin':
        return t.jsonType;
      case 'enum':
        return 'string';
      case 'array':
        return 'array';
      case 'object':
        return 'object';
      case 'alternate':
        return 'value';
    }
  };
  const number = (name: string): string => {
    let n = names.get(name);
    if (n === undefined) {
      n = String(names.size);
      names.set(name, n);
    }
    return n;
  };
  const intList = (): TypeEntity => {
    const t = schema.lookup.get('intList');
    if (t && t.kind === 'array') return t;
    return { kind: 'array', name: 'intList', elementType: 'int', info: null, doc: null, ifcond: null, features: [], module: './builtin' };
  };
  const useType = (t0: TypeEntity): string => {
    let t = t0;
    if (jsonType(t) === 'int') t = lookup('int');
    else if (t.kind === 'array' && jsonType(lookup(t.elementType)) === 'int') t = intList();
    if (!usedSet.has(t.name)) {
      usedSet.add(t.name);
      used.push(t);
    }
    if (t.kind === 'builtin') return t.name;
    if (t.kind === 'array') return '[' + useType(lookup(t.elementType)) + ']';
    return number(t.name);
  };
  const features = (fs: readonly Feature[]): string[] => fs.filter(enabled).map((f) => f.name);
  const tree = (name: string, metaType: string, obj: SchemaInfo, ifcond: IfCond | null, fs: readonly Feature[]): void => {
    if (metaType !== 'command' && metaType !== 'event' && metaType !== 'builtin' && metaType !== 'array') {
      name = number(name);
    }
    obj.name = name;
    obj['meta-type'] = metaType;
    // As in QEMU: the key is there when the schema gives features, even if
    // every one of them is excluded by its condition.
    if (fs.length > 0) obj.features = features(fs);
    if (enabled({ ifcond })) out.push(sortKeys(obj));
  };
  // Keys made in sorted order (QEMU sorts them): there are many members.
  const member = (m: ObjectMember): SchemaInfo | null => {
    const type = useType(lookup(m.type));
    const obj: SchemaInfo = {};
    if (m.optional) obj.default = null;
    if (m.features.length > 0) obj.features = features(m.features);
    obj.name = m.name;
    obj.type = type;
    return enabled(m) ? obj : null;
  };
  const notNull = <T>(v: T | null): v is T => v !== null;

  // QEMU visits module by module (in order of first inclusion), each in definition order.
  for (const e of schema.modules.flatMap((mod) => mod.entities)) {
    if (e.kind === 'command') {
      const obj: SchemaInfo = {
        'arg-type': useType(lookup(e.argType ?? 'q_empty')),
        'ret-type': useType(lookup(e.retType ?? 'q_empty')),
      };
      if (e.allowOob) obj['allow-oob'] = true;
      tree(e.name, 'command', obj, e.ifcond, e.features);
    } else if (e.kind === 'event') {
      tree(e.name, 'event', { 'arg-type': useType(lookup(e.argType ?? 'q_empty')) }, e.ifcond, e.features);
    }
  }
  for (let i = 0; i < used.length; i++) {
    const t = used[i];
    switch (t.kind) {
      case 'builtin':
        tree(t.name, 'builtin', { 'json-type': t.jsonType }, null, []);
        break;
      case 'enum': {
        const members = t.members.filter(enabled);
        tree(
          t.name,
          'enum',
          {
            members: members.map((m) => {
              const obj: SchemaInfo = { name: m.name };
              if (m.features.length > 0) obj.features = features(m.features);
              return obj;
            }),
            values: members.map((m) => m.name),
          },
          t.ifcond,
          t.features,
        );
        break;
      }
      case 'array': {
        const element = useType(lookup(t.elementType));
        tree('[' + element + ']', 'array', { 'element-type': element }, t.ifcond, []);
        break;
      }
      case 'object': {
        const obj: SchemaInfo = { members: t.members.map(member).filter(notNull) };
        if (t.branches) {
          obj.tag = t.branches.tag;
          obj.variants = t.branches.variants
            .map((v) => {
              const info: SchemaInfo = { case: v.name, type: useType(lookup(v.type)) };
              return enabled(v) ? info : null;
            })
            .filter(notNull);
        }
        tree(t.name, 'object', obj, t.ifcond, t.features);
        break;
      }
      case 'alternate':
        tree(
          t.name,
          'alternate',
          {
            members: t.variants
              .map((v) => {
                const info: SchemaInfo = { type: useType(lookup(v.type)) };
                return enabled(v) ? info : null;
              })
              .filter(notNull),
          },
          t.ifcond,
          t.features,
        );
        break;
    }
  }
  return out;
}

/** `obj` with its keys in sorted order; `obj` itself when they already are (often: no copy, no sort). */
function sortKeys(obj: SchemaInfo): SchemaInfo {
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return obj;
  const out: SchemaInfo = {};
  keys.sort();
  for (let i = 0; i < keys.length; i++) out[keys[i]] = obj[keys[i]];
  return out;
}
