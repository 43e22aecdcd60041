/**
 * The checked model as QEMU's QAPI test harness (tests/qapi-schema/test-qapi.py)
 * prints it. Pure.
 */
import type { Doc, Entity, Feature, IfCond, Schema, Variant } from './schema/model';

/** Python repr() of a checked condition value. */
function reprCond(cond: IfCond): string {
  if (typeof cond === 'string') {
    return `'${cond}'`;
  }
  if ('not' in cond) {
    return `{'not': ${reprCond(cond.not)}}`;
  }
  if ('all' in cond) {
    return `{'all': [${cond.all.map(reprCond).join(', ')}]}`;
  }
  return `{'any': [${cond.any.map(reprCond).join(', ')}]}`;
}

function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

class Printer {
  readonly lines: string[] = [];

  line(s: string): void {
    this.lines.push(s);
  }

  ifcond(cond: IfCond | null, indent = 4): void {
    if (cond !== null) {
      this.line(`${' '.repeat(indent)}if ${typeof cond === 'string' ? cond : reprCond(cond)}`);
    }
  }

  features(features: readonly Feature[], indent = 4): void {
    for (const f of features) {
      this.line(`${' '.repeat(indent)}feature ${f.name}`);
      this.ifcond(f.ifcond, indent + 4);
    }
  }

  variants(tag: string, variants: readonly Variant[]): void {
    this.line(`    tag ${tag}`);
    for (const v of variants) {
      this.line(`    case ${v.name}: ${v.type}`);
      this.ifcond(v.ifcond, 8);
    }
  }

  entity(e: Entity): void {
    switch (e.kind) {
      case 'include':
        this.line(`include ${e.name}`);
        return;
      case 'builtin':
        return;
      case 'enum':
        this.line(`enum ${e.name}`);
        if (e.prefix) {
          this.line(`    prefix ${e.prefix}`);
        }
        for (const m of e.members) {
          this.line(`    member ${m.name}`);
          this.ifcond(m.ifcond, 8);
          this.features(m.features, 8);
        }
        break;
      case 'array':
        if (!e.info) {
          return;
        }
        this.line(`array ${e.name} ${e.elementType}`);
        break;
      case 'object':
        this.line(`object ${e.name}`);
        if (e.base) {
          this.line(`    base ${e.base}`);
        }
        for (const m of e.localMembers) {
          this.line(`    member ${m.name}: ${m.type} optional=${pyBool(m.optional)}`);
          this.ifcond(m.ifcond, 8);
          this.features(m.features, 8);
        }
        if (e.branches) {
          this.variants(e.branches.tag, e.branches.variants);
        }
        break;
      case 'alternate':
        this.line(`alternate ${e.name}`);
        this.variants('type', e.variants);
        break;
      case 'command':
        this.line(`command ${e.name} ${e.argType ?? 'None'} -> ${e.retType ?? 'None'}`);
        this.line(
          `    gen=${pyBool(e.gen)} success_response=${pyBool(e.successResponse)} boxed=${pyBool(e.boxed)} ` +
            `oob=${pyBool(e.allowOob)} preconfig=${pyBool(e.allowPreconfig)}${e.coroutine ? ' coroutine=True' : ''}`,
        );
        break;
      case 'event':
        this.line(`event ${e.name} ${e.argType ?? 'None'}`);
        this.line(`    boxed=${pyBool(e.boxed)}`);
        break;
    }
    this.ifcond(e.ifcond);
    if (e.kind !== 'array') {
      this.features(e.features);
    }
  }

  doc(d: Doc): void {
    this.line(d.symbol !== null ? `doc symbol=${d.symbol}` : 'doc freeform');
    this.line(`    body=\n${d.body.text}`);
    for (const [name, s] of d.args) {
      this.line(`    arg=${name}\n${s.text}`);
    }
    for (const [name, s] of d.features) {
      this.line(`    feature=${name}\n${s.text}`);
    }
    for (const s of d.sections) {
      this.line(`    section=${s.kind}\n${s.text}`);
    }
  }
}

/** The harness dump of `schema`: modules and their entities, then the doc blocks. */
export function dumpSchema(schema: Schema): string {
  const p = new Printer();
  for (const mod of schema.modules) {
    p.line(`module ${mod.name}`);
    for (const e of mod.entities) {
      p.entity(e);
    }
  }
  for (const d of schema.docs) {
    p.doc(d);
  }
  return p.lines.join('\n') + '\n';
}
