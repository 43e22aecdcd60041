/**
 * The checked schema model: the front end's output and every backend's input.
 *
 * Plain data. Entities refer to each other by name; `Schema.lookup` resolves a
 * name. The shapes mirror QEMU's scripts/qapi/schema.py so that the
 * conformance dump (QEMU's test harness format) is a simple walk over them.
 *
 * Contract between the front end and the backends: fields may be added, but
 * not renamed or removed without updating every backend.
 */

/** Where a definition or doc block comes from. `parent` is the include chain. */
export interface SourceInfo {
  /** File name as QEMU prints it: the root as given, includes joined unnormalised. */
  readonly fname: string;
  /** 1-based line of the token starting the expression (or doc section). */
  readonly line: number;
  /** Info of the include directive that brought this file in, or null for the root. */
  readonly parent: SourceInfo | null;
}

/** An `if` condition, as written in the schema after shape checks. */
export type IfCond = string | { readonly all: readonly IfCond[] } | { readonly any: readonly IfCond[] } | { readonly not: IfCond };

export interface Feature {
  readonly name: string;
  readonly ifcond: IfCond | null;
  readonly info: SourceInfo | null;
}

/** JSON types of built-in scalars as introspection names them. */
export type BuiltinJsonType = 'string' | 'int' | 'number' | 'boolean' | 'null' | 'value';

interface EntityCommon {
  readonly name: string;
  /** null for built-in entities. */
  readonly info: SourceInfo | null;
  readonly doc: Doc | null;
  readonly ifcond: IfCond | null;
  readonly features: readonly Feature[];
  /** Module name as the dump prints it: './builtin' or relpath from the main file's dir. */
  readonly module: string;
}

export interface BuiltinType extends EntityCommon {
  readonly kind: 'builtin';
  /** int, int8 ... uint64, size, number, str, bool, null, any, QType is an enum */
  readonly jsonType: BuiltinJsonType;
}

export interface EnumMember {
  readonly name: string;
  readonly ifcond: IfCond | null;
  readonly features: readonly Feature[];
}

export interface EnumType extends EntityCommon {
  readonly kind: 'enum';
  readonly members: readonly EnumMember[];
  readonly prefix: string | null;
}

export interface ArrayType extends EntityCommon {
  readonly kind: 'array';
  /** NAMEList; element type name. */
  readonly elementType: string;
}

export interface ObjectMember {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly ifcond: IfCond | null;
  readonly features: readonly Feature[];
}

/** A union or alternate branch. */
export interface Variant {
  readonly name: string;
  readonly type: string;
  readonly ifcond: IfCond | null;
}

export interface UnionBranches {
  /** Name of the discriminator member (a member of the base). */
  readonly tag: string;
  /** One per discriminator enum value, implicit 'q_empty' branches included, enum order. */
  readonly variants: readonly Variant[];
}

export interface ObjectType extends EntityCommon {
  readonly kind: 'object';
  /** 'struct' for structs and implicit q_obj_* / q_empty types, 'union' for unions. */
  readonly meta: 'struct' | 'union';
  /** True for q_obj_* argument/base types and q_empty. */
  readonly implicit: boolean;
  readonly base: string | null;
  /** Members declared by this type itself, in order. */
  readonly localMembers: readonly ObjectMember[];
  /** All members: base members (recursively) first, then local ones. */
  readonly members: readonly ObjectMember[];
  readonly branches: UnionBranches | null;
}

export interface AlternateType extends EntityCommon {
  readonly kind: 'alternate';
  readonly variants: readonly Variant[];
}

export interface Command extends EntityCommon {
  readonly kind: 'command';
  /** Argument type name (implicit 'q_obj_NAME-arg' or a named type), or null. */
  readonly argType: string | null;
  readonly retType: string | null;
  readonly gen: boolean;
  readonly successResponse: boolean;
  readonly boxed: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
}

export interface Event extends EntityCommon {
  readonly kind: 'event';
  readonly argType: string | null;
  readonly boxed: boolean;
}

export interface Include {
  readonly kind: 'include';
  /** Included module name (as the dump prints it). */
  readonly name: string;
  readonly info: SourceInfo;
  readonly module: string;
}

export type TypeEntity = BuiltinType | EnumType | ArrayType | ObjectType | AlternateType;
export type Entity = TypeEntity | Command | Event | Include;

/** A doc comment section, QEMU 10.0 kinds. */
export type SectionKind = 'Plain' | 'Member' | 'Feature' | 'Returns' | 'Errors' | 'Since' | 'Todo';

export interface DocSection {
  readonly kind: SectionKind;
  /** Member or feature name for 'Member'/'Feature' sections. */
  readonly name: string | null;
  readonly text: string;
  readonly info: SourceInfo;
}

export interface Doc {
  /** Symbol documented, or null for a free-form block. */
  readonly symbol: string | null;
  readonly info: SourceInfo;
  /** The leading untagged section. */
  readonly body: DocSection;
  /** Member descriptions by name, in source order (stubs included). */
  readonly args: ReadonlyMap<string, DocSection>;
  readonly features: ReadonlyMap<string, DocSection>;
  /** Every section after the body, in source order (Returns, Since, Plain, ...). */
  readonly sections: readonly DocSection[];
}

export interface Module {
  readonly name: string;
  readonly entities: readonly Entity[];
}

export interface Schema {
  /** Main schema file as given. */
  readonly file: string;
  /** './builtin', the main file, then each module at its first include. */
  readonly modules: readonly Module[];
  /** Every entity in definition order (built-ins first). */
  readonly entities: readonly Entity[];
  /** Named entities (everything but includes) by name. */
  readonly lookup: ReadonlyMap<string, Exclude<Entity, Include>>;
  /** Doc blocks in source order. */
  readonly docs: readonly Doc[];
  /**
   * Every feature the schema uses, once, by first use: the special features
   * ('deprecated', 'unstable', info null) first. (Added by the front end.)
   */
  readonly features: readonly Feature[];
}
