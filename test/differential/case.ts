import type { Profile } from './agents';

export interface CaseContext {
  /** The case's scratch directory; `${DIR}` in string chunks is replaced by it. */
  readonly dir: string;
  /** The last file handle an answer returned so far (-1 if none). */
  handle: bigint;
}

/** Bytes to write: a latin1 string (each char one byte: '\xff' is 0xFF), a Buffer, or made from earlier answers. */
export type Chunk = string | Buffer | ((ctx: CaseContext) => string | Buffer);

export type Group =
  | 'framing'
  | 'json-errors'
  | 'dispatch'
  | 'arguments'
  | 'ids'
  | 'resync'
  | 'limits'
  | 'pipelining'
  | 'split'
  | 'commands'
  | 'files';

export interface Case {
  readonly name: string;
  readonly group: Group;
  /** Each element is one write on the socket. */
  readonly send: readonly Chunk[];
  /** Pause between writes (split writes really arrive apart). */
  readonly gapMs?: number;
  /** The case may leave the parser mid-message: end with 0xFF + guest-sync-delimited instead of guest-sync. */
  readonly resync?: boolean;
  readonly profile?: Profile;
  /** Files (name → content) created in the scratch directory before the case runs on each agent. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  /**
   * Written on a connection of its own that is closed, without reading,
   * before the case's connection opens (a peer that left mid-message).
   */
  readonly previousConnection?: readonly string[];
  /** Files removed before the case runs. */
  readonly absent?: readonly string[];
}
