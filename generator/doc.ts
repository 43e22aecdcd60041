/**
 * Documentation comment blocks (QEMU 10.0 rules): parsing from their lines
 * (doc-lines.ts), and the checks against the definitions they document.
 */
import { DocLines } from './doc-lines';
import { QAPIError } from './errors';
import type { Lexer } from './lexer';
import { leadingSpace, stripNewlines } from './pytext';
import type { SourceLine } from './source';
import type { SectionKind } from './schema/model';

export class DocSectionBuilder {
  text = '';
  /** For Member/Feature sections: whether a schema member was connected. */
  connected = false;
  /**
   * Where the section starts: a SourceLine, or the number of a line of
   * `lines`, made into a SourceLine when first asked for. Only errors ask,
   * and QEMU's QMP schema has about 8,000 sections.
   */
  private at: SourceLine | number;

  constructor(
    private lines: DocLines | null,
    at: SourceLine | number,
    readonly kind: SectionKind,
    readonly name: string | null = null,
  ) {
    this.at = at;
  }

  get info(): SourceLine {
    const at = this.at;
    if (typeof at !== 'number') return at;
    const info = (this.lines as DocLines).sourceLine(at);
    this.at = info;
    return info;
  }

  /** The section starts at the current line of `lines` instead. */
  restartAt(lines: DocLines): void {
    this.lines = lines;
    this.at = lines.lineNo();
  }
}

/** Something a doc comment can describe: an object/enum member, branch or feature. */
export interface Documentable {
  readonly name: string;
  /** 'member', 'value', 'branch', 'feature' */
  readonly role: string;
  readonly info: SourceLine | null;
}

export class DocBlock {
  readonly allSections: DocSectionBuilder[];
  /** The last of allSections: where text lines go. */
  private current: DocSectionBuilder;
  readonly body: DocSectionBuilder;
  readonly args = new Map<string, DocSectionBuilder>();
  readonly features = new Map<string, DocSectionBuilder>();
  /** Sections other than body, args and features, in source order. */
  readonly sections: DocSectionBuilder[] = [];
  private returns: DocSectionBuilder | null = null;
  private errors: DocSectionBuilder | null = null;
  private since: DocSectionBuilder | null = null;

  constructor(
    readonly info: SourceLine,
    readonly symbol: string | null = null,
  ) {
    this.body = new DocSectionBuilder(null, info, 'Plain');
    this.allSections = [this.body];
    this.current = this.body;
  }

