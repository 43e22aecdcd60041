/**
 * Schema entities during checking (QEMU's QAPISchemaEntity family):
 * `check()` resolves names and validates, `connectDoc()` ties doc comment
 * sections to members. The checked entities are turned into the plain model
 * by to-model.ts.
 */
import { cName } from '../common';
import type { DocBlock } from '../doc';
import { QAPIError } from '../errors';
import type { SourceLine } from '../source';
import type { BuiltinJsonType, IfCond } from './model';
import { BranchDef, checkFeatureClash, FeatureMember, ObjectMemberDef, type EnumValue, type MemberBase } from './members';

/** What entities need from the schema while checking. */
export interface SchemaContext {
  lookupType(name: string): TypeDef | null;
  resolveType(name: string, info: SourceLine | null, what: string | ((info: SourceLine | null) => string) | null): TypeDef;
}

export type JsonType = BuiltinJsonType | 'array' | 'object';

/** Deepest chain of object types containing each other (bases, branches) checked. */
export const MAX_OBJECT_NESTING = 1000;
let objectCheckDepth = 0;

// The two base classes below assign their fields in the constructor rather
// than with class field initializers: they run for instances of many
// subclasses, where [[Define]] field semantics go through a slow generic path.

export abstract class EntityDef {
  declare checked: boolean;
  /** Module name, set after checking. */
  declare module: string;
  declare readonly info: SourceLine | null;

  constructor(info: SourceLine | null) {
    this.info = info;
    this.checked = false;
    this.module = '';
  }

  check(_schema: SchemaContext): void {
    this.checked = true;
  }

  connectDoc(_doc: DocBlock | null = null): void {
    // nothing to document by default
  }

  /** The source info deciding the module. */
  moduleInfo(): SourceLine | null {
    return this.info;
  }
}

export class IncludeDef extends EntityDef {
  constructor(
    readonly moduleName: string,
    info: SourceLine,
  ) {
    super(info);
  }
}

export abstract class DefinitionDef extends EntityDef {
  abstract readonly meta: string;
  declare readonly name: string;
  declare readonly doc: DocBlock | null;
  declare readonly ifcondRaw: IfCond | null;
  declare readonly features: readonly FeatureMember[];

  constructor(name: string, info: SourceLine | null, doc: DocBlock | null, ifcondRaw: IfCond | null, features: readonly FeatureMember[]) {
    super(info);
    this.name = name;
    this.doc = doc;
    this.ifcondRaw = ifcondRaw;
    this.features = features;
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      f.setDefinedIn(name);
    }
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    checkFeatureClash(this.features, this.info);
  }

  override connectDoc(doc: DocBlock | null = null): void {
    const d = doc ?? this.doc;
    if (d) {
      for (let i = 0; i < this.features.length; i++) {
        const f = this.features[i];
        d.connectFeature(f);
      }
    }
  }

  get ifcond(): IfCond | null {
    return this.ifcondRaw;
  }

  isImplicit(): boolean {
    return !this.info;
  }

  describe(): string {
    return `${this.meta} '${this.name}'`;
  }
}

export abstract class TypeDef extends DefinitionDef {
  abstract jsonType(): JsonType;

  override check(schema: SchemaContext): void {
    super.check(schema);
    for (let i = 0; i < this.features.length; i++) {
      const f = this.features[i];
      if (f.isSpecial()) {
        throw new QAPIError(this.info, `feature '${f.name}' is not supported for types`);
      }
    }
  }

  override describe(): string {
    return `${this.meta} type '${this.name}'`;
  }
}

export class BuiltinTypeDef extends TypeDef {
  readonly meta = 'built-in';

  constructor(
    name: string,
    private readonly json: BuiltinJsonType,
  ) {
    super(name, null, null, null, []);
  }

  jsonType(): JsonType {
    return this.json;
  }

  builtinJsonType(): BuiltinJsonType {
    return this.json;
  }
}

export class EnumTypeDef extends TypeDef {
  readonly meta = 'enum';

  constructor(
    name: string,
    info: SourceLine | null,
    doc: DocBlock | null,
    ifcond: IfCond | null,
    features: readonly FeatureMember[],
    readonly members: EnumValue[],
    readonly prefix: string | null,
  ) {
    super(name, info, doc, ifcond, features);
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      m.setDefinedIn(name);
    }
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    const seen = new Map<string, MemberBase>();
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i];
      m.checkClash(this.info, seen);
    }
  }

  override connectDoc(doc: DocBlock | null = null): void {
    super.connectDoc(doc);
    const d = doc ?? this.doc;
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i];
      m.connectDoc(d);
    }
  }

  override isImplicit(): boolean {
    return this.name === 'QType';
  }

  jsonType(): JsonType {
    return 'string';
  }
}

