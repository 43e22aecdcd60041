/** Backends: introspect.json, and the reference docs (docs/index.md, docs/index.html). */
import type { Ir, IrCommand, IrDoc, IrEvent, IrFeature, IrMember, IrType, IrTypeRef } from '../ir/types';
import { fileName, qapiTypeLabel, type OutputFile } from './common';
import { render } from './render';

export function introspectBackend(ir: Ir): OutputFile[] {
  return [{ path: fileName(ir, 'introspect.json'), content: JSON.stringify(ir.introspection, null, 2) + '\n' }];
}

// Regular expressions are module constants throughout: a literal inside a
// function is a new object each time it runs, and these run per doc text.
const HTML_SPECIAL = /[&<>"]/;
const AMP = /&/g;
const LT = /</g;
const GT = />/g;
const QUOT = /"/g;

/**
 * Text with `&<>"` escaped. Only the characters present are replaced: a doc
 * text usually holds one kind (quotes, or `<...>`), and each replace builds a
 * whole new string.
 */
function escapeHtml(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  let out = s;
  if (out.includes('&')) out = out.replace(AMP, '&amp;');
  if (out.includes('<')) out = out.replace(LT, '&lt;');
  if (out.includes('>')) out = out.replace(GT, '&gt;');
  if (out.includes('"')) out = out.replace(QUOT, '&quot;');
  return out;
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
  const lines = text.trimEnd().split('\n');
  let html = '';
  // Paragraphs are ranges of `lines` (no array per paragraph), separated by blank lines.
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i].trim() !== '') {
      if (start < 0) start = i;
    } else if (start >= 0) {
      html += (html === '' ? '' : '\n') + paragraphHtml(lines, start, i);
      start = -1;
    }
  }
  return html;
}

/** paragraphHtml for a lone line, without splitting it (this runs for most members). */
function lineHtml(line: string): string {
  const t = line.trim();
  if (t === '') return '';
  return INDENTED.test(line) ? `<pre>${escapeHtml(line.slice(line.length - line.trimStart().length))}</pre>` : `<p>${inline(t)}</p>`;
}

/** Where the text of `line` starts: its indentation, when it is a literal block's line (INDENTED); else -1. */
function literalIndent(line: string): number {
  return INDENTED.test(line) ? line.length - line.trimStart().length : -1;
}

/**
 * One paragraph, `lines[start..end)` (non-blank lines): a literal block when
 * every line is indented by two or more.
 */
function paragraphHtml(lines: readonly string[], start: number, end: number): string {
  let strip = Infinity;
  for (let i = start; i < end && strip >= 0; i++) strip = Math.min(strip, literalIndent(lines[i]));
  if (strip >= 0) {
    let pre = lines[start].slice(strip);
    for (let i = start + 1; i < end; i++) pre += '\n' + lines[i].slice(strip);
    return `<pre>${escapeHtml(pre)}</pre>`;
  }
  // Inline markup never spans lines (the patterns stop at a newline), so the
  // paragraph is marked up whole; list items then get a <br> before them.
  let text = lines[start].trim();
  for (let i = start + 1; i < end; i++) text += '\n' + lines[i].trim();
  const html = inline(text);
  // BEFORE_ITEM's two cases looked for first: most paragraphs have neither.
  return `<p>${html.includes('\n- ') || html.includes('\n* ') ? html.replace(BEFORE_ITEM, '<br>\n') : html}</p>`;
}

