/**
 * Entity creation from checked expressions (QEMU's QAPISchema._def_*):
 * built-ins, q_empty, QType, implicit q_obj_* types, array types,
 * duplicate definitions, first-use order of features.
 */
import type { DocBlock } from '../doc';
import { QAPIError } from '../errors';
import { metaOf } from '../expr';
import { isQObject, type ParsedExpr, type QObject, type QValue } from '../parser';
import type { SourceLine } from '../source';
import {
  AlternateTypeDef,
  ArrayTypeDef,
  BranchesDef,
  BuiltinTypeDef,
  CommandDef,
  EnumTypeDef,
  EventDef,
  IncludeDef,
  ObjectTypeDef,
  type DefinitionDef,
  type EntityDef,
  TypeDef,
  type SchemaContext,
} from './entities';
import { BranchDef, EnumValue, FeatureMember, ObjectMemberDef } from './members';
import type { BuiltinJsonType, IfCond } from './model';

const BUILTINS: ReadonlyArray<[string, BuiltinJsonType]> = [
  ['str', 'string'],
  ['number', 'number'],
  ['int', 'int'],
  ['int8', 'int'],
  ['int16', 'int'],
  ['int32', 'int'],
  ['int64', 'int'],
  ['uint8', 'int'],
  ['uint16', 'int'],
  ['uint32', 'int'],
  ['uint64', 'int'],
  ['size', 'int'],
  ['bool', 'boolean'],
  ['any', 'value'],
  ['null', 'null'],
];

const QTYPES = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];

export const BUILTIN_MODULE = './builtin';

/** Entities, by definition order and by name; features by first use. */
export class EntityTable implements SchemaContext {
  readonly entities: EntityDef[] = [];
  readonly byName = new Map<string, DefinitionDef>();
  readonly features = new Map<string, FeatureMember>();
  /** Module names in creation order. */
  readonly moduleNames: string[] = [];
  private readonly moduleSet = new Set<string>();

  constructor(readonly moduleName: (fname: string) => string) {
    for (let i = 0; i < FeatureMember.SPECIAL_NAMES.length; i++) {
      const name = FeatureMember.SPECIAL_NAMES[i];
      this.features.set(name, new FeatureMember(name, null, null));
    }
  }

  makeModule(fname: string): string {
    const name = this.moduleName(fname);
    if (!this.moduleSet.has(name)) {
      this.moduleSet.add(name);
      this.moduleNames.push(name);
    }
    return name;
  }

  hasModule(name: string): boolean {
    return this.moduleSet.has(name);
  }

  lookupType(name: string): TypeDef | null {
    const ent = this.byName.get(name);
    return ent && isType(ent) ? ent : null;
  }

  resolveType(name: string, info: SourceLine | null, what: string | ((info: SourceLine | null) => string) | null): TypeDef {
    const typ = this.lookupType(name);
    if (!typ) {
      const w = typeof what === 'function' ? what(info) : what;
      throw new QAPIError(info, `${w} uses unknown type '${name}'`);
    }
    return typ;
  }

  define(defn: DefinitionDef): void {
    this.entities.push(defn);
    const other = this.byName.get(defn.name);
    if (other) {
      if (other.info) {
        const where = new QAPIError(other.info, 'previous definition').render();
        throw new QAPIError(defn.info, `'${defn.name}' is already defined\n${where}`);
      }
      throw new QAPIError(defn.info, `${other.describe()} is already defined`);
    }
    this.byName.set(defn.name, defn);
  }
}

function isType(ent: DefinitionDef): ent is TypeDef {
  return ent instanceof TypeDef;
}

/** A checked 'if' value as a plain IfCond. */
function toIfCond(v: QValue): IfCond {
  if (typeof v === 'string') {
    return v;
  }
  const obj = v as QObject;
  if (obj.has('not')) {
    return { not: toIfCond(obj.get('not') as QValue) };
  }
  if (obj.has('all')) {
    return { all: (obj.get('all') as QValue[]).map(toIfCond) };
  }
  return { any: (obj.get('any') as QValue[]).map(toIfCond) };
}

function ifcondOf(obj: QObject): IfCond | null {
  const v = obj.get('if');
  return v === undefined ? null : toIfCond(v);
}

function str(obj: QObject, key: string): string {
  return obj.get(key) as string;
}

function flag(obj: QObject, key: string, dflt: boolean): boolean {
  const v = obj.get(key);
  return v === undefined ? dflt : v === true;
}

/** Shared by every definition and member without features (most): no empty array each. */
const NO_FEATURES: readonly FeatureMember[] = [];

/** Creates the entities of a schema, in QEMU's order. */
export class EntityBuilder {
  constructor(private readonly table: EntityTable) {}

  definePredefined(): void {
    for (const [name, json] of BUILTINS) {
      this.table.define(new BuiltinTypeDef(name, json));
      this.makeArrayType(name, null);
    }
    this.table.define(new ObjectTypeDef('q_empty', null, null, null, [], null, [], null));
    const values = QTYPES.map((n) => new EnumValue(n, null, null, []));
    this.table.define(new EnumTypeDef('QType', null, null, null, [], values, null));
  }

