/**
 * QAPI schema lexer with QEMU's exact rules (scripts/qapi/parser.py
 * `accept`): single-character structural tokens, single-quoted strings with
 * only the `\\` escape and printable ASCII, `true`/`false` matched by prefix,
 * `#` comments (returned as tokens inside doc comments), and `stray '...'`
 * errors. Works on char codes. All tokens of a line share one `SourceLine`
 * (made when first asked for), as QEMU's tokens share one info object.
 */
import { QAPIError } from './errors';
import { SourceLine } from './source';

/** Token kinds: structural characters, "'" string, 't'/'f' booleans, '#' comment, null at EOF. */
export type Token = '{' | '}' | ':' | ',' | '[' | ']' | "'" | 't' | 'f' | '#' | null;

const CH_NL = 0x0a;
const CH_HASH = 0x23;
const CH_QUOTE = 0x27;
const CH_BACKSLASH = 0x5c;
const CH_TAB = 0x09;
const CH_SPACE = 0x20;

/** Python's str.isspace() for one UTF-16 code unit (no astral space characters exist). */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  }
  if (c < 0x85) {
    return false;
  }
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/**
 * Character classes for accept(): plain constants, not an enum (an enum
 * member is a property read at every use in unoptimised code). EOF: past
 * the end of the text, or the final newline; WORD: printable ASCII that
 * starts no token by itself (`true`, `false`, or a stray run).
 */
const [OTHER, SPACE, NEWLINE, HASH, STRUCTURAL, QUOTE, EOF, WORD] = [0, 1, 2, 3, 4, 5, 6, 7];

const CHAR_CLASS = new Uint8Array(0x80);
for (let c = 0x21; c < 0x7f; c++) CHAR_CLASS[c] = WORD;
CHAR_CLASS[CH_SPACE] = SPACE;
CHAR_CLASS[CH_NL] = NEWLINE;
CHAR_CLASS[CH_HASH] = HASH;
CHAR_CLASS[CH_QUOTE] = QUOTE;
for (const c of '{}:,[]') CHAR_CLASS[c.charCodeAt(0)] = STRUCTURAL;

export class Lexer {
  /** Current token. */
  tok: Token = null;
  /** String contents, boolean value, or comment text (including the '#'). */
  val: string | boolean | null = null;
  /** Index of the current token's first character. */
  pos = 0;
  /** 1-based line number of the current token. */
  lineNo: number;
  /** Index where the current line starts. */
  linePos = 0;
  private cursor = 0;
  /** The file's first line: file name, include parent and pragma for the others. */
  private readonly first: SourceLine;
  /** The SourceLine last asked for (made lazily: most lines never need one). */
  private lastInfo: SourceLine | null;
  /** The source holds non-ASCII text (see `piece`). */
  readonly wide: boolean;

  /** `src` must end with a newline. */
  constructor(readonly src: string, first: SourceLine) {
    this.first = first;
    this.lastInfo = first;
    this.lineNo = first.line;
    // Natively counted: a regular expression scan of every file cost 0.5% of a QMP run.
    this.wide = Buffer.byteLength(src, 'utf8') !== src.length;
  }

  /**
   * `src.slice(start, end)` for a wide source (one holding non-ASCII text).
   * One non-ASCII character anywhere makes V8 hold the whole file, and every
   * slice of it, two bytes per character; names and doc text from such a
   * file would then make every output quoting them two-byte too, which costs
   * the backends and the UTF-8 encoding of the files (4% of generating QEMU's
   * QMP schema, where two files have one such character each, in comments).
   * ASCII pieces of such a file are therefore copied into one-byte strings.
   */
  private piece(start: number, end: number): string {
    const s = this.src.slice(start, end);
    return NON_ASCII.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1');
  }

  /**
   * The current token's line; the same object for every token of one line.
   * Made when first asked for, and recognised by its number (cheaper than
   * forgetting it at every new line: most lines never need one).
   */
  get info(): SourceLine {
    return this.lineInfo(this.lineNo);
  }

