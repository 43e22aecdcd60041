/** Backends: introspect.json, and the reference docs (docs/index.md, docs/index.html). */
import type { Ir, IrCommand, IrDoc, IrEvent, IrFeature, IrMember, IrType, IrTypeRef } from '../ir/types';
import { fileName, qapiTypeLabel, type OutputFile } from './common';
import { render } from './render';

export function introspectBackend(ir: Ir): OutputFile[] {
  return [{ path: fileName(ir, 'introspect.json'), content: JSON.stringify(ir.introspection, null, 2) + '\n' }];
}

const HTML_SPECIAL = /[&<>"]/;

function escapeHtml(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const INDENTED = /^\s{2,}\S/;
/** A line break inside a paragraph before a list item (`- ` or `* `). */
const BEFORE_ITEM = /\n(?=[-*] )/g;

/**
 * QAPI doc text (reST-like) to HTML: paragraphs, indented literal blocks,
 * `@member`, ``code`` and *emphasis*. Works a paragraph at a time: the
 * regular expressions do the per-character work natively, which matters
 * because this runs over every doc text of the schema in a short process.
 */
export function textToHtml(text: string): string {
  if (text === '') return '';
  if (!text.includes('\n')) return lineHtml(text); // most member docs
  const blocks: string[] = [];
  let para: string[] = [];
  const lines = text.trimEnd().split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      if (para.length > 0) blocks.push(paragraphHtml(para));
      para = [];
    } else {
      para.push(line);
    }
  }
  if (para.length > 0) blocks.push(paragraphHtml(para));
  return blocks.join('\n');
}

/** paragraphHtml([line]) for a lone line, without the arrays (this runs for most members). */
function lineHtml(line: string): string {
  const t = line.trim();
  if (t === '') return '';
  return INDENTED.test(line) ? `<pre>${escapeHtml(line.slice(line.length - line.trimStart().length))}</pre>` : `<p>${inline(t)}</p>`;
}

/** One paragraph (non-blank lines): a literal block when every line is indented by two or more. */
function paragraphHtml(lines: readonly string[]): string {
  if (lines.every((l) => INDENTED.test(l))) {
    let strip = Infinity;
    for (const l of lines) strip = Math.min(strip, l.length - l.trimStart().length);
    return `<pre>${escapeHtml(lines.map((l) => l.slice(strip)).join('\n'))}</pre>`;
  }
  // Inline markup never spans lines (the patterns stop at a newline), so the
  // paragraph is marked up whole; list items then get a <br> before them.
  const html = inline(lines.map((l) => l.trim()).join('\n'));
  return `<p>${html.includes('\n') ? html.replace(BEFORE_ITEM, '<br>\n') : html}</p>`;
}