  end(): void {
    const sections = this.allSections;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i];
      section.text = stripNewlines(section.text);
      if (section.kind !== 'Plain' && section.text === '') {
        throw new QAPIError(section.info, `text required after '${section.kind}:'`);
      }
    }
  }

  /** A section for untagged text at the current line of `lines`. */
  ensureUntaggedSection(lines: DocLines): void {
    const last = this.current;
    if (last.kind === 'Plain') {
      if (!last.text) {
        last.restartAt(lines);
      }
      last.text += '\n';
      return;
    }
    const section = new DocSectionBuilder(lines, lines.lineNo(), 'Plain');
    this.sections.push(section);
    this.allSections.push(section);
    this.current = section;
  }

  /** A tagged section at the current line of `lines`. */
  newTaggedSection(lines: DocLines, kind: 'Returns' | 'Errors' | 'Since' | 'Todo'): void {
    const section = new DocSectionBuilder(lines, lines.lineNo(), kind);
    if (kind === 'Returns' || kind === 'Errors' || kind === 'Since') {
      const slot = kind === 'Returns' ? 'returns' : kind === 'Errors' ? 'errors' : 'since';
      if (this[slot]) {
        throw new QAPIError(lines.info(), `duplicated '${kind}' section`);
      }
      this[slot] = section;
    }
    this.sections.push(section);
    this.allSections.push(section);
    this.current = section;
  }

  private newDescription(lines: DocLines, name: string, kind: 'Member' | 'Feature', desc: Map<string, DocSectionBuilder>): void {
    if (!name) {
      throw new QAPIError(lines.info(), 'invalid parameter name');
    }
    if (desc.has(name)) {
      throw new QAPIError(lines.info(), `'${name}' parameter name duplicated`);
    }
    const section = new DocSectionBuilder(lines, lines.lineNo(), kind, name);
    this.allSections.push(section);
    this.current = section;
    desc.set(name, section);
  }

  /** A member description at the current line of `lines`. */
  newArgument(lines: DocLines, name: string): void {
    this.newDescription(lines, name, 'Member', this.args);
  }

  /** A feature description at the current line of `lines`. */
  newFeature(lines: DocLines, name: string): void {
    this.newDescription(lines, name, 'Feature', this.features);
  }

  appendLine(line: string): void {
    this.current.text += line + '\n';
  }

  connectMember(member: Documentable): void {
    let section = this.args.get(member.name);
    if (!section) {
      const info = member.info as SourceLine;
      if (!this.symbol || !info.pragma.documentationExceptions.includes(this.symbol)) {
        throw new QAPIError(info, `${member.role} '${member.name}' lacks documentation`);
      }
      section = new DocSectionBuilder(null, this.info, 'Member', member.name);
      this.args.set(member.name, section);
    }
    section.connected = true;
  }

  connectFeature(feature: Documentable): void {
    const section = this.features.get(feature.name);
    if (!section) {
      throw new QAPIError(feature.info, `feature '${feature.name}' lacks documentation`);
    }
    section.connected = true;
  }

  /** Checks of the block against the shape of the definition it documents. */
  checkExpr(isCommand: boolean, hasReturns: boolean): void {
    if (isCommand) {
      if (this.returns && !hasReturns) {
        throw new QAPIError(this.returns.info, "'Returns' section, but command doesn't return anything");
      }
    } else {
      if (this.returns) {
        throw new QAPIError(this.returns.info, "'Returns' section is only valid for commands");
      }
      if (this.errors) {
        throw new QAPIError(this.errors.info, "'Errors' section is only valid for commands");
      }
    }
  }

  /** Every documented member and feature must exist. */
  check(): void {
    checkDescribed(this.args, 'member');
    checkDescribed(this.features, 'feature');
  }
}

function checkDescribed(desc: Map<string, DocSectionBuilder>, what: string): void {
  if (desc.size === 0) {
    return;
  }
  const bogus: string[] = [];
  // forEach: no iterator result per entry (this runs for every doc block).
  desc.forEach((section, name) => {
    if (!section.connected) {
      bogus.push(name);
    }
  });
  if (bogus.length) {
    const many = bogus.length > 1;
    throw new QAPIError(
      (desc.get(bogus[0]) as DocSectionBuilder).info,
      `documented ${what}${many ? 's' : ''} '${bogus.join("', '")}' ${many ? 'do' : 'does'} not exist`,
    );
  }
}

// ---------------------------------------------------------------------------
// Parsing

const AT_NAME_COLON = /^@([^:]*): */;
const TAGGED = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;

/** Lines of a description or tagged section after its first line: indented text. */
function docIndented(lines: DocLines, doc: DocBlock): string | null {
  let line = lines.read();
  while (line === '') {
    doc.appendLine(line);
    line = lines.read();
  }
  if (line === null) {
    return line;
  }
  const indent = leadingSpace(line);
  if (!indent) {
    return line;
  }
  doc.appendLine(line);
  let prevBlank = false;
  for (;;) {
    line = lines.read();
    if (line === null || AT_NAME_COLON.test(line)) {
      return line;
    }
    const curIndent = leadingSpace(line);
    if (line !== '' && curIndent < indent) {
      if (prevBlank) {
        return line;
      }
      throw lines.error(`unexpected de-indent (expected at least ${indent} spaces)`);
    }
    doc.appendLine(line);
    // QEMU sets this after every line (not only blank ones), so only the
    // first continuation line must keep the indentation.
    prevBlank = true;
  }
}

