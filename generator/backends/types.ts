/** Backend: TypeScript declarations (types.gen.ts). */
import type { Ir, IrMember, IrType } from '../ir/types';
import { MEMBER_INDENT, commentBlock, docComment, fileName, mentionsAny, preamble, str, tsType, type OutputFile } from './common';
import { render } from './render';

function memberComment(m: IrMember): string {
  // Most members have a doc text and nothing else.
  if (!m.cond && m.features.length === 0) return m.doc ? commentBlock(m.doc.trim(), MEMBER_INDENT) : '';
  const all: string[] = [];
  if (m.doc) all.push(m.doc.trim());
  if (m.cond) all.push(`Condition: ${m.cond}`);
  if (m.features.length > 0) all.push(`Features: ${m.features.map((f) => f.name).join(', ')}`);
  return all.length > 0 ? commentBlock(all.join('\n\n'), MEMBER_INDENT) : '';
}

function entityExtras(t: { cond: string | null; features: readonly { name: string }[] }): string[] {
  const out: string[] = [];
  if (t.cond) out.push(`Condition: ${t.cond}`);
  if (t.features.some((f) => f.name === 'deprecated')) out.push('@deprecated');
  const other = t.features.filter((f) => f.name !== 'deprecated').map((f) => f.name);
  if (other.length > 0) out.push(`Features: ${other.join(', ')}`);
  return out;
}

function declView(t: IrType): object {
  const comment = docComment(t.doc, entityExtras(t), '');
  switch (t.kind) {
    case 'enum':
      return { enum: true, name: t.ts, comment, values: t.values.map((v) => str(v.name)) };
    case 'struct':
      return {
        struct: true,
        name: t.ts,
        comment,
        members: t.members.map((m) => ({
          comment: memberComment(m),
          key: m.key,
          optional: m.optional,
          type: tsType(m.type, ''),
        })),
      };
    case 'union':
      return {
        union: true,
        name: t.ts,
        comment,
        variants: t.variants.map((v) =>
          [`${t.tag.key}: ${str(v.value)}`, t.base.ts, ...(v.branch ? [v.branch.ts] : [])]
            .map((p, i) => (i === 0 ? `{ ${p} }` : p))
            .join(' & '),
        ),
      };
    case 'alternate':
      return { alternate: true, name: t.ts, comment, branches: t.branches.map((b) => tsType(b.type, '')) };
  }
}

/** Whether a declaration of `t` writes the runtime's JsonValue (members and branches of `any`). */
function declMentionsAny(t: IrType): boolean {
  if (t.kind === 'struct') return t.members.some((m) => mentionsAny(m.type));
  if (t.kind === 'alternate') return t.branches.some((b) => mentionsAny(b.type));
  return false;
}

export function typesBackend(ir: Ir): OutputFile[] {
  const content = render('types.hbs', {
    preamble: preamble(ir),
    schemaName: ir.schemaName,
    importRt: ir.types.some(declMentionsAny),
    decls: ir.types.map(declView),
  });
  return [{ path: fileName(ir, 'types.gen.ts'), content }];
}