  /** Line `lineNo`'s SourceLine (the current line's, or one past it that a reader ahead of the lexer asks for). */
  lineInfo(lineNo: number): SourceLine {
    let info = this.lastInfo;
    if (info === null || info.line !== lineNo) {
      const f = this.first;
      info = new SourceLine(f.fname, lineNo, f.parent, f.pragma);
      this.lastInfo = info;
    }
    return info;
  }

  /** A SourceLine for line `lineNo` of this file, made now and not kept. */
  sourceLineAt(lineNo: number): SourceLine {
    const f = this.first;
    return new SourceLine(f.fname, lineNo, f.parent, f.pragma);
  }

  /** A parse error at the current token: FILE:LINE:COL with QEMU's (buggy) tab rule. */
  error(msg: string): QAPIError {
    let col = 1;
    const { src } = this;
    for (let i = this.linePos; i < this.pos; i++) {
      const c = src.charCodeAt(i);
      if (c === CH_TAB) {
        col = ((col + 7) % 8) + 1;
      } else if (c >= 0xdc00 && c <= 0xdfff && i > this.linePos && isHighSurrogate(src.charCodeAt(i - 1))) {
        // second half of a code point already counted
      } else {
        col += 1;
      }
    }
    return new QAPIError(this.info, msg, col);
  }

  /**
   * Read the next token, and return its kind (also left in `tok`). With
   * `skipComment` false, comments are returned as '#' tokens; a comment
   * starting with '##' is always returned.
   *
   * The scan keeps its position and line in locals and stores them into the
   * lexer once, with the token: this code runs unoptimised, where every
   * property store is a call (the stores made per skipped line and space
   * run were a third of the lexer's instructions on QEMU's QMP schema).
   */
  accept(skipComment = true): Token {
    const { src } = this;
    let pos = this.cursor;
    let lineNo = this.lineNo;
    let linePos = this.linePos;
    // Where the next scan starts, and what was found at `pos`.
    let cursor: number;
    let found: number;
    for (;;) {
      const c = src.charCodeAt(pos);
      // One table lookup classifies the character (comparisons are calls here).
      const cls = c < 0x80 ? CHAR_CLASS[c] : c === c ? OTHER : EOF;
      if (cls === SPACE) {
        // Indentation: the whole run at once.
        pos++;
        while (src.charCodeAt(pos) === CH_SPACE) pos++;
      } else if (cls === NEWLINE) {
        if (pos + 1 === src.length) {
          cursor = pos + 1;
          found = EOF;
          break;
        }
        pos++;
        lineNo++;
        linePos = pos;
      } else if (cls === HASH) {
        const next = src.indexOf('\n', pos + 1);
        if (!skipComment || src.charCodeAt(pos + 1) === CH_HASH) {
          cursor = next;
          found = HASH;
          break;
        }
        pos = next;
      } else if (cls === OTHER && isPySpace(c)) {
        pos++;
      } else {
        cursor = pos + 1;
        found = cls;
        break;
      }
    }
    this.pos = pos;
    this.cursor = cursor;
    if (lineNo !== this.lineNo) {
      this.lineNo = lineNo;
      this.linePos = linePos;
    }
    if (found === STRUCTURAL) {
      const tok = src[pos] as Token;
      this.tok = tok;
      this.val = null;
      return tok;
    }
    if (found === HASH) {
      this.tok = '#';
      this.val = this.wide ? this.piece(pos, cursor) : src.slice(pos, cursor);
      return '#';
    }
    if (found === QUOTE) {
      this.tok = "'";
      this.val = this.lexString();
      return "'";
    }
    if (found === EOF && pos + 1 === src.length) {
      this.tok = null;
      this.val = null;
      return null;
    }
    if (src.startsWith('true', pos)) {
      this.tok = 't';
      this.val = true;
      this.cursor = pos + 4;
      return 't';
    }
    if (src.startsWith('false', pos)) {
      this.tok = 'f';
      this.val = false;
      this.cursor = pos + 5;
      return 'f';
    }
    this.tok = null;
    this.val = null;
    throw this.error(`stray '${strayRun(src, pos)}'`);
  }

