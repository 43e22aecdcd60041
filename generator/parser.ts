/**
 * QAPI schema parser: expressions, doc comment blocks and the `include` /
 * `pragma` directives, following QEMU's scripts/qapi/parser.py.
 *
 * Include paths are joined to the including file's directory without
 * normalisation (as Python's os.path.join does); a file is parsed at most
 * once (by absolute path); an include of a file on the parent chain is an
 * inclusion loop.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DocBlock, parseDocBlock } from './doc';
import { QAPIError } from './errors';
import { readJsonExpr } from './json-expr';
import { Lexer } from './lexer';
import { SourceLine } from './source';

/** A parsed JSON-ish value: strings, booleans, arrays and objects (insertion-ordered). */
export type QValue = string | boolean | QValue[] | QObject;
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface QObject extends Map<string, QValue> {}

export function isQObject(v: QValue | undefined): v is QObject {
  return v instanceof Map;
}

/** A top-level expression with where it starts and the doc block before it. */
export interface ParsedExpr {
  readonly expr: QObject;
  readonly info: SourceLine;
  readonly doc: DocBlock | null;
}

export interface ParseResult {
  readonly exprs: ParsedExpr[];
  readonly docs: DocBlock[];
}

export interface ParseOptions {
  /** Receives one-line deprecation warnings ("FILE:LINE: warning: ..."). */
  readonly warn?: (message: string) => void;
  /**
   * Read plainly written expressions and doc blocks natively (json-expr.ts,
   * doc-lines.ts). Default true; false reads every token with the lexer
   * (tests compare the two).
   */
  readonly fastPaths?: boolean;
}

/** Deepest nesting of '{' / '[' accepted (QEMU's recursive parser would overflow). */
export const MAX_NESTING = 500;

/** Deepest chain of nested includes accepted (QEMU's recursion would overflow). */
export const MAX_INCLUDE_DEPTH = 256;

/** os.path.join(a, b) for POSIX paths. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/') || a === '') {
    return b;
  }
  return a.endsWith('/') ? a + b : a + '/' + b;
}

/** os.path.dirname for POSIX paths. */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) {
    head = head.replace(/\/+$/, '');
  }
  return head;
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENXIO: 'No such device or address',
  EIO: 'Input/output error',
  EINVAL: 'Invalid argument',
};

/** Thrown by readSchemaText when the file cannot be read; carries C's strerror text. */
export class ReadFailure extends Error {
  constructor(readonly strerror: string) {
    super(strerror);
  }
}

/**
 * Read a schema file as QEMU does (UTF-8, universal newlines, a newline
 * appended when missing). Invalid UTF-8 is reported as a parse error.
 */
export function readSchemaText(fname: string, info: SourceLine): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(fname);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new ReadFailure(STRERROR[code] ?? (code === 'ERR_INVALID_ARG_VALUE' ? STRERROR.ENOENT : (err as Error).message));
  }
  let text: string;
  if (isUtf8(bytes)) {
    text = bytes.toString('utf8');
  } else {
    // Position of the first bad sequence: decoding replaces it with U+FFFD.
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
    const bad = text.indexOf('\ufffd');
    const before = text.slice(0, bad).replace(/\r\n?/g, '\n');
    const lineStart = before.lastIndexOf('\n') + 1;
    let lines = 0;
    for (let i = 0; i < lineStart; i++) {
      if (before.charCodeAt(i) === 0x0a) {
        lines++;
      }
    }
    const line = new SourceLine(info.fname, info.line + lines, info.parent, info.pragma);
    throw new QAPIError(line, 'invalid UTF-8 sequence', before.length - lineStart + 1);
  }
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
  }
  if (text === '' || !text.endsWith('\n')) {
    text += '\n';
  }
  return text;
}

const META_KEYS = ['enum', 'struct', 'union', 'alternate', 'command', 'event'];

/** Parse `fname` and everything it includes. Throws QAPIError; a root file that cannot be read throws ReadFailure. */
export function parseSchema(fname: string, options: ParseOptions = {}): ParseResult {
  const out: ParseResult = { exprs: [], docs: [] };
  const first = SourceLine.first(fname, null);
  const src = readSchemaText(fname, first);
  new FileParser(fname, src, first, { included: new Set<string>(), absolute: new Map<string, string>() }, options, out).parse();
  return out;
}

/** What the parsers of one schema's files share. */
interface SchemaFiles {
  /** Absolute paths of the files parsed so far. */
  readonly included: Set<string>;
  /** File names as written, resolved (the include loop check asks for each file of the parent chain again). */
  readonly absolute: Map<string, string>;
}

