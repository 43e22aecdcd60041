/**
 * Source positions as QEMU's QAPI front end tracks them.
 *
 * At most one `SourceLine` object exists per source line (the lexer makes it
 * when something on the line first needs a position) and it is shared by
 * everything starting on that line. `setDefinition` mutates it, so with two definitions on one line, an
 * error reported later for the first one names the second (QEMU does the same).
 */
import type { SourceInfo } from './schema/model';

/** Pragma settings; one object shared by every file of a schema (pragmas are global). */
export interface Pragma {
  docRequired: boolean;
  commandNameExceptions: readonly string[];
  commandReturnsExceptions: readonly string[];
  documentationExceptions: readonly string[];
  memberNameExceptions: readonly string[];
}

export function newPragma(): Pragma {
  return {
    docRequired: false,
    commandNameExceptions: [],
    commandReturnsExceptions: [],
    documentationExceptions: [],
    memberNameExceptions: [],
  };
}

export class SourceLine implements SourceInfo {
  /** Meta-type and name of the definition starting on this line, once known. */
  defnMeta: string | null = null;
  defnName: string | null = null;

  constructor(
    readonly fname: string,
    readonly line: number,
    readonly parent: SourceLine | null,
    readonly pragma: Pragma,
  ) {}

  /** A root or included file's first line. */
  static first(fname: string, parent: SourceLine | null): SourceLine {
    return new SourceLine(fname, 1, parent, parent ? parent.pragma : newPragma());
  }

  nextLine(): SourceLine {
    return new SourceLine(this.fname, this.line + 1, this.parent, this.pragma);
  }

  setDefinition(meta: string, name: string): void {
    this.defnMeta = meta;
    this.defnName = name;
  }

  /** FILE:LINE */
  location(): string {
    return `${this.fname}:${this.line}`;
  }

  /** "FILE: In META 'NAME':\n" when this line starts a definition. */
  inDefinition(): string {
    return this.defnName ? `${this.fname}: In ${this.defnMeta} '${this.defnName}':\n` : '';
  }

  /** One "In file included from FILE:LINE:" line per include level, outermost first. */
  includePath(): string {
    let out = '';
    for (let p = this.parent; p; p = p.parent) {
      out = `In file included from ${p.location()}:\n` + out;
    }
    return out;
  }

  toString(): string {
    return this.includePath() + this.inDefinition() + this.location();
  }
}
