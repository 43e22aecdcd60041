/**
 * QEMU's recursive-descent JSON parser (qobject/json-parser.c) over the
 * tokens of one message: the same grammar, the same first error wins, the
 * same messages.
 */
import { floatValue, integerValue } from './numbers';
import { decodeBody } from './string-body';
import { TokenKind } from './tokens';
import type { JsonArray, JsonObject, JsonValue } from './value';

/** A syntax error; `message` is what follows "JSON parse error, ". */
export class JsonSyntaxError extends Error {}

/** The tokens of one message, as parallel arrays. */
export interface TokenList {
  readonly kinds: TokenKind[];
  readonly texts: string[];
  readonly bodies: (Buffer | undefined)[];
}

const MESSAGE_MAX = 1023; // QEMU formats parse errors into a 1024-byte buffer

/**
 * Object keys seen before, each mapped to one string. A key fresh off the
 * wire is a new string, and using it as a property name makes V8 look it up
 * in its string table on every store and `in` check (about 0.7 µs each);
 * the same key from this cache is already known there. Bounded, so that a
 * peer sending endless distinct keys costs no memory (past the bound, keys
 * are simply used as they come).
 */
const knownKeys = new Map<string, string>();
const KNOWN_KEYS_MAX = 4096;

function canonicalKey(key: string): string {
  const known = knownKeys.get(key);
  if (known !== undefined) return known;
  if (knownKeys.size < KNOWN_KEYS_MAX) knownKeys.set(key, key);
  return key;
}

function fail(message: string): never {
  throw new JsonSyntaxError(message.length > MESSAGE_MAX ? message.slice(0, MESSAGE_MAX) : message);
}

class Parser {
  private pos = 0;
  constructor(private readonly t: TokenList) {}

  private peek(): TokenKind | undefined {
    return this.t.kinds[this.pos];
  }

  value(): JsonValue {
    const kind = this.peek();
    if (kind === undefined) fail('premature EOI');
    switch (kind) {
      case TokenKind.LCurly:
        return this.object();
      case TokenKind.LSquare:
        return this.array();
      case TokenKind.String:
        return this.string();
      case TokenKind.Integer:
        return integerValue(this.t.texts[this.pos++]!);
      case TokenKind.Float:
        return floatValue(this.t.texts[this.pos++]!);
      case TokenKind.Keyword: {
        const text = this.t.texts[this.pos++]!;
        if (text === 'true') return true;
        if (text === 'false') return false;
        if (text === 'null') return null;
        return fail(`invalid keyword '${text}'`);
      }
      default:
        return fail('expecting value');
    }
  }

  private string(): string {
    const i = this.pos++;
    const body = this.t.bodies[i];
    if (body === undefined) return this.t.texts[i]!; // decoded by the lexer
    const quote = this.t.texts[i] === '"' ? 0x22 : 0x27;
    const r = decodeBody(body, quote);
    if (!r.ok) fail(r.message);
    return r.value;
  }

  private pair(obj: JsonObject): void {
    if (this.peek() === undefined) fail('premature EOI');
    let key = this.value();
    if (typeof key !== 'string') fail('key is not a string in object');
    key = canonicalKey(key);
    const colon = this.t.kinds[this.pos++];
    if (colon === undefined) fail('premature EOI');
    if (colon !== TokenKind.Colon) fail('missing : in object pair');
    const value = this.value();
    if (key in obj) fail('duplicate key'); // null prototype: nothing inherited
    obj[key] = value;
  }

  private object(): JsonObject {
    this.pos++;
    const obj = Object.create(null) as JsonObject;
    const first = this.peek();
    if (first === undefined) fail('premature EOI');
    if (first === TokenKind.RCurly) {
      this.pos++;
      return obj;
    }
    this.pair(obj);
    for (;;) {
      const kind = this.t.kinds[this.pos++];
      if (kind === undefined) fail('premature EOI');
      if (kind === TokenKind.RCurly) return obj;
      if (kind !== TokenKind.Comma) fail('expected separator in dict');
      this.pair(obj);
    }
  }

  private array(): JsonArray {
    this.pos++;
    const list: JsonArray = [];
    const first = this.peek();
    if (first === undefined) fail('premature EOI');
    if (first === TokenKind.RSquare) {
      this.pos++;
      return list;
    }
    list.push(this.value());
    for (;;) {
      const kind = this.t.kinds[this.pos++];
      if (kind === undefined) fail('premature EOI');
      if (kind === TokenKind.RSquare) return list;
      if (kind !== TokenKind.Comma) fail('expected separator in list');
      list.push(this.value());
    }
  }
}

/** Parse one message's tokens; throws JsonSyntaxError. */
export function parseTokens(tokens: TokenList): JsonValue {
  return new Parser(tokens).value();
}