export class ArrayTypeDef extends TypeDef {
  readonly meta = 'array';
  elementType: TypeDef | null = null;

  constructor(
    name: string,
    info: SourceLine | null,
    readonly elementTypeName: string,
  ) {
    super(name, info, null, null, []);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    this.elementType = schema.resolveType(this.elementTypeName, this.info, this.info ? this.info.defnMeta : null);
    if (this.elementType instanceof ArrayTypeDef) {
      // QEMU fails an assertion here.
      throw new QAPIError(this.info, `${this.describe()} is an array of arrays, which is not supported`);
    }
  }

  override moduleInfo(): SourceLine | null {
    return this.elementType ? this.elementType.info : null;
  }

  override get ifcond(): IfCond | null {
    return this.elementType ? this.elementType.ifcond : null;
  }

  override isImplicit(): boolean {
    return true;
  }

  jsonType(): JsonType {
    return 'array';
  }

  override describe(): string {
    return `${this.meta} type ['${this.elementTypeName}']`;
  }
}

export class ObjectTypeDef extends TypeDef {
  readonly meta: 'struct' | 'union';
  base: ObjectTypeDef | null = null;
  /** All members (base members first), set by check(). */
  members: ObjectMemberDef[] = [];
  private checkComplete = false;

  constructor(
    name: string,
    info: SourceLine | null,
    doc: DocBlock | null,
    ifcond: IfCond | null,
    features: readonly FeatureMember[],
    readonly baseName: string | null,
    readonly localMembers: ObjectMemberDef[],
    readonly branches: BranchesDef | null,
  ) {
    super(name, info, doc, ifcond, features);
    this.meta = branches ? 'union' : 'struct';
    for (let i = 0; i < localMembers.length; i++) {
      const m = localMembers[i];
      m.setDefinedIn(name);
    }
    branches?.setDefinedIn(name);
  }

  override check(schema: SchemaContext): void {
    if (this.checkComplete) {
      return;
    }
    if (this.checked) {
      throw new QAPIError(this.info, `object ${this.name} contains itself`);
    }
    // check() recurses into bases and branch types; bound the depth so a
    // pathological chain is an error rather than a stack overflow.
    if (objectCheckDepth >= MAX_OBJECT_NESTING) {
      throw new QAPIError(this.info, `object ${this.name} nests too deeply (more than ${MAX_OBJECT_NESTING} levels of bases and branches)`);
    }
    objectCheckDepth++;
    try {
      this.checkObject(schema);
    } finally {
      objectCheckDepth--;
    }
  }

  private checkObject(schema: SchemaContext): void {
    super.check(schema);
    const seen = new Map<string, MemberBase>();
    if (this.baseName !== null) {
      const base = schema.resolveType(this.baseName, this.info, "'base'");
      if (!(base instanceof ObjectTypeDef) || base.branches) {
        throw new QAPIError(this.info, `'base' requires a struct type, ${base.describe()} isn't`);
      }
      this.base = base;
      base.check(schema);
      base.checkClash(this.info, seen);
    }
    for (let i = 0; i < this.localMembers.length; i++) {
      const m = this.localMembers[i];
      m.check(schema);
      m.checkClash(this.info, seen);
    }
    const members = [...seen.values()] as ObjectMemberDef[];
    if (this.branches) {
      this.branches.check(schema, seen);
      this.branches.checkClash(this.info, seen);
    }
    this.members = members;
    this.checkComplete = true;
  }

  /** Check that this type's members don't clash with `seen`, adding them to it. */
  checkClash(info: SourceLine | null, seen: Map<string, MemberBase>): void {
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i];
      m.checkClash(info, seen);
    }
    this.branches?.checkClash(info, seen);
  }

  override connectDoc(doc: DocBlock | null = null): void {
    super.connectDoc(doc);
    const d = doc ?? this.doc;
    if (this.base && this.base.isImplicit()) {
      this.base.connectDoc(d);
    }
    for (let i = 0; i < this.localMembers.length; i++) {
      const m = this.localMembers[i];
      m.connectDoc(d);
    }
  }

  override isImplicit(): boolean {
    return this.name.startsWith('q_');
  }

  hasConditionalMembers(): boolean {
    return this.members.some((m) => m.ifcond !== null);
  }

  jsonType(): JsonType {
    return 'object';
  }
}

