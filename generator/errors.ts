/**
 * The front end's error: a message with an optional source position,
 * rendered exactly like QEMU's QAPIError / QAPISourceError / QAPIParseError.
 */
import type { SourceLine } from './source';

export class QAPIError extends Error {
  /**
   * @param info where the error is; null for errors without a location
   *   ("can't read schema file ...").
   * @param col 1-based column, only for parse errors.
   */
  constructor(
    readonly info: SourceLine | null,
    readonly msg: string,
    readonly col: number | null = null,
  ) {
    super(msg);
    this.name = 'QAPIError';
  }

  /** The error as QEMU's str(err): include chain, "In META 'NAME':", FILE:LINE[:COL]: MESSAGE. */
  render(): string {
    if (!this.info) {
      return this.msg;
    }
    let loc = this.info.toString();
    if (this.col !== null) {
      loc += ':' + this.col;
    }
    return loc + ': ' + this.msg;
  }

  /** Exactly the text QEMU's test harness expects on stderr (the .err file). */
  format(): string {
    return this.render() + '\n';
  }

  override toString(): string {
    return this.render();
  }
}

/** Shorthand for a semantic error at `info`. */
export function semError(info: SourceLine | null, msg: string): QAPIError {
  return new QAPIError(info, msg);
}
