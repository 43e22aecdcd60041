/** Token kinds of QEMU's JSON lexer (qobject/json-parser-int.h). */
export const enum TokenKind {
  LCurly = 1,
  RCurly,
  LSquare,
  RSquare,
  Colon,
  Comma,
  Integer,
  Float,
  Keyword,
  String,
}

/** The callbacks a lexer drives: the message streamer implements them. */
export interface TokenSink {
  /**
   * A complete token. `text` is the token text for numbers and keywords.
   * For strings, either `body` holds the raw bytes between the quotes and
   * `text` the opening quote, or `body` is undefined and `text` is the
   * already decoded value (plain ASCII without escapes). `size` is the token's
   * length in bytes (quotes included), as QEMU counts it.
   */
  token(kind: TokenKind, text: string, body: Buffer | undefined, size: number): void;
  /** A lexical error: `bytes` is the token so far, the offending byte last. */
  lexError(bytes: Buffer): void;
  /**
   * Bytes the token being lexed may still grow to before its message is over
   * the size limit. When a token outgrows it, the lexer calls `overlong()`
   * once and then skips the rest of that token without keeping it.
   */
  tokenBudget(): number;
  overlong(): void;
}