const CODE = /``([^`\n]+)``/g;
const EMPHASIS = /(^|[\s(])\*([^*\s][^*\n]*[^*\s]|[^*\s])\*(?=[\s.,;:)]|$)/g;
const MEMBER_REF = /@([A-Za-z0-9_.-]*[A-Za-z0-9_])/g;

function inline(s: string): string {
  let out = escapeHtml(s);
  if (out.includes('``')) out = out.replace(CODE, '<code>$1</code>');
  if (out.includes('*')) out = out.replace(EMPHASIS, '$1<em>$2</em>');
  if (out.includes('@')) out = out.replace(MEMBER_REF, '<code>$1</code>');
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

/**
 * What the views of one docs page share: links, made once per type and
 * list type (thousands of members name a few hundred types), and member
 * doc texts converted once each (a flattened member brings the same text to
 * every type that inherits it). Views never change what they get here.
 */
class Page {
  private readonly plain = new Map<string, TypeLink>();
  private readonly lists = new Map<string, TypeLink>();
  private readonly htmlTexts = new Map<string, string>();
  private readonly cellTexts = new Map<string, string>();

  constructor(readonly documented: ReadonlySet<string>) {}

  link(ref: IrTypeRef): TypeLink {
    if (ref.kind !== 'list') return this.cachedLink(this.plain, ref.qapi, ref);
    return ref.element.kind === 'list' ? typeLink(ref, this.documented) : this.cachedLink(this.lists, ref.element.qapi, ref);
  }

  /** textToHtml(text), once per text. */
  html(text: string): string {
    return cached(this.htmlTexts, text, textToHtml);
  }

  /** tableCell(text), once per text. */
  cell(text: string): string {
    return cached(this.cellTexts, text, tableCell);
  }

  private cachedLink(links: Map<string, TypeLink>, key: string, ref: IrTypeRef): TypeLink {
    let link = links.get(key);
    if (link === undefined) {
      link = typeLink(ref, this.documented);
      links.set(key, link);
    }
    return link;
  }
}

function cached(done: Map<string, string>, text: string, convert: (text: string) => string): string {
  let out = done.get(text);
  if (out === undefined) {
    out = convert(text);
    done.set(text, out);
  }
  return out;
}

/** Feature names, comma-separated ('' for none, without making an array). */
function featureNames(features: readonly IrFeature[]): string {
  return features.length === 0 ? '' : features.map((f) => f.name).join(', ');
}

function featureViews(features: readonly IrFeature[], doc: IrDoc | null) {
  return features.map((f) => ({
    name: f.name,
    cond: f.cond,
    html: textToHtml(doc?.features.get(f.name) ?? ''),
    text: (doc?.features.get(f.name) ?? '').trim(),
  }));
}

const LINE_BREAK = /\s*\n\s*/g;
const PIPE = /\|/g;

/** Doc text on one line. Most member docs have no line break, and skip the regular expressions. */
function oneLine(text: string): string {
  const t = text.trim();
  return t.includes('\n') ? t.replace(LINE_BREAK, ' ') : t;
}

/** Doc text for a Markdown table cell: one line, `|` escaped. */
function tableCell(text: string): string {
  const t = oneLine(text);
  return t.includes('|') ? t.replace(PIPE, '\\|') : t;
}

function memberViews(members: readonly IrMember[], page: Page) {
  return members.map((m) => ({
    name: m.name,
    optional: m.optional,
    type: page.link(m.type),
    html: page.html(m.doc ?? ''),
    text: page.cell(m.doc ?? ''),
    cond: m.cond,
    features: featureNames(m.features),
  }));
}

/** Doc text of an entity for the views; they copy its fields one by one (see `common` in lower.ts for why not by spreading). */
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

function commandView(c: IrCommand, page: Page) {
  const parts = docParts(c.doc);
  const returnsText = (c.doc?.sections ?? []).filter((s) => s.kind === 'Returns').map((s) => s.text);
  return {
    id: `cmd-${c.qapi}`,
    name: c.qapi,
    cond: c.cond,
    bodyHtml: parts.bodyHtml,
    bodyText: parts.bodyText,
    since: parts.since,
    sections: parts.sections.filter((s) => s.title !== 'Returns'),
    returnsHtml: textToHtml(returnsText.join('\n\n')),
    returnsText: returnsText.join('\n\n').trim(),
    features: featureViews(c.features, c.doc),
    boxed: c.boxed && c.args ? page.link({ kind: 'object', qapi: c.args.qapi, ts: c.args.ts }) : null,
    members: c.boxed ? [] : memberViews(c.args?.members ?? [], page),
    returns: c.ret ? page.link(c.ret) : null,
    flags: [
      ...(c.successResponse ? [] : ['success-response: false']),
      ...(c.allowOob ? ['allow-oob'] : []),
      ...(c.allowPreconfig ? ['allow-preconfig'] : []),
      ...(c.gen ? [] : ['gen: false']),
    ].join(', '),
  };
}

function eventView(e: IrEvent, page: Page) {
  const parts = docParts(e.doc);
  return {
    id: `event-${e.qapi}`,
    name: e.qapi,
    cond: e.cond,
    bodyHtml: parts.bodyHtml,
    bodyText: parts.bodyText,
    since: parts.since,
    sections: parts.sections,
    features: featureViews(e.features, e.doc),
    members: e.boxed ? [] : memberViews(e.data?.members ?? [], page),
    boxed: e.boxed && e.data ? page.link({ kind: 'object', qapi: e.data.qapi, ts: e.data.ts }) : null,
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
function typeView(t: IrType, page: Page) {
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
    base: typeBase(t, page.documented),
    members: t.kind === 'struct' ? memberViews(t.members, page) : t.kind === 'union' ? memberViews(t.baseMembers, page) : [],
    tag: t.kind === 'union' ? t.tag.name : null,
    values:
      t.kind === 'enum'
        ? t.values.map((v) => ({
            name: v.name,
            html: textToHtml(v.doc ?? ''),
            text: oneLine(v.doc ?? ''),
            cond: v.cond,
            features: featureNames(v.features),
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
    alternatives: t.kind === 'alternate' ? t.branches.map((b) => ({ name: b.name, type: page.link(b.type), cond: b.cond })) : [],
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
  const page = new Page(new Set(shown.map((t) => t.qapi)));
  const view = {
    title: `${ir.schemaName} reference`,
    schemaName: ir.schemaName,
    generatorVersion: ir.generatorVersion,
    commands: ir.commands.map((c) => commandView(c, page)),
    events: ir.events.map((e) => eventView(e, page)),
    types: shown.map((t) => typeView(t, page)),
  };
  return [
    { path: 'docs/' + fileName(ir, 'index.md'), content: render('docs/index.md.hbs', view) },
    { path: 'docs/' + fileName(ir, 'index.html'), content: render('docs/index.html.hbs', view) },
  ];
}
