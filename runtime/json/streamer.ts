/**
 * QEMU's JSON message streamer (qobject/json-streamer.c) over our lexer:
 * splits a byte stream into messages without delimiters, applies the
 * limits, and reports each message as a value or an error.
 *
 * Where qemu-ga is weak we deliberately differ (see
 * test/differential/intended-differences.ts): past a limit, the rest of the
 * offending message is skipped, so one message gives exactly one error; an
 * over-long token is skipped to its end instead of being lexed as JSON.
 */
import { JsonLexer } from './lexer';
import {
  MAX_NESTING,
  MAX_TOKEN_COUNT,
  MAX_TOKEN_SIZE,
  NESTING_ERROR,
  TOKEN_COUNT_ERROR,
  TOKEN_SIZE_ERROR,
} from './limits';
import { JsonSyntaxError, parseTokens, type TokenList } from './parser';
import { TokenKind, type TokenSink } from './tokens';
import { decodeLossy } from './utf8';
import type { JsonValue } from './value';

/** One framed message: a value, or the error text QEMU would report. */
export type JsonMessage = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: string };

export type MessageHandler = (message: JsonMessage) => void;

export interface StreamerOptions {
  readonly onSentinel?: () => void;
}

function parseMessage(tokens: TokenList): JsonMessage {
  try {
    return { ok: true, value: parseTokens(tokens) };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { ok: false, error: `JSON parse error, ${e.message}` };
  }
}

export class JsonStreamer implements TokenSink {
  private readonly lexer = new JsonLexer(this);
  private kinds: TokenKind[] = [];
  private texts: string[] = [];
  private bodies: (Buffer | undefined)[] = [];
  private braces = 0;
  private brackets = 0;
  private size = 0;
  /** A limit error was reported: skip the rest of this message. */
  private discarding = false;

  /**
   * @param options.onSentinel client side: a 0xFF byte (the sentinel that
   *   precedes a guest-sync-delimited answer) is reported here instead of as
   *   an error, after dropping any partial message, so a host can resync by
   *   discarding everything before it.
   */
  constructor(
    private readonly onMessage: MessageHandler,
    private readonly options: StreamerOptions = {},
  ) {}

  /** Feed bytes; complete messages are reported synchronously, in order. */
  feed(chunk: Buffer): void {
    this.lexer.feed(chunk);
  }

  /**
   * End of input (QEMU's json_message_parser_flush): finish a pending number
   * or keyword and parse whatever tokens are left ("premature EOI" if the
   * message is incomplete).
   */
  end(): void {
    this.lexer.flush();
    if (this.discarding) {
      this.clear();
      return;
    }
    if (this.kinds.length === 0) return;
    const tokens = { kinds: this.kinds, texts: this.texts, bodies: this.bodies };
    this.clear();
    this.onMessage(parseMessage(tokens));
  }

  /** Drop any partial message and lexer state (new connection, host gone). */
  reset(): void {
    this.lexer.reset();
    this.clear();
  }

  /** True when no partial message is held. */
  get idle(): boolean {
    return this.lexer.atStart && this.kinds.length === 0 && !this.discarding;
  }

  private clear(): void {
    this.kinds = [];
    this.texts = [];
    this.bodies = [];
    this.braces = 0;
    this.brackets = 0;
    this.size = 0;
    this.discarding = false;
  }

  /** QEMU's test for "keep collecting": something is open and nothing was closed too often. */
  private incomplete(): boolean {
    return (this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0;
  }

  // ---- TokenSink: called by the lexer only ----

  /** @internal */
  token(kind: TokenKind, text: string, body: Buffer | undefined, size: number): void {
    switch (kind) {
      case TokenKind.LCurly: this.braces++; break;
      case TokenKind.RCurly: this.braces--; break;
      case TokenKind.LSquare: this.brackets++; break;
      case TokenKind.RSquare: this.brackets--; break;
      default: break;
    }
    if (this.discarding) {
      if (!this.incomplete()) this.clear();
      return;
    }
    if (this.size + size + 1 > MAX_TOKEN_SIZE) return this.limit(TOKEN_SIZE_ERROR);
    if (this.kinds.length + 1 > MAX_TOKEN_COUNT) return this.limit(TOKEN_COUNT_ERROR);
    if (this.braces + this.brackets > MAX_NESTING) return this.limit(NESTING_ERROR);
    this.kinds.push(kind);
    this.texts.push(text);
    this.bodies.push(body);
    this.size += size;
    if (this.incomplete()) return;
    const tokens = { kinds: this.kinds, texts: this.texts, bodies: this.bodies };
    this.clear();
    this.onMessage(parseMessage(tokens));
  }

  /** @internal */
  lexError(bytes: Buffer): void {
    this.clear();
    if (this.options.onSentinel && bytes[bytes.length - 1] === 0xff) {
      this.options.onSentinel();
      return;
    }
    this.onMessage({ ok: false, error: `JSON parse error, stray '${decodeLossy(bytes)}'` });
  }

  /** @internal */
  tokenBudget(): number {
    return this.discarding ? Number.POSITIVE_INFINITY : MAX_TOKEN_SIZE - 1 - this.size;
  }

  /** @internal */
  overlong(): void {
    // The token being lexed will put its message over the size limit.
    this.limitKeepCounts(TOKEN_SIZE_ERROR);
  }

  /** Report a limit error; skip the rest of the message (qemu-ga lexes it as new input). */
  private limit(error: string): void {
    const complete = !this.incomplete();
    this.limitKeepCounts(error);
    if (complete) this.clear();
  }

  private limitKeepCounts(error: string): void {
    this.kinds = [];
    this.texts = [];
    this.bodies = [];
    this.size = 0;
    this.discarding = true;
    this.onMessage({ ok: false, error });
  }
}