/** Union branches: the discriminator and one branch per enum value. */
export class BranchesDef {
  tagMember: ObjectMemberDef | null = null;

  constructor(
    readonly info: SourceLine,
    readonly variants: BranchDef[],
    readonly tagName: string,
  ) {}

  setDefinedIn(name: string): void {
    for (let i = 0; i < this.variants.length; i++) {
      const v = this.variants[i];
      v.setDefinedIn(name);
    }
  }

  check(schema: SchemaContext, seen: Map<string, MemberBase>): void {
    const { info } = this;
    const found = seen.get(cName(this.tagName));
    let base = "'base'";
    if (!found || this.tagName !== found.name || !(found instanceof ObjectMemberDef)) {
      throw new QAPIError(info, `discriminator '${this.tagName}' is not a member of ${base}`);
    }
    const tag = found;
    this.tagMember = tag;
    const baseType = schema.lookupType(tag.definedIn ?? '');
    if (baseType && !baseType.isImplicit()) {
      base = `base type '${tag.definedIn}'`;
    }
    const tagType = tag.type;
    if (!(tagType instanceof EnumTypeDef)) {
      throw new QAPIError(info, `discriminator member '${this.tagName}' of ${base} must be of enum type`);
    }
    if (tag.optional) {
      throw new QAPIError(info, `discriminator member '${this.tagName}' of ${base} must not be optional`);
    }
    if (tag.ifcond !== null) {
      throw new QAPIError(info, `discriminator member '${this.tagName}' of ${base} must not be conditional`);
    }
    const cases = new Set(this.variants.map((v) => v.name));
    for (let i = 0; i < tagType.members.length; i++) {
      const m = tagType.members[i];
      if (!cases.has(m.name)) {
        const v = new BranchDef(m.name, info, 'q_empty', m.ifcond);
        v.setDefinedIn(tag.definedIn ?? '');
        this.variants.push(v);
      }
    }
    if (!this.variants.length) {
      throw new QAPIError(info, 'union has no branches');
    }
    const values = new Set(tagType.members.map((m) => m.name));
    for (let i = 0; i < this.variants.length; i++) {
      const v = this.variants[i];
      v.check(schema);
      if (seen.size) {
        if (!values.has(v.name)) {
          throw new QAPIError(info, `branch '${v.name}' is not a value of ${tagType.describe()}`);
        }
        const vt = v.type as TypeDef;
        if (!(vt instanceof ObjectTypeDef)) {
          throw new QAPIError(info, `${v.describe(info)} cannot use ${vt.describe()}`);
        }
        vt.check(schema);
      }
    }
  }

  checkClash(info: SourceLine | null, seen: Map<string, MemberBase>): void {
    for (let i = 0; i < this.variants.length; i++) {
      const v = this.variants[i];
      (v.type as ObjectTypeDef).checkClash(info, new Map(seen));
    }
  }
}

export class AlternateTypeDef extends TypeDef {
  readonly meta = 'alternate';
  readonly tagMember: ObjectMemberDef;

  constructor(
    name: string,
    info: SourceLine,
    doc: DocBlock | null,
    ifcond: IfCond | null,
    features: readonly FeatureMember[],
    readonly variants: BranchDef[],
  ) {
    super(name, info, doc, ifcond, features);
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i];
      v.setDefinedIn(name);
    }
    this.tagMember = new ObjectMemberDef('type', info, 'QType', false, null, []);
    this.tagMember.setDefinedIn(name);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    this.tagMember.check(schema);
    for (let i = 0; i < this.variants.length; i++) {
      const v = this.variants[i];
      v.check(schema);
    }
    const seen = new Map<string, MemberBase>();
    const typesSeen = new Map<string, string>();
    for (let j = 0; j < this.variants.length; j++) {
      const v = this.variants[j];
      v.checkClash(this.info, seen);
      const vt = v.type as TypeDef;
      const qtype = alternateQtype(vt.jsonType());
      if (!qtype) {
        throw new QAPIError(this.info, `${v.describe(this.info)} cannot use ${vt.describe()}`);
      }
      const conflicting = new Set([qtype]);
      if (qtype === 'QTYPE_QSTRING') {
        if (vt instanceof EnumTypeDef) {
          for (let i = 0; i < vt.members.length; i++) {
            const m = vt.members[i];
            if (m.name === 'on' || m.name === 'off') {
              conflicting.add('QTYPE_QBOOL');
            }
            if (/^[-+0-9.]/.test(m.name)) {
              conflicting.add('QTYPE_QNUM');
            }
          }
        } else {
          conflicting.add('QTYPE_QNUM');
          conflicting.add('QTYPE_QBOOL');
        }
      }
      for (const qt of conflicting) {
        const other = typesSeen.get(qt);
        if (other !== undefined) {
          throw new QAPIError(this.info, `${v.describe(this.info)} can't be distinguished from '${other}'`);
        }
        typesSeen.set(qt, v.name);
      }
    }
  }

  override connectDoc(doc: DocBlock | null = null): void {
    super.connectDoc(doc);
    const d = doc ?? this.doc;
    for (let i = 0; i < this.variants.length; i++) {
      const v = this.variants[i];
      v.connectDoc(d);
    }
  }

  jsonType(): JsonType {
    return 'value';
  }
}

