/**
 * Members of schema entities during checking: object members, enum values,
 * union/alternate branches and features. Mirrors QEMU's QAPISchemaMember
 * family, including `describe()` wording used in error messages.
 */
import { cName } from '../common';
import type { DocBlock } from '../doc';
import { QAPIError } from '../errors';
import type { SourceLine } from '../source';
import type { IfCond } from './model';
import type { SchemaContext, TypeDef } from './entities';

export type Role = 'member' | 'value' | 'feature' | 'branch';

export abstract class MemberBase {
  abstract readonly role: Role;
  /** Name of the entity (or, for features of members, the member) defining this. */
  definedIn: string | null = null;

  constructor(
    readonly name: string,
    readonly info: SourceLine | null,
    readonly ifcond: IfCond | null,
  ) {}

  setDefinedIn(name: string): void {
    this.definedIn = name;
  }

  /** Record this member in `seen` (keyed by C name); a clash is an error at `info`. */
  checkClash(info: SourceLine | null, seen: Map<string, MemberBase>): void {
    const key = cName(this.name);
    const other = seen.get(key);
    if (other) {
      throw new QAPIError(info, `${this.describe(info)} collides with ${other.describe(info)}`);
    }
    seen.set(key, this);
  }

  /** E.g. "member 'x'", "member 'x' of type 'T'", "parameter 'x' of command 'c'", "base member 'x'". */
  describe(info: SourceLine | null): string {
    let role: string = this.role;
    let meta = 'type';
    let definedIn = this.definedIn ?? '';
    if (definedIn.startsWith('q_obj_')) {
      definedIn = definedIn.slice(6);
      if (definedIn.endsWith('-arg')) {
        role = 'parameter';
        meta = 'command';
        definedIn = definedIn.slice(0, -4);
      } else if (definedIn.endsWith('-base')) {
        role = 'base ' + role;
        definedIn = definedIn.slice(0, -5);
      }
    }
    if (definedIn !== info?.defnName) {
      return `${role} '${this.name}' of ${meta} '${definedIn}'`;
    }
    return `${role} '${this.name}'`;
  }

  connectDoc(doc: DocBlock | null): void {
    doc?.connectMember(this);
  }
}

export class FeatureMember extends MemberBase {
  readonly role = 'feature';

  static readonly SPECIAL_NAMES: readonly string[] = ['deprecated', 'unstable'];

  isSpecial(): boolean {
    return FeatureMember.SPECIAL_NAMES.includes(this.name);
  }
}

/** Features of one entity or member must not clash (by C name). */
export function checkFeatureClash(features: readonly FeatureMember[], info: SourceLine | null): void {
  // Most entities and members have at most one feature: nothing can clash.
  if (features.length < 2) return;
  const seen = new Map<string, MemberBase>();
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    f.checkClash(info, seen);
  }
}

export class EnumValue extends MemberBase {
  readonly role = 'value';

  constructor(name: string, info: SourceLine | null, ifcond: IfCond | null, readonly features: readonly FeatureMember[]) {
    super(name, info, ifcond);
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      f.setDefinedIn(name);
    }
  }

  override connectDoc(doc: DocBlock | null): void {
    super.connectDoc(doc);
    if (doc) {
      for (let i = 0; i < this.features.length; i++) {
        const f = this.features[i];
        doc.connectFeature(f);
      }
    }
  }
}

export class ObjectMemberDef extends MemberBase {
  readonly role: Role = 'member';
  /** Resolved during check(). */
  type: TypeDef | null = null;

  constructor(
    name: string,
    info: SourceLine | null,
    readonly typeName: string,
    readonly optional: boolean,
    ifcond: IfCond | null,
    readonly features: readonly FeatureMember[],
  ) {
    super(name, info, ifcond);
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      f.setDefinedIn(name);
    }
  }

  check(schema: SchemaContext): void {
    this.type = schema.resolveType(this.typeName, this.info, (info) => this.describe(info));
    checkFeatureClash(this.features, this.info);
  }

  override connectDoc(doc: DocBlock | null): void {
    super.connectDoc(doc);
    if (doc) {
      for (let i = 0; i < this.features.length; i++) {
        const f = this.features[i];
        doc.connectFeature(f);
      }
    }
  }
}

export class BranchDef extends ObjectMemberDef {
  override readonly role: Role = 'branch';

  constructor(name: string, info: SourceLine | null, typeName: string, ifcond: IfCond | null) {
    super(name, info, typeName, false, ifcond, []);
  }
}
