/**
 * The lines of one doc comment block, as the doc parser (doc.ts) asks for
 * them: the text after '# ', right-stripped, then null at the closing '##'.
 *
 * A block closed by a line '##' in an ASCII file is split natively at once,
 * and its lines are taken from there while they are written plainly ('#',
 * or '# text' ending in a printable character); from the first other line
 * on, the block is read from the lexer, which also reports its errors.
 * Positions are the lexer's either way: plain lines are numbered from the
 * block's opening line and start in column 1. (In a file holding non-ASCII
 * text every slice would be a two-byte string, which the lexer avoids; see
 * `Lexer.piece`.)
 *
 * Why: a line read through the lexer costs about a thousand instructions of
 * property accesses in unoptimised code, and doc comments are three
 * quarters of QEMU's QMP schema text.
 */
import { QAPIError } from './errors';
import type { Lexer } from './lexer';
import { pyRstrip } from './pytext';
import type { SourceLine } from './source';

const SPACE = 0x20;

export class DocLines {
  /** The block's body lines, '#' included, while they are taken from here; null once the lexer reads them. */
  private lines: string[] | null = null;
  /** Lines taken from `lines`, the closing '##' included once reached. */
  private taken = 0;
  /** The opening '##' line's number, where the body starts, and where the closing '##' line starts. */
  private readonly firstLine: number;
  private readonly bodyStart: number;
  private closeStart = 0;

  /** `lx` is at the block's opening '##' token; with `fast` false, every line is read from it. */
  constructor(
    private readonly lx: Lexer,
    fast: boolean,
  ) {
    const { src, pos } = lx;
    this.firstLine = lx.lineNo;
    this.bodyStart = pos + 3;
    if (!fast || lx.wide || !src.startsWith('##\n', pos)) return;
    const close = src.indexOf('\n##', pos + 2);
    if (close < 0 || !src.startsWith('##\n', close + 1)) return;
    this.lines = close === pos + 2 ? [] : src.slice(pos + 3, close).split('\n');
    this.closeStart = close + 1;
  }

  /** Whether the lines read so far were all taken from the native split. */
  get plain(): boolean {
    return this.lines !== null;
  }

  /** The next line's text; null at the closing '##'. Throws for lines a doc block cannot have. */
  read(): string | null {
    const lines = this.lines;
    if (lines !== null) {
      const i = this.taken;
      if (i === lines.length) {
        this.taken = i + 1;
        return null;
      }
      const line = lines[i];
      // '#', or '# ' and text ending in a printable character. (One
      // startsWith call costs less than two charCodeAt calls.)
      if (line === '#') {
        this.taken = i + 1;
        return '';
      }
      if (line.startsWith('# ') && line.charCodeAt(line.length - 1) > SPACE) {
        this.taken = i + 1;
        return line.slice(2);
      }
      this.handOver(lines, i);
    }
    const text = this.lx.acceptDocLine();
    return text === undefined ? docLine(this.lx) : pyRstrip(text);
  }

  /** The current line's number (the line last read). */
  lineNo(): number {
    return this.lines === null ? this.lx.lineNo : this.firstLine + this.taken;
  }

  /**
   * Line `lineNo` of this block, as a SourceLine of its own. (A doc line
   * starts no definition, so it reads the same as the lexer's would.)
   */
  sourceLine(lineNo: number): SourceLine {
    return this.lx.sourceLineAt(lineNo);
  }

  /** The current line (the one last read). */
  info(): SourceLine {
    return this.lines === null ? this.lx.info : this.lx.lineInfo(this.firstLine + this.taken);
  }

  /** An error at the current line. */
  error(msg: string): QAPIError {
    return this.lines === null ? this.lx.error(msg) : new QAPIError(this.info(), msg, 1);
  }

  /** After the closing '##' was read: leave the lexer on it, as if it had read the block. */
  close(): void {
    if (this.lines !== null) {
      const start = this.closeStart;
      this.lx.moveTo(start, start + 2, this.firstLine + this.taken, start);
    }
  }

  /** From body line `i` on, the lexer reads: it is left on the line before, as if it had read it. */
  private handOver(lines: string[], i: number): void {
    this.lines = null;
    if (i > 0) {
      const start = this.lineStart(lines, i - 1);
      this.lx.moveTo(start, start + lines[i - 1].length, this.firstLine + i, start);
    }
  }

  /** Where body line `i` starts in the source. */
  private lineStart(lines: string[], i: number): number {
    let start = this.bodyStart;
    for (let k = 0; k < i; k++) start += lines[k].length + 1;
    return start;
  }
}

/** The text of the lexer's current doc line; null at the closing '##'. */
function docLine(lx: Lexer): string | null {
  if (lx.tok !== '#') {
    throw lx.error("documentation comment must end with '##'");
  }
  const val = lx.val as string;
  if (val.startsWith('##')) {
    if (val !== '##') {
      throw lx.error("junk after '##' at end of documentation comment");
    }
    return null;
  }
  if (val === '#') {
    return '';
  }
  if (val[1] !== ' ') {
    throw lx.error('missing space after #');
  }
  return pyRstrip(val.slice(2));
}
