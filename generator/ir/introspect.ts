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
  // Every entry is made with its keys in sorted order, as QEMU prints them
  // (no sort and copy per entry). As in QEMU, 'features' is there when the
  // schema gives features, even if their conditions exclude every one.
  const addFeatures = (obj: SchemaInfo, fs: readonly Feature[]): void => {
    if (fs.length > 0) obj.features = features(fs);
  };
  /**
   * 'meta-type' and 'name', the name numbered unless it is a command's, an
   * event's, a built-in's or an array's. Called once the entry's types are
   * used: numbers go in first-use order.
   */
  const addName = (obj: SchemaInfo, name: string, metaType: string): void => {
    obj['meta-type'] = metaType;
    obj.name = metaType === 'command' || metaType === 'event' || metaType === 'builtin' || metaType === 'array' ? name : number(name);
  };
  const push = (obj: SchemaInfo, ifcond: IfCond | null): void => {
    if (enabled({ ifcond })) out.push(obj);
  };
  const member = (m: ObjectMember): SchemaInfo | null => {
    const type = useType(lookup(m.type));
    const obj: SchemaInfo = {};
    if (m.optional) obj.default = null;
    addFeatures(obj, m.features);
    obj.name = m.name;
    obj.type = type;
    return enabled(m) ? obj : null;
  };
  const notNull = <T>(v: T | null): v is T => v !== null;

  // QEMU visits module by module (in order of first inclusion), each in definition order.
  for (const e of schema.modules.flatMap((mod) => mod.entities)) {
    if (e.kind === 'command') {
      const argType = useType(lookup(e.argType ?? 'q_empty'));
      const retType = useType(lookup(e.retType ?? 'q_empty'));
      const obj: SchemaInfo = {};
      if (e.allowOob) obj['allow-oob'] = true;
      obj['arg-type'] = argType;
      addFeatures(obj, e.features);
      addName(obj, e.name, 'command');
      obj['ret-type'] = retType;
      push(obj, e.ifcond);
    } else if (e.kind === 'event') {
      const obj: SchemaInfo = { 'arg-type': useType(lookup(e.argType ?? 'q_empty')) };
      addFeatures(obj, e.features);
      addName(obj, e.name, 'event');
      push(obj, e.ifcond);
    }
  }
  for (let i = 0; i < used.length; i++) {
    const t = used[i];
    switch (t.kind) {
      case 'builtin': {
        const obj: SchemaInfo = { 'json-type': t.jsonType };
        addName(obj, t.name, 'builtin');
        push(obj, null);
        break;
      }
      case 'enum': {
        const members = t.members.filter(enabled);
        const obj: SchemaInfo = {};
        addFeatures(obj, t.features);
        obj.members = members.map((m) => {
          const info: SchemaInfo = { name: m.name };
          if (m.features.length > 0) info.features = features(m.features);
          return info;
        });
        addName(obj, t.name, 'enum');
        obj.values = members.map((m) => m.name);
        push(obj, t.ifcond);
        break;
      }
      case 'array': {
        const element = useType(lookup(t.elementType));
        const obj: SchemaInfo = { 'element-type': element };
        addName(obj, '[' + element + ']', 'array');
        push(obj, t.ifcond);
        break;
      }
      case 'object': {
        // Members and variants first: their types are numbered before the object.
        const members = t.members.map(member).filter(notNull);
        const variants = t.branches
          ? t.branches.variants
              .map((v) => {
                const info: SchemaInfo = { case: v.name, type: useType(lookup(v.type)) };
                return enabled(v) ? info : null;
              })
              .filter(notNull)
          : null;
        const obj: SchemaInfo = {};
        addFeatures(obj, t.features);
        obj.members = members;
        addName(obj, t.name, 'object');
        if (t.branches && variants) {
          obj.tag = t.branches.tag;
          obj.variants = variants;
        }
        push(obj, t.ifcond);
        break;
      }
      case 'alternate': {
        const members = t.variants
          .map((v) => {
            const info: SchemaInfo = { type: useType(lookup(v.type)) };
            return enabled(v) ? info : null;
          })
          .filter(notNull);
        const obj: SchemaInfo = {};
        addFeatures(obj, t.features);
        obj.members = members;
        addName(obj, t.name, 'alternate');
        push(obj, t.ifcond);
        break;
      }
    }
  }
  return out;
}
