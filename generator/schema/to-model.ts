/** Turns the checked entities into the plain model of model.ts. */
import type { DocBlock, DocSectionBuilder } from '../doc';
import type { CheckedSchema } from './schema';
import {
  AlternateTypeDef,
  ArrayTypeDef,
  BuiltinTypeDef,
  CommandDef,
  EnumTypeDef,
  EventDef,
  IncludeDef,
  ObjectTypeDef,
  type DefinitionDef,
  type EntityDef,
} from './entities';
import type { BranchDef, FeatureMember, ObjectMemberDef } from './members';
import type { Doc, DocSection, Entity, Feature, Module, ObjectMember, Schema, Variant } from './model';

function feature(f: FeatureMember): Feature {
  return { name: f.name, ifcond: f.ifcond, info: f.info };
}

/**
 * Model members by checked member, during one toModel() call: base members
 * appear in every derived type's `members`; convert them once.
 */
const memberCache = new Map<ObjectMemberDef, ObjectMember>();

function member(m: ObjectMemberDef): ObjectMember {
  let out = memberCache.get(m);
  if (!out) {
    out = convertMember(m);
    memberCache.set(m, out);
  }
  return out;
}

function convertMember(m: ObjectMemberDef): ObjectMember {
  return {
    name: m.name,
    type: m.type ? m.type.name : m.typeName,
    optional: m.optional,
    ifcond: m.ifcond,
    features: m.features.map(feature),
  };
}

function variant(v: BranchDef): Variant {
  return { name: v.name, type: v.type ? v.type.name : v.typeName, ifcond: v.ifcond };
}

/** Doc blocks are shared, not copied: their sections already have the model's shape. */
function doc(d: DocBlock): Doc {
  const section: (s: DocSectionBuilder) => DocSection = (s) => s;
  return {
    symbol: d.symbol,
    info: d.info,
    body: section(d.body),
    args: d.args,
    features: d.features,
    sections: d.sections,
  };
}

function entity(ent: EntityDef, docOf: (d: DocBlock | null) => Doc | null): Entity {
  if (ent instanceof IncludeDef) {
    return { kind: 'include', name: ent.moduleName, info: ent.info as NonNullable<typeof ent.info>, module: ent.module };
  }
  const def = ent as DefinitionDef;
  const name = def.name;
  const info = def.info;
  const d = docOf(def.doc);
  const ifcond = def.ifcond;
  const features = def.features.length ? def.features.map(feature) : [];
  const module = def.module;
  // Object literals written out in full (no spread): noticeably faster on
  // the ~1,500 entities of the QMP schema.
  if (def instanceof ObjectTypeDef) {
    const tag = def.branches?.tagMember;
    return {
      kind: 'object', name, info, doc: d, ifcond, features, module,
      meta: def.meta,
      implicit: def.isImplicit(),
      base: def.base ? def.base.name : def.baseName,
      localMembers: def.localMembers.map(member),
      members: def.members.map(member),
      branches: def.branches && tag ? { tag: tag.name, variants: def.branches.variants.map(variant) } : null,
    };
  }
  if (def instanceof EnumTypeDef) {
    return {
      kind: 'enum', name, info, doc: d, ifcond, features, module,
      members: def.members.map((m) => ({ name: m.name, ifcond: m.ifcond, features: m.features.map(feature) })),
      prefix: def.prefix,
    };
  }
  if (def instanceof ArrayTypeDef) {
    return { kind: 'array', name, info, doc: d, ifcond, features, module, elementType: def.elementTypeName };
  }
  if (def instanceof CommandDef) {
    const f = def.flags;
    return {
      kind: 'command', name, info, doc: d, ifcond, features, module,
      argType: def.argType ? def.argType.name : null,
      retType: def.retType ? def.retType.name : null,
      gen: f.gen,
      successResponse: f.successResponse,
      boxed: f.boxed,
      allowOob: f.allowOob,
      allowPreconfig: f.allowPreconfig,
      coroutine: f.coroutine,
    };
  }
  if (def instanceof EventDef) {
    return { kind: 'event', name, info, doc: d, ifcond, features, module, argType: def.argType ? def.argType.name : null, boxed: def.boxed };
  }
  if (def instanceof AlternateTypeDef) {
    return { kind: 'alternate', name, info, doc: d, ifcond, features, module, variants: def.variants.map(variant) };
  }
  if (def instanceof BuiltinTypeDef) {
    return { kind: 'builtin', name, info, doc: d, ifcond, features, module, jsonType: def.builtinJsonType() };
  }
  throw new Error(`unknown entity ${name}`);
}

export function toModel(file: string, checked: CheckedSchema): Schema {
  memberCache.clear();
  const docMap = new Map<DocBlock, Doc>();
  const docs = checked.docs.map((d) => {
    const m = doc(d);
    docMap.set(d, m);
    return m;
  });
  const docOf = (d: DocBlock | null): Doc | null => (d ? (docMap.get(d) ?? null) : null);
  const { table } = checked;
  const byModule = new Map<string, Entity[]>(table.moduleNames.map((n) => [n, []]));
  const entities: Entity[] = [];
  const lookup = new Map<string, Exclude<Entity, { kind: 'include' }>>();
  for (let i = 0; i < table.entities.length; i++) {
    const ent = table.entities[i];
    const e = entity(ent, docOf);
    entities.push(e);
    byModule.get(e.module)?.push(e);
    if (e.kind !== 'include') {
      lookup.set(e.name, e);
    }
  }
  memberCache.clear();
  const modules: Module[] = table.moduleNames.map((name) => ({ name, entities: byModule.get(name) ?? [] }));
  return {
    file,
    modules,
    entities,
    lookup,
    docs,
    features: [...table.features.values()].map(feature),
  };
}