function alternateQtype(json: JsonType): string | null {
  switch (json) {
    case 'null':
      return 'QTYPE_QNULL';
    case 'string':
      return 'QTYPE_QSTRING';
    case 'number':
    case 'int':
      return 'QTYPE_QNUM';
    case 'boolean':
      return 'QTYPE_QBOOL';
    case 'array':
      return 'QTYPE_QLIST';
    case 'object':
      return 'QTYPE_QDICT';
    default:
      return null;
  }
}

export interface CommandFlags {
  readonly gen: boolean;
  readonly successResponse: boolean;
  readonly boxed: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
}

/** Resolve and check a command's or event's argument type. */
function checkArgType(
  schema: SchemaContext,
  info: SourceLine,
  argTypeName: string | null,
  boxed: boolean,
  what: 'command' | 'event',
): ObjectTypeDef | null {
  if (argTypeName === null) {
    return null;
  }
  const argType = schema.resolveType(argTypeName, info, `${what}'s 'data'`);
  if (!(argType instanceof ObjectTypeDef)) {
    throw new QAPIError(info, `${what}'s 'data' cannot take ${argType.describe()}`);
  }
  if (argType.branches && !boxed) {
    throw new QAPIError(info, `${what}'s 'data' can take ${argType.describe()} only with 'boxed': true`);
  }
  argType.check(schema);
  if (argType.hasConditionalMembers() && !boxed) {
    throw new QAPIError(info, `conditional ${what} arguments require 'boxed': true`);
  }
  return argType;
}

export class CommandDef extends DefinitionDef {
  readonly meta = 'command';
  argType: ObjectTypeDef | null = null;
  retType: TypeDef | null = null;

  constructor(
    name: string,
    info: SourceLine,
    doc: DocBlock | null,
    ifcond: IfCond | null,
    features: readonly FeatureMember[],
    readonly argTypeName: string | null,
    readonly retTypeName: string | null,
    readonly flags: CommandFlags,
  ) {
    super(name, info, doc, ifcond, features);
  }

  override check(schema: SchemaContext): void {
    const info = this.info as SourceLine;
    super.check(schema);
    this.argType = checkArgType(schema, info, this.argTypeName, this.flags.boxed, 'command');
    if (this.retTypeName !== null) {
      const ret = schema.resolveType(this.retTypeName, info, "command's 'returns'");
      this.retType = ret;
      if (!info.pragma.commandReturnsExceptions.includes(this.name)) {
        const typ = ret instanceof ArrayTypeDef ? ret.elementType : ret;
        if (!(typ instanceof ObjectTypeDef)) {
          throw new QAPIError(info, `command's 'returns' cannot take ${ret.describe()}`);
        }
      }
    }
  }

  override connectDoc(doc: DocBlock | null = null): void {
    super.connectDoc(doc);
    const d = doc ?? this.doc;
    if (d && this.argType && this.argType.isImplicit()) {
      this.argType.connectDoc(d);
    }
  }
}

export class EventDef extends DefinitionDef {
  readonly meta = 'event';
  argType: ObjectTypeDef | null = null;

  constructor(
    name: string,
    info: SourceLine,
    doc: DocBlock | null,
    ifcond: IfCond | null,
    features: readonly FeatureMember[],
    readonly argTypeName: string | null,
    readonly boxed: boolean,
  ) {
    super(name, info, doc, ifcond, features);
  }

  override check(schema: SchemaContext): void {
    super.check(schema);
    this.argType = checkArgType(schema, this.info as SourceLine, this.argTypeName, this.boxed, 'event');
  }

  override connectDoc(doc: DocBlock | null = null): void {
    super.connectDoc(doc);
    const d = doc ?? this.doc;
    if (d && this.argType && this.argType.isImplicit()) {
      this.argType.connectDoc(d);
    }
  }
}