  defineAll(exprs: readonly ParsedExpr[]): void {
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      if (e.expr.has('include')) {
        this.table.entities.push(new IncludeDef(this.table.makeModule(str(e.expr, 'include')), e.info));
        continue;
      }
      switch (metaOf(e.expr)) {
        case 'enum':
          this.defEnum(e.expr, e.info, e.doc);
          break;
        case 'struct':
          this.defStruct(e.expr, e.info, e.doc);
          break;
        case 'union':
          this.defUnion(e.expr, e.info, e.doc);
          break;
        case 'alternate':
          this.defAlternate(e.expr, e.info, e.doc);
          break;
        case 'command':
          this.defCommand(e.expr, e.info, e.doc);
          break;
        case 'event':
          this.defEvent(e.expr, e.info, e.doc);
          break;
      }
    }
  }

  private makeFeatures(features: QValue | undefined, info: SourceLine): readonly FeatureMember[] {
    if (!Array.isArray(features)) {
      return NO_FEATURES;
    }
    const list = features as QObject[];
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      const name = str(f, 'name');
      if (!this.table.features.has(name)) {
        this.table.features.set(name, new FeatureMember(name, info, null));
      }
    }
    return list.map((f) => new FeatureMember(str(f, 'name'), info, ifcondOf(f)));
  }

  private makeArrayType(elementType: string, info: SourceLine | null): string {
    const name = elementType + 'List';
    if (!this.table.lookupType(name)) {
      this.table.define(new ArrayTypeDef(name, info, elementType));
    }
    return name;
  }

  private typeRef(typ: QValue, info: SourceLine): string {
    return Array.isArray(typ) ? this.makeArrayType(typ[0] as string, info) : (typ as string);
  }

  private makeMembers(data: QObject, info: SourceLine): ObjectMemberDef[] {
    const out: ObjectMemberDef[] = [];
    data.forEach((value, key) => {
      const v = value as QObject;
      const optional = key.startsWith('*');
      const name = optional ? key.slice(1) : key;
      const typeName = this.typeRef(v.get('type') as QValue, info);
      out.push(new ObjectMemberDef(name, info, typeName, optional, ifcondOf(v), this.makeFeatures(v.get('features'), info)));
    });
    return out;
  }

  private makeImplicitObjectType(name: string, info: SourceLine, ifcond: IfCond | null, role: 'arg' | 'base', members: ObjectMemberDef[]): string | null {
    if (!members.length) {
      return null;
    }
    const typeName = `q_obj_${name}-${role}`;
    if (!this.table.byName.has(typeName)) {
      this.table.define(new ObjectTypeDef(typeName, info, null, ifcond, [], null, members, null));
    }
    return typeName;
  }

  private makeVariants(data: QObject, info: SourceLine): BranchDef[] {
    const out: BranchDef[] = [];
    for (const [key, value] of data) {
      const v = value as QObject;
      out.push(new BranchDef(key, info, this.typeRef(v.get('type') as QValue, info), ifcondOf(v)));
    }
    return out;
  }

  private defEnum(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const features = this.makeFeatures(expr.get('features'), info);
    const members = (expr.get('data') as QObject[]).map(
      (m) => new EnumValue(str(m, 'name'), info, ifcondOf(m), this.makeFeatures(m.get('features'), info)),
    );
    const prefix = expr.get('prefix');
    this.table.define(
      new EnumTypeDef(str(expr, 'enum'), info, doc, ifcondOf(expr), features, members, typeof prefix === 'string' ? prefix : null),
    );
  }

  private defStruct(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const features = this.makeFeatures(expr.get('features'), info);
    const base = expr.get('base');
    const members = this.makeMembers(expr.get('data') as QObject, info);
    this.table.define(
      new ObjectTypeDef(str(expr, 'struct'), info, doc, ifcondOf(expr), features, typeof base === 'string' ? base : null, members, null),
    );
  }

  private defUnion(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const name = str(expr, 'union');
    const ifcond = ifcondOf(expr);
    const features = this.makeFeatures(expr.get('features'), info);
    const rawBase = expr.get('base');
    const base = isQObject(rawBase)
      ? this.makeImplicitObjectType(name, info, ifcond, 'base', this.makeMembers(rawBase, info))
      : (rawBase as string);
    const variants = this.makeVariants(expr.get('data') as QObject, info);
    const branches = new BranchesDef(info, variants, str(expr, 'discriminator'));
    this.table.define(new ObjectTypeDef(name, info, doc, ifcond, features, base, [], branches));
  }

  private defAlternate(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const features = this.makeFeatures(expr.get('features'), info);
    const variants = this.makeVariants(expr.get('data') as QObject, info);
    this.table.define(new AlternateTypeDef(str(expr, 'alternate'), info, doc, ifcondOf(expr), features, variants));
  }

  private argType(name: string, data: QValue | undefined, info: SourceLine, ifcond: IfCond | null): string | null {
    if (isQObject(data)) {
      return this.makeImplicitObjectType(name, info, ifcond, 'arg', this.makeMembers(data, info));
    }
    return typeof data === 'string' ? data : null;
  }

  private defCommand(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const name = str(expr, 'command');
    const ifcond = ifcondOf(expr);
    const features = this.makeFeatures(expr.get('features'), info);
    const data = this.argType(name, expr.get('data'), info, ifcond);
    const rets = expr.get('returns');
    const ret = rets === undefined ? null : this.typeRef(rets, info);
    this.table.define(
      new CommandDef(name, info, doc, ifcond, features, data, ret, {
        gen: flag(expr, 'gen', true),
        successResponse: flag(expr, 'success-response', true),
        boxed: flag(expr, 'boxed', false),
        allowOob: flag(expr, 'allow-oob', false),
        allowPreconfig: flag(expr, 'allow-preconfig', false),
        coroutine: flag(expr, 'coroutine', false),
      }),
    );
  }

  private defEvent(expr: QObject, info: SourceLine, doc: DocBlock | null): void {
    const name = str(expr, 'event');
    const ifcond = ifcondOf(expr);
    const features = this.makeFeatures(expr.get('features'), info);
    const data = this.argType(name, expr.get('data'), info, ifcond);
    this.table.define(new EventDef(name, info, doc, ifcond, features, data, flag(expr, 'boxed', false)));
  }
}