function inline(s: string): string {
  let out = escapeHtml(s);
  if (out.includes('``')) out = out.replace(/``([^`\n]+)``/g, '<code>$1</code>');
  if (out.includes('*')) out = out.replace(/(^|[\s(])\*([^*\s][^*\n]*[^*\s]|[^*\s])\*(?=[\s.,;:)]|$)/g, '$1<em>$2</em>');
  if (out.includes('@')) out = out.replace(/@([A-Za-z0-9_.-]*[A-Za-z0-9_])/g, '<code>$1</code>');
  return out;
}

interface TypeLink {
  readonly label: string;
  readonly href: string | null;
}

function typeLink(ref: IrTypeRef, documented: ReadonlySet<string>): TypeLink {
  const inner = ref.kind === 'list' ? ref.element : ref;
  const href = documented.has(inner.qapi) ? `#type-${inner.qapi}` : null;
  return { label: qapiTypeLabel(ref), href };
}

function featureViews(features: readonly IrFeature[], doc: IrDoc | null) {
  return features.map((f) => ({
    name: f.name,
    cond: f.cond,
    html: textToHtml(doc?.features.get(f.name) ?? ''),
    text: (doc?.features.get(f.name) ?? '').trim(),
  }));
}

/** Doc text on one line. Most member docs have no line break, and skip the regular expressions. */
function oneLine(text: string): string {
  const t = text.trim();
  return t.includes('\n') ? t.replace(/\s*\n\s*/g, ' ') : t;
}

/** Doc text for a Markdown table cell: one line, `|` escaped. */
function tableCell(text: string): string {
  const t = oneLine(text);
  return t.includes('|') ? t.replace(/\|/g, '\\|') : t;
}

function memberViews(members: readonly IrMember[], documented: ReadonlySet<string>) {
  return members.map((m) => ({
    name: m.name,
    optional: m.optional,
    type: typeLink(m.type, documented),
    html: textToHtml(m.doc ?? ''),
    text: tableCell(m.doc ?? ''),
    cond: m.cond,
    features: m.features.map((f) => f.name).join(', '),
  }));
}

function docParts(doc: IrDoc | null) {
  return {
    bodyHtml: textToHtml(doc?.body ?? ''),
    bodyText: (doc?.body ?? '').trim(),
    since: doc?.since ?? null,
    sections: (doc?.sections ?? [])
      .filter((s) => s.text.trim() !== '')
      .map((s) => ({
        title: s.kind === 'Plain' ? null : s.kind,
        html: textToHtml(s.text),
        text: s.text.trim(),
      })),
  };
}

function commandView(c: IrCommand, documented: ReadonlySet<string>) {
  const parts = docParts(c.doc);
  const returnsText = (c.doc?.sections ?? []).filter((s) => s.kind === 'Returns').map((s) => s.text);
  return {
    id: `cmd-${c.qapi}`,
    name: c.qapi,
    cond: c.cond,
    ...parts,
    sections: parts.sections.filter((s) => s.title !== 'Returns'),
    returnsHtml: textToHtml(returnsText.join('\n\n')),
    returnsText: returnsText.join('\n\n').trim(),
    features: featureViews(c.features, c.doc),
    boxed: c.boxed && c.args ? typeLink({ kind: 'object', qapi: c.args.qapi, ts: c.args.ts }, documented) : null,
    members: c.boxed ? [] : memberViews(c.args?.members ?? [], documented),
    returns: c.ret ? typeLink(c.ret, documented) : null,
    flags: [
      ...(c.successResponse ? [] : ['success-response: false']),
      ...(c.allowOob ? ['allow-oob'] : []),
      ...(c.allowPreconfig ? ['allow-preconfig'] : []),
      ...(c.gen ? [] : ['gen: false']),
    ].join(', '),
  };
}

function eventView(e: IrEvent, documented: ReadonlySet<string>) {
  return {
    id: `event-${e.qapi}`,
    name: e.qapi,
    cond: e.cond,
    ...docParts(e.doc),
    features: featureViews(e.features, e.doc),
    members: e.boxed ? [] : memberViews(e.data?.members ?? [], documented),
    boxed: e.boxed && e.data ? typeLink({ kind: 'object', qapi: e.data.qapi, ts: e.data.ts }, documented) : null,
  };
}

const TYPE_KIND_LABELS = { enum: 'Enum', struct: 'Object', union: 'Union', alternate: 'Alternate' } as const;

/**
 * The view of one type. Every kind gets the same properties, in the same
 * order (unused ones null or empty), built in one literal: the templates
 * then read every type view through one object shape. Views spread from a
 * shared base each got a shape of their own (V8 gave every clone a new
 * map), and each property read in the templates missed V8's caches: about
 * 18,000 slow lookups on QEMU's QMP schema, 3% of a run's instructions.
 */
function typeView(t: IrType, documented: ReadonlySet<string>) {
  const parts = docParts(t.doc);
  return {
    id: `type-${t.qapi}`,
    name: t.qapi,
    cond: t.cond,
    bodyHtml: parts.bodyHtml,
    bodyText: parts.bodyText,
    since: parts.since,
    sections: parts.sections,
    features: featureViews(t.features, t.doc),
    kind: TYPE_KIND_LABELS[t.kind],
    base: typeBase(t, documented),
    members: t.kind === 'struct' ? memberViews(t.members, documented) : t.kind === 'union' ? memberViews(t.baseMembers, documented) : [],
    tag: t.kind === 'union' ? t.tag.name : null,
    values:
      t.kind === 'enum'
        ? t.values.map((v) => ({
            name: v.name,
            html: textToHtml(v.doc ?? ''),
            text: oneLine(v.doc ?? ''),
            cond: v.cond,
            features: v.features.map((f) => f.name).join(', '),
          }))
        : [],
    variants:
      t.kind === 'union'
        ? t.variants.map((v) => ({
            value: v.value,
            type: v.branch ? { label: v.branch.qapi, href: `#type-${v.branch.qapi}` } : null,
            cond: v.cond,
          }))
        : [],
    alternatives: t.kind === 'alternate' ? t.branches.map((b) => ({ name: b.name, type: typeLink(b.type, documented), cond: b.cond })) : [],
  };
}

/** The link to a type's base: a struct's documented base, a union's explicit one. */
function typeBase(t: IrType, documented: ReadonlySet<string>): TypeLink | null {
  if (t.kind === 'struct') return t.base && documented.has(t.base) ? { label: t.base, href: `#type-${t.base}` } : null;
  if (t.kind === 'union') return t.base.implicit ? null : { label: t.base.qapi, href: `#type-${t.base.qapi}` };
  return null;
}

export function docsBackend(ir: Ir): OutputFile[] {
  const shown = ir.types.filter((t) => !(t.kind === 'struct' && t.implicit));
  const documented = new Set(shown.map((t) => t.qapi));
  const view = {
    title: `${ir.schemaName} reference`,
    schemaName: ir.schemaName,
    generatorVersion: ir.generatorVersion,
    commands: ir.commands.map((c) => commandView(c, documented)),
    events: ir.events.map((e) => eventView(e, documented)),
    types: shown.map((t) => typeView(t, documented)),
  };
  return [
    { path: 'docs/' + fileName(ir, 'index.md'), content: render('docs/index.md.hbs', view) },
    { path: 'docs/' + fileName(ir, 'index.html'), content: render('docs/index.html.hbs', view) },
  ];
}
