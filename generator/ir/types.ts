/**
 * The TypeScript-shaped intermediate representation.
 *
 * Every decision the backends need is made when lowering the checked model
 * into this: which entities exist (after `if` evaluation), their TypeScript
 * names, optional members, flattened bases, union and alternate shapes, the
 * integer representation of every integer, handler and client method names,
 * documentation text, and the introspection data. Backends only print.
 */
import type { SchemaInfo } from './introspect';

/** How a value of some QAPI type is represented in TypeScript. */
export type IrTypeRef =
  /** int, int64 (signed) and uint64, size (unsigned): bigint, or number by configuration. */
  | { readonly kind: 'int64'; readonly qapi: string; readonly signed: boolean; readonly repr: 'bigint' | 'number' }
  /** int8..int32, uint8..uint32: number with QEMU's range check. */
  | {
      readonly kind: 'narrow';
      readonly qapi: string;
      readonly signed: boolean;
      readonly min: number;
      readonly max: number;
      readonly ctype: string;
    }
  | { readonly kind: 'number' | 'str' | 'bool' | 'null' | 'any'; readonly qapi: string }
  | { readonly kind: 'enum' | 'object' | 'alternate'; readonly qapi: string; readonly ts: string }
  | { readonly kind: 'list'; readonly qapi: string; readonly element: IrTypeRef };

/** Documentation attached to an entity, ready to print. */
export interface IrDoc {
  /** Leading free text (may be empty). */
  readonly body: string;
  /** Sections after the body, in source order, Since excluded. */
  readonly sections: readonly { readonly kind: string; readonly text: string }[];
  /** The Since text, if any. */
  readonly since: string | null;
  /** Feature descriptions by feature name. */
  readonly features: ReadonlyMap<string, string>;
}

export interface IrFeature {
  readonly name: string;
  /** Condition text as written (for docs), null if unconditional. */
  readonly cond: string | null;
}

export interface IrEntityCommon {
  /** QAPI name. */
  readonly qapi: string;
  readonly doc: IrDoc | null;
  readonly features: readonly IrFeature[];
  /** Condition text (evaluated true) for docs, or null. */
  readonly cond: string | null;
  /** Module the entity was defined in. */
  readonly module: string;
}

export interface IrMember {
  /** Wire name, also the TypeScript property name. */
  readonly name: string;
  /** Property key as written in TypeScript source (quoted when needed). */
  readonly key: string;
  readonly optional: boolean;
  readonly type: IrTypeRef;
  readonly doc: string | null;
  readonly features: readonly IrFeature[];
  readonly cond: string | null;
}

export interface IrEnumValue {
  readonly name: string;
  readonly doc: string | null;
  readonly features: readonly IrFeature[];
  readonly cond: string | null;
}

export interface IrEnum extends IrEntityCommon {
  readonly kind: 'enum';
  readonly ts: string;
  readonly values: readonly IrEnumValue[];
}

export interface IrStruct extends IrEntityCommon {
  readonly kind: 'struct';
  readonly ts: string;
  /** q_obj_* implicit types (command/event arguments, union bases). */
  readonly implicit: boolean;
  /** QAPI name of the base, for docs. */
  readonly base: string | null;
  /** Every member, base members first (flattened). */
  readonly members: readonly IrMember[];
}

export interface IrUnionVariant {
  /** Discriminator value. */
  readonly value: string;
  /** Branch type, or null for an implicit empty branch. */
  readonly branch: { readonly qapi: string; readonly ts: string; readonly union: boolean } | null;
  readonly cond: string | null;
}

export interface IrUnion extends IrEntityCommon {
  readonly kind: 'union';
  readonly ts: string;
  /** The base struct (named or implicit), which holds the discriminator. */
  readonly base: { readonly qapi: string; readonly ts: string; readonly implicit: boolean };
  readonly baseMembers: readonly IrMember[];
  readonly tag: IrMember;
  readonly variants: readonly IrUnionVariant[];
}

export interface IrAlternateBranch {
  readonly name: string;
  readonly type: IrTypeRef;
  /** JSON type this branch takes. */
  readonly qtype: 'qnull' | 'qnum' | 'qstring' | 'qdict' | 'qlist' | 'qbool';
  readonly cond: string | null;
}

export interface IrAlternate extends IrEntityCommon {
  readonly kind: 'alternate';
  readonly ts: string;
  readonly branches: readonly IrAlternateBranch[];
}

export type IrType = IrEnum | IrStruct | IrUnion | IrAlternate;

export interface IrCommand extends IrEntityCommon {
  readonly kind: 'command';
  /** Handler member name: qmp_<c_name>. */
  readonly handler: string;
  /** Client method name (camelCase). */
  readonly method: string;
  /**
   * Arguments: an object type (implicit q_obj_*-arg or the boxed type), or
   * null when the command takes none.
   */
  readonly args: {
    readonly qapi: string;
    readonly ts: string;
    /** Every member optional (client stubs default the argument to {}). */
    readonly allOptional: boolean;
    /** Members, for docs (empty for boxed unions). */
    readonly members: readonly IrMember[];
  } | null;
  readonly boxed: boolean;
  readonly ret: IrTypeRef | null;
  readonly gen: boolean;
  readonly successResponse: boolean;
  readonly allowOob: boolean;
  readonly allowPreconfig: boolean;
  readonly coroutine: boolean;
}

export interface IrEvent extends IrEntityCommon {
  readonly kind: 'event';
  readonly data: { readonly qapi: string; readonly ts: string; readonly members: readonly IrMember[] } | null;
  readonly boxed: boolean;
}

export interface Ir {
  /** Schema file name as shown in preambles (base name). */
  readonly schemaName: string;
  readonly generatorVersion: string;
  /** File name prefix. */
  readonly prefix: string;
  /** Types to declare, in definition order. */
  readonly types: readonly IrType[];
  /** Names of types that need decode/encode functions. */
  readonly marshalled: ReadonlySet<string>;
  readonly commands: readonly IrCommand[];
  readonly events: readonly IrEvent[];
  /** query-qmp-schema SchemaInfo list. */
  readonly introspection: readonly SchemaInfo[];
}