  /**
   * `accept(false)` for the next line of a doc comment block, called only
   * while the current token is a comment. Most such lines are a comment at
   * the start of the very next line and read directly; for the commonest,
   * '# text', the text after '# ' is returned and the token's value is left
   * unset (the doc parser wants only that text). Otherwise the token is read
   * as usual and undefined returned.
   */
  acceptDocLine(): string | undefined {
    const { src } = this;
    const nl = this.cursor;
    if (src.charCodeAt(nl) === CH_NL && src.charCodeAt(nl + 1) === CH_HASH) {
      const pos = nl + 1;
      const next = src.indexOf('\n', pos + 1);
      this.pos = pos;
      this.cursor = next;
      this.lineNo++;
      this.linePos = pos;
      if (src.charCodeAt(pos + 1) === CH_SPACE) {
        return this.wide ? this.piece(pos + 2, next) : src.slice(pos + 2, next);
      }
      this.val = this.wide ? this.piece(pos, next) : src.slice(pos, next);
      return undefined;
    }
    this.accept(false);
    return undefined;
  }

  /**
   * Skip text read by other means (see json-expr.ts): the next accept()
   * scans from `end`, with the line count advanced over the newlines before
   * it. `end` must be a newline at or after the current token.
   */
  resumeAt(end: number): void {
    const { src } = this;
    let lineNo = this.lineNo;
    let linePos = this.linePos;
    for (let nl = src.indexOf('\n', this.cursor); nl >= 0 && nl < end; nl = src.indexOf('\n', nl + 1)) {
      lineNo++;
      linePos = nl + 1;
    }
    this.moveTo(this.pos, end, lineNo, linePos);
  }

  /**
   * Continue from a token found by other means (see doc-lines.ts): it starts
   * at `pos` on line `lineNo` (which starts at `linePos`); the next accept()
   * scans from `cursor`.
   */
  moveTo(pos: number, cursor: number, lineNo: number, linePos: number): void {
    this.pos = pos;
    this.cursor = cursor;
    this.lineNo = lineNo;
    this.linePos = linePos;
  }

  private lexString(): string {
    const { src } = this;
    let out = '';
    for (;;) {
      // The plain characters up to the next quote, backslash or bad
      // character, in one native regular expression step.
      const start = this.cursor;
      STRING_RUN.lastIndex = start;
      STRING_RUN.test(src);
      const end = STRING_RUN.lastIndex;
      const c = src.charCodeAt(end);
      this.cursor = end + 1;
      if (c === CH_QUOTE) {
        const run = this.wide ? this.piece(start, end) : src.slice(start, end);
        return out === '' ? run : out + run;
      }
      if (c === CH_NL || Number.isNaN(c)) {
        throw this.error(`missing terminating "'"`);
      }
      if (c !== CH_BACKSLASH) {
        throw this.error('funny character in string');
      }
      const escaped = src.charCodeAt(end + 1);
      this.cursor = end + 2;
      if (escaped === CH_NL || Number.isNaN(escaped)) {
        throw this.error(`missing terminating "'"`);
      }
      if (escaped !== CH_BACKSLASH) {
        throw this.error(`unknown escape \\${codePointAt(src, end + 1)}`);
      }
      out += (this.wide ? this.piece(start, end) : src.slice(start, end)) + '\\';
    }
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A run of printable ASCII other than the quote and the backslash (sticky; always matches). */
const STRING_RUN = /[ -&(-[\]-~]*/y;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The whole code point at `i` (Python indexes code points, not UTF-16 units). */
function codePointAt(src: string, i: number): string {
  const cp = src.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/**
 * Python's `[^[\]{}:,\s']+` (its \s is exactly the str.isspace() set).
 * Made on first use, for an error message: V8 builds a Unicode class as
 * soon as the regular expression is created.
 */
let strayRunPattern: RegExp | undefined;

/** What `stray '...'` shows: the run up to the next structural, space or quote character. */
function strayRun(src: string, pos: number): string {
  const pattern = (strayRunPattern ??= /[^[\]{}:,'\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/uy);
  pattern.lastIndex = pos;
  const m = pattern.exec(src);
  // QEMU asserts here (a lone quote cannot be stray); show the character.
  return m ? m[0] : codePointAt(src, pos);
}