function docParagraph(lines: DocLines, doc: DocBlock): string | null {
  for (;;) {
    const line = lines.read();
    if (line === null || line === '') {
      return line;
    }
    doc.appendLine(line);
  }
}

/**
 * Parse a doc comment block; the lexer's current token is its opening '##'
 * comment. `fast`: split a plainly written block natively (doc-lines.ts).
 */
export function parseDocBlock(lx: Lexer, fast = true): DocBlock {
  if (lx.val !== '##') {
    throw lx.error("junk after '##' at start of documentation comment");
  }
  const info = lx.info;
  const lines = new DocLines(lx, fast);
  let line = lines.read();
  let doc: DocBlock;
  if (line !== null && line.startsWith('@')) {
    if (!line.endsWith(':')) {
      throw lines.error("line should end with ':'");
    }
    const symbol = line.slice(1, -1);
    if (!symbol) {
      throw lines.error("name required after '@'");
    }
    doc = new DocBlock(info, symbol);
    line = lines.read();
    let haveTagged = false;
    while (line !== null) {
      while (line === '') {
        line = lines.read();
      }
      if (line === null) {
        break;
      }
      let m: RegExpExecArray | null;
      if (line === 'Features:') {
        if (doc.features.size) {
          throw lines.error("duplicated 'Features:' line");
        }
        line = lines.read();
        while (line === '') {
          line = lines.read();
        }
        while (line !== null && (m = AT_NAME_COLON.exec(line))) {
          doc.newFeature(lines, m[1]);
          const text = line.slice(m[0].length);
          if (text) {
            doc.appendLine(text);
          }
          line = docIndented(lines, doc);
        }
        if (!doc.features.size) {
          throw lines.error('feature descriptions expected');
        }
        haveTagged = true;
      } else if ((m = AT_NAME_COLON.exec(line))) {
        if (haveTagged) {
          throw lines.error(`description of '@${m[1]}:' follows a section`);
        }
        while (line !== null && (m = AT_NAME_COLON.exec(line))) {
          doc.newArgument(lines, m[1]);
          const text = line.slice(m[0].length);
          if (text) {
            doc.appendLine(text);
          }
          line = docIndented(lines, doc);
        }
        haveTagged = true;
      } else if ((m = TAGGED.exec(line))) {
        const tag = m[1];
        if (tag.startsWith('Note')) {
          throw lines.error(
            `The '${tag}' section is no longer supported. Please use rST's '.. note::' or ` +
              "'.. admonition:: notes' directives, or another suitable admonition instead.",
          );
        }
        if (tag.startsWith('Example')) {
          throw lines.error(
            `The '${tag}' section is no longer supported. Please use the '.. qmp-example::' ` +
              'directive, or other suitable markup instead.',
          );
        }
        doc.newTaggedSection(lines, tag === 'TODO' ? 'Todo' : (tag as 'Returns' | 'Errors' | 'Since'));
        const text = line.slice(m[0].length);
        if (text) {
          doc.appendLine(text);
        }
        line = docIndented(lines, doc);
        haveTagged = true;
      } else if (line.startsWith('=')) {
        throw lines.error("unexpected '=' markup in definition documentation");
      } else {
        doc.ensureUntaggedSection(lines);
        doc.appendLine(line);
        line = docParagraph(lines, doc);
      }
    }
  } else {
    doc = new DocBlock(info);
    doc.ensureUntaggedSection(lines);
    let first = true;
    while (line !== null) {
      const m = AT_NAME_COLON.exec(line);
      if (m) {
        throw lines.error(`'@${m[1]}:' not allowed in free-form documentation`);
      }
      if (line.startsWith('=') && !first) {
        throw lines.error("'=' heading must come first in a comment block");
      }
      doc.appendLine(line);
      line = lines.read();
      first = false;
    }
  }
  lines.close();
  lx.accept();
  doc.end();
  return doc;
}