/** '.', '..' or empty segments, or a trailing '/'. */
const NOT_PLAIN_PATH = /(^|\/)\.\.?(\/|$)|\/\/|\/$/;

/** Whether `p` is a relative path that resolving would not change (no '.', '..' or empty segments). */
export function isPlainRelative(p: string): boolean {
  return p !== '' && p.charCodeAt(0) !== 0x2f && !NOT_PLAIN_PATH.test(p);
}

function absolutePath(files: SchemaFiles, fname: string): string {
  let abs = files.absolute.get(fname);
  if (abs === undefined) {
    // An absolute name without '.', '..' or empty segments is resolved already.
    abs = fname.charCodeAt(0) === 0x2f && fname.length > 1 && !NOT_PLAIN_PATH.test(fname) ? fname : resolve(fname);
    files.absolute.set(fname, abs);
  }
  return abs;
}

class FileParser {
  private readonly lx: Lexer;

  constructor(
    private readonly fname: string,
    src: string,
    first: SourceLine,
    private readonly files: SchemaFiles,
    private readonly options: ParseOptions,
    private readonly out: ParseResult,
  ) {
    files.included.add(absolutePath(files, fname));
    this.lx = new Lexer(src, first);
  }

  parse(): void {
    const lx = this.lx;
    let curDoc: DocBlock | null = null;
    lx.accept();
    while (lx.tok !== null) {
      if (lx.tok === '#') {
        rejectExprDoc(curDoc);
        curDoc = parseDocBlock(lx, this.options.fastPaths !== false);
        this.out.docs.push(curDoc);
        continue;
      }
      const info = lx.info;
      const expr = this.topExpr();
      if (!isQObject(expr)) {
        throw new QAPIError(info, 'top-level expression must be an object');
      }
      if (expr.has('include')) {
        rejectExprDoc(curDoc);
        this.include(expr, info);
      } else if (expr.has('pragma')) {
        rejectExprDoc(curDoc);
        if (expr.size !== 1) {
          throw new QAPIError(info, "invalid 'pragma' directive");
        }
        const pragma = expr.get('pragma');
        if (!isQObject(pragma)) {
          throw new QAPIError(info, "value of 'pragma' must be an object");
        }
        for (const [name, value] of pragma) {
          this.pragma(name, value, info);
        }
      } else {
        if (curDoc && !curDoc.symbol) {
          throw new QAPIError(curDoc.info, 'definition documentation required');
        }
        this.out.exprs.push({ expr: this.modernise(expr, info), info, doc: curDoc });
      }
      curDoc = null;
    }
    rejectExprDoc(curDoc);
  }

  /** The expression at the current token, natively read when it is written plainly. */
  private topExpr(): QValue {
    const lx = this.lx;
    if (lx.tok === '{' && this.options.fastPaths !== false) {
      const read = readJsonExpr(lx.src, lx.pos, MAX_NESTING);
      if (read !== null) {
        lx.resumeAt(read.end);
        lx.accept();
        return read.value;
      }
    }
    return this.getExpr(0);
  }

  /** Legacy definition keyword 'type' is 'struct'. */
  private modernise(expr: QObject, info: SourceLine): QObject {
    if (!expr.has('type') || META_KEYS.some((k) => expr.has(k))) {
      return expr;
    }
    this.options.warn?.(`${info.location()}: warning: 'type' is deprecated; use 'struct' instead`);
    const renamed: QObject = new Map();
    for (const [k, v] of expr) {
      renamed.set(k === 'type' ? 'struct' : k, v);
    }
    return renamed;
  }

  private include(expr: QObject, info: SourceLine): void {
    if (expr.size !== 1) {
      throw new QAPIError(info, "invalid 'include' directive");
    }
    const include = expr.get('include');
    if (typeof include !== 'string') {
      throw new QAPIError(info, "value of 'include' must be a string");
    }
    const inclFname = pyJoin(pyDirname(this.fname), include);
    this.out.exprs.push({ expr: new Map([['include', inclFname]]), info, doc: null });
    const abs = absolutePath(this.files, inclFname);
    for (let inf: SourceLine | null = info; inf; inf = inf.parent) {
      if (abs === absolutePath(this.files, inf.fname)) {
        throw new QAPIError(info, `inclusion loop for ${include}`);
      }
    }
    if (this.files.included.has(abs)) {
      return;
    }
    let depth = 0;
    for (let inf: SourceLine | null = info; inf; inf = inf.parent) {
      depth++;
    }
    if (depth > MAX_INCLUDE_DEPTH) {
      throw new QAPIError(info, `includes nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`);
    }
    const first = SourceLine.first(inclFname, info);
    let src: string;
    try {
      src = readSchemaText(inclFname, first);
    } catch (err) {
      if (err instanceof ReadFailure) {
        throw new QAPIError(info, `can't read include file '${inclFname}': ${err.strerror}`);
      }
      throw err;
    }
    new FileParser(inclFname, src, first, this.files, this.options, this.out).parse();
  }

