/**
 * A byte-level, incremental JSON lexer with QEMU's rules
 * (qobject/json-lexer.c): single-quoted strings, errors that keep the token
 * so far and then skip to a resynchronisation point (a structural
 * character, a control byte other than TAB, or 0xFE/0xFF).
 *
 * String bodies are scanned with Buffer.indexOf and a word-wise check, not
 * byte by byte, so a 32 MiB base64 string costs a few native passes.
 */
import { isAscii } from 'node:buffer';
import { findBadStringByte } from './scan';
import { TokenKind, type TokenSink } from './tokens';

const enum S {
  Start,
  Recovery,
  DqString,
  DqEscape,
  SqString,
  SqEscape,
  Zero,
  ExpDigits,
  ExpSign,
  ExpE,
  Mantissa,
  MantissaDigits,
  Digits,
  Sign,
  Keyword,
}

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
/** Node's Buffer#latin1Slice: toString('latin1') without the argument handling. */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

/** Strings up to this many bytes are tried on the fast path. */
const SHORT_STRING = 256;

function isRecoveryStop(c: number): boolean {
  return (
    (c < 0x20 && c !== 0x09) ||
    c >= 0xfe ||
    c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x3a || c === 0x2c
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The body as a string, if it is all ASCII. */
function asciiBody(body: Buffer): string | undefined {
  return isAscii(body) ? (body as unknown as Latin1Slicer).latin1Slice(0, body.length) : undefined;
}

export class JsonLexer {
  private state: S = S.Start;
  /** Text of the number or keyword being lexed. */
  private text = '';
  /** Pieces of the string token being lexed, opening quote included. */
  private parts: Buffer[] = [];
  /** Length of the token being lexed, in bytes. */
  private length = 0;
  /** The token outgrew its budget: skip it without keeping bytes. */
  private skipping = false;
  /** The string being lexed has a backslash escape. */
  private escaped = false;
  /** Set by the short-string fast path: where feed() continues. */
  private resumeAt = -1;

  constructor(private readonly sink: TokenSink) {}

  /** Forget any partial token; start clean. */
  reset(): void {
    this.state = S.Start;
    this.text = '';
    this.parts = [];
    this.length = 0;
    this.skipping = false;
  }

  /** True when no token is in progress (and not recovering from an error). */
  get atStart(): boolean {
    return this.state === S.Start;
  }

  feed(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    // Cached position of the next quote of either kind in `buf` (-1: none after cache point).
    let dqAt = -2;
    let sqAt = -2;
    while (i < n) {
      const state = this.state;
      if (state === S.DqString || state === S.SqString) {
        const quote = state === S.DqString ? QUOTE : APOSTROPHE;
        let q: number;
        if (quote === QUOTE) {
          if (dqAt !== -1 && dqAt < i) dqAt = buf.indexOf(QUOTE, i);
          q = dqAt < 0 ? n : dqAt;
        } else {
          if (sqAt !== -1 && sqAt < i) sqAt = buf.indexOf(APOSTROPHE, i);
          q = sqAt < 0 ? n : sqAt;
        }
        const bsRel = buf.subarray(i, q).indexOf(BACKSLASH);
        const stop = bsRel < 0 ? q : i + bsRel;
        const bad = findBadStringByte(buf, i, stop);
        if (bad >= 0) {
          this.appendString(buf.subarray(i, bad + 1));
          i = bad + 1;
          this.error();
          continue;
        }
        this.appendString(buf.subarray(i, stop));
        i = stop;
        if (i === n) break;
        this.appendString(buf.subarray(i, i + 1));
        i++;
        if (stop === q) {
          this.finishString();
        } else {
          this.escaped = true;
          this.state = state === S.DqString ? S.DqEscape : S.SqEscape;
        }
        continue;
      }
      const c = buf[i]!;
      switch (state) {
        case S.Start:
          i++;
          this.start(c, buf, i);
          if (this.resumeAt >= 0) {
            i = this.resumeAt;
            this.resumeAt = -1;
          }
          break;
        case S.Recovery:
          if (isRecoveryStop(c)) {
            this.state = S.Start;
          } else {
            i++;
          }
          break;
        case S.DqEscape:
        case S.SqEscape:
          this.appendString(buf.subarray(i, i + 1));
          i++;
          if (c < 0x20 || c >= 0xfe) this.error();
          else this.state = state === S.DqEscape ? S.DqString : S.SqString;
          break;
        default:
          if (this.number(state, c)) i++;
          break;
      }
    }
  }

  /**
   * End of input (QEMU's json_lexer_flush): a number or keyword in progress
   * is complete; any other partial token is an error.
   */
  flush(): void {
    switch (this.state) {
      case S.Start:
      case S.Recovery:
        break;
      case S.Zero:
      case S.Digits:
        this.sink.token(TokenKind.Integer, this.skipping ? '' : this.text, undefined, this.length);
        break;
      case S.MantissaDigits:
      case S.ExpDigits:
        this.sink.token(TokenKind.Float, this.skipping ? '' : this.text, undefined, this.length);
        break;
      case S.Keyword:
        this.sink.token(TokenKind.Keyword, this.skipping ? '' : this.text, undefined, this.length);
        break;
      case S.DqString:
      case S.SqString:
      case S.DqEscape:
      case S.SqEscape:
        this.error();
        break;
      default:
        this.errorWithText();
        break;
    }
    this.reset();
  }

  private start(c: number, buf: Buffer, next: number): void {
    switch (c) {
      case 0x20: case 0x09: case 0x0d: case 0x0a:
        return;
      case QUOTE:
      case APOSTROPHE:
        if (this.shortString(c, buf, next)) return;
        this.state = c === QUOTE ? S.DqString : S.SqString;
        this.escaped = false;
        this.parts = [];
        this.length = 0;
        this.skipping = false;
        this.appendString(buf.subarray(next - 1, next));
        return;
      case 0x7b: this.sink.token(TokenKind.LCurly, '{', undefined, 1); return;
      case 0x7d: this.sink.token(TokenKind.RCurly, '}', undefined, 1); return;
      case 0x5b: this.sink.token(TokenKind.LSquare, '[', undefined, 1); return;
      case 0x5d: this.sink.token(TokenKind.RSquare, ']', undefined, 1); return;
      case 0x3a: this.sink.token(TokenKind.Colon, ':', undefined, 1); return;
      case 0x2c: this.sink.token(TokenKind.Comma, ',', undefined, 1); return;
      default:
        break;
    }
    this.text = '';
    this.length = 0;
    this.skipping = false;
    if (c === 0x30) this.state = S.Zero;
    else if (c >= 0x31 && c <= 0x39) this.state = S.Digits;
    else if (c === 0x2d) this.state = S.Sign;
    else if (c >= 0x61 && c <= 0x7a) this.state = S.Keyword;
    else {
      this.parts = [buf.subarray(next - 1, next)];
      this.text = '';
      this.length = 1;
      this.errorWithText();
      return;
    }
    this.appendChar(c);
  }

  /**
   * Fast path for the common short string: printable ASCII without escapes,
   * closed within this chunk. Emits the decoded token and moves the lexer
   * past it (through `resume`); false leaves everything to the general path.
   */
  private shortString(quote: number, buf: Buffer, from: number): boolean {
    const end = Math.min(buf.length, from + SHORT_STRING);
    for (let j = from; j < end; j++) {
      const c = buf[j]!;
      if (c === quote) {
        const size = j - from + 2;
        if (size > this.sink.tokenBudget()) return false;
        this.resumeAt = j + 1;
        this.sink.token(TokenKind.String, (buf as unknown as Latin1Slicer).latin1Slice(from, j), undefined, size);
        return true;
      }
      if (c < 0x20 || c > 0x7e || c === BACKSLASH) return false;
    }
    return false;
  }

  /**
   * One byte in a number or keyword state. Returns whether the byte was
   * consumed (false: it ended the token and is read again from Start).
   */
  private number(state: S, c: number): boolean {
    let next: S | -1 = -1; // -1: error (byte consumed); Start: token ends before c
    let ends: TokenKind | 0 = 0;
    switch (state) {
      case S.Zero:
        if (isDigit(c)) next = -1;
        else if (c === 0x2e) next = S.Mantissa;
        else ends = TokenKind.Integer;
        break;
      case S.Digits:
        if (isDigit(c)) next = S.Digits;
        else if (c === 0x65 || c === 0x45) next = S.ExpE;
        else if (c === 0x2e) next = S.Mantissa;
        else ends = TokenKind.Integer;
        break;
      case S.Sign:
        if (c === 0x30) next = S.Zero;
        else if (c >= 0x31 && c <= 0x39) next = S.Digits;
        break;
      case S.Mantissa:
        if (isDigit(c)) next = S.MantissaDigits;
        break;
      case S.MantissaDigits:
        if (isDigit(c)) next = S.MantissaDigits;
        else if (c === 0x65 || c === 0x45) next = S.ExpE;
        else ends = TokenKind.Float;
        break;
      case S.ExpE:
        if (c === 0x2d || c === 0x2b) next = S.ExpSign;
        else if (isDigit(c)) next = S.ExpDigits;
        break;
      case S.ExpSign:
        if (isDigit(c)) next = S.ExpDigits;
        break;
      case S.ExpDigits:
        if (isDigit(c)) next = S.ExpDigits;
        else ends = TokenKind.Float;
        break;
      case S.Keyword:
        if (c >= 0x61 && c <= 0x7a) next = S.Keyword;
        else ends = TokenKind.Keyword;
        break;
      default:
        break;
    }
    if (ends !== 0) {
      this.state = S.Start;
      if (!this.skipping) this.sink.token(ends, this.text, undefined, this.length);
      else this.sink.token(ends, '', undefined, this.length);
      this.text = '';
      return false;
    }
    this.appendChar(c);
    if (next === -1) {
      this.errorWithText();
    } else {
      this.state = next;
    }
    return true;
  }

  private appendChar(c: number): void {
    this.length++;
    if (!this.skipping) {
      this.text += String.fromCharCode(c);
      if (this.length > this.sink.tokenBudget()) {
        this.skipping = true;
        this.text = '';
        this.sink.overlong();
      }
    }
  }

  private appendString(piece: Buffer): void {
    if (piece.length === 0) return;
    this.length += piece.length;
    if (this.skipping) return;
    this.parts.push(piece);
    if (this.length > this.sink.tokenBudget()) {
      this.skipping = true;
      this.parts = [];
      this.sink.overlong();
    }
  }

  private finishString(): void {
    this.state = S.Start;
    const size = this.length;
    if (this.skipping) {
      this.parts = [];
      this.sink.token(TokenKind.String, '', undefined, size);
      return;
    }
    const parts = this.parts;
    this.parts = [];
    if (!this.escaped && parts.length === 3) {
      // Pieces are [quote, body, quote]: a plain ASCII body decodes without
      // being copied into one buffer first. (Bodies in many pieces are
      // joined: many 64 KiB strings cost more in GC than one copy.)
      const decoded = asciiBody(parts[1]!);
      if (decoded !== undefined) {
        this.sink.token(TokenKind.String, decoded, undefined, size);
        return;
      }
    }
    const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    const quote = whole[0] === QUOTE ? '"' : "'";
    this.sink.token(TokenKind.String, quote, whole.subarray(1, size - 1), size);
  }

  /** Error inside a string: the token so far is in `parts`. */
  private error(): void {
    const parts = this.parts;
    this.parts = [];
    this.state = S.Recovery;
    this.skipping = false;
    this.sink.lexError(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  /** Error in a number, keyword or at Start: the token so far is `text` (+ `parts` for a lone byte). */
  private errorWithText(): void {
    const bytes = this.parts.length > 0 ? Buffer.concat(this.parts) : Buffer.from(this.text, 'latin1');
    this.parts = [];
    this.text = '';
    this.state = S.Recovery;
    this.skipping = false;
    this.sink.lexError(bytes);
  }
}