  private pragma(name: string, value: QValue, info: SourceLine): void {
    const pragma = info.pragma;
    const listOfStr = (what: string): string[] => {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new QAPIError(info, `pragma ${what} must be a list of strings`);
      }
      return value as string[];
    };
    const legacy = (modern: string): void => {
      this.options.warn?.(`${info.location()}: warning: pragma '${name}' is deprecated; use '${modern}' instead`);
    };
    switch (name) {
      case 'doc-required':
        if (typeof value !== 'boolean') {
          throw new QAPIError(info, "pragma 'doc-required' must be boolean");
        }
        pragma.docRequired = value;
        break;
      case 'command-name-exceptions':
        pragma.commandNameExceptions = listOfStr(name);
        break;
      case 'command-returns-exceptions':
        pragma.commandReturnsExceptions = listOfStr(name);
        break;
      case 'returns-whitelist':
        legacy('command-returns-exceptions');
        pragma.commandReturnsExceptions = listOfStr(name);
        break;
      case 'documentation-exceptions':
        pragma.documentationExceptions = listOfStr(name);
        break;
      case 'member-name-exceptions':
        pragma.memberNameExceptions = listOfStr(name);
        break;
      case 'name-case-whitelist':
        legacy('member-name-exceptions');
        pragma.memberNameExceptions = listOfStr(name);
        break;
      default:
        throw new QAPIError(info, `unknown pragma '${name}'`);
    }
  }

  /** The value starting at the current token (nested `depth` levels deep). */
  private getExpr(depth: number): QValue {
    const lx = this.lx;
    const tok = lx.tok;
    if (tok === '{' || tok === '[') {
      if (depth >= MAX_NESTING) {
        throw lx.error(`nesting too deep (more than ${MAX_NESTING} levels)`);
      }
      lx.accept();
      return tok === '{' ? this.getMembers(depth + 1) : this.getValues(depth + 1);
    }
    if (tok === "'" || tok === 't' || tok === 'f') {
      const val = lx.val as string | boolean;
      lx.accept();
      return val;
    }
    throw lx.error("expected '{', '[', string, or boolean");
  }

  // The token is taken from accept() or read afresh from the lexer after
  // each call (no method call per check: this runs for every token).
  private getMembers(depth: number): QObject {
    const lx = this.lx;
    const expr: QObject = new Map();
    let tok = lx.tok;
    if (tok === '}') {
      lx.accept();
      return expr;
    }
    if (tok !== "'") {
      throw lx.error("expected string or '}'");
    }
    for (;;) {
      const key = lx.val as string;
      if (lx.accept() !== ':') {
        throw lx.error("expected ':'");
      }
      lx.accept();
      if (expr.has(key)) {
        throw lx.error(`duplicate key '${key}'`);
      }
      expr.set(key, this.getExpr(depth));
      tok = lx.tok;
      if (tok === '}') {
        lx.accept();
        return expr;
      }
      if (tok !== ',') {
        throw lx.error("expected ',' or '}'");
      }
      if (lx.accept() !== "'") {
        throw lx.error('expected string');
      }
    }
  }

  private getValues(depth: number): QValue[] {
    const lx = this.lx;
    const expr: QValue[] = [];
    let tok = lx.tok;
    if (tok === ']') {
      lx.accept();
      return expr;
    }
    if (tok !== '{' && tok !== '[' && tok !== "'" && tok !== 't' && tok !== 'f') {
      throw lx.error("expected '{', '[', ']', string, or boolean");
    }
    for (;;) {
      expr.push(this.getExpr(depth));
      tok = lx.tok;
      if (tok === ']') {
        lx.accept();
        return expr;
      }
      if (tok !== ',') {
        throw lx.error("expected ',' or ']'");
      }
      lx.accept();
    }
  }
}

function rejectExprDoc(doc: DocBlock | null): void {
  if (doc && doc.symbol) {
    throw new QAPIError(doc.info, `documentation for '${doc.symbol}' is not followed by the definition`);
  }
}
