/**
 * Decoding helpers for generated marshallers.
 *
 * They reproduce the observable behaviour of QEMU's QObject input visitor
 * (qapi/qobject-input-visitor.c, qapi/qapi-visit-core.c): the same checks in
 * the same order, the same error text. Every failure throws a QmpError of
 * class GenericError.
 *
 * Names: QEMU reports most errors with the *full name* of the thing visited
 * (`a.b[0].c`, built from the stack of containers) and a few (narrow integer
 * ranges, enum values, alternates) with the *bare* member name, or `null`
 * inside a list. `Frame` models the container stack.
 */
import { QmpError } from '../errors';
import type { JsonArray, JsonObject, JsonValue } from '../json/value';

/** One open container (object or array) of a visit. */
export class Frame {
  /** For arrays: index of the element being visited (QEMU counts from -1). */
  index = -1;
  constructor(
    /** Enclosing container, or null at the root. */
    readonly parent: Frame | null,
    /** Name of this container in its parent (null at the root and for array elements). */
    readonly name: string | null,
    /** True for arrays. */
    readonly list: boolean,
  ) {}
}

/** A root frame for decoding the members of a command's arguments object. */
export function rootFrame(): Frame {
  return new Frame(null, null, false);
}

/** QEMU's full_name(): the dotted/bracketed path of `name` inside `frame`. */
export function fullName(frame: Frame | null, name: string | null): string {
  let out = '';
  let current = name;
  for (let so = frame; so !== null; so = so.parent) {
    if (so.list) {
      out = `[${so.index}]` + out;
    } else {
      out = '.' + (current ?? '<anonymous>') + out;
    }
    current = so.name;
  }
  if (current !== null) {
    return current + out;
  }
  if (out.startsWith('.')) {
    return out.slice(1);
  }
  return out === '' ? '<anonymous>' : out;
}

function fail(message: string): never {
  throw new QmpError('GenericError', message);
}

/** `Invalid parameter type for 'X', expected: T` with the full name. */
export function invalidType(frame: Frame | null, name: string | null, expected: string): never {
  return fail(`Invalid parameter type for '${fullName(frame, name)}', expected: ${expected}`);
}

/** `Parameter 'X' expects T` with the full name (uint64, size). */
function expectsFull(frame: Frame | null, name: string | null, what: string): never {
  return fail(`Parameter '${fullName(frame, name)}' expects ${what}`);
}

/** `Parameter 'X' expects T` with the bare name (narrow integers). */
function expectsBare(name: string | null, what: string): never {
  return fail(`Parameter '${name ?? 'null'}' expects ${what}`);
}

/** Missing check, shared by every visit. `v` is what the container holds for the name. */
export function present(v: JsonValue | undefined, frame: Frame | null, name: string | null): JsonValue {
  if (v === undefined) {
    return fail(`Parameter '${fullName(frame, name)}' is missing`);
  }
  return v;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Member lookup that ignores inherited properties (objects may come from anywhere). */
export function member(o: JsonObject, key: string): JsonValue | undefined {
  return hasOwn.call(o, key) ? o[key] : undefined;
}

/** QEMU's check_struct(): the first key not visited is unexpected. */
export function checkStruct(o: JsonObject, frame: Frame, visited: readonly string[]): void {
  for (const key in o) {
    if (hasOwn.call(o, key) && !visited.includes(key)) {
      fail(`Parameter '${fullName(frame, key)}' is unexpected`);
    }
  }
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Start a struct: the value must be an object. Returns the frame for its members. */
export function startStruct(v: JsonValue | undefined, frame: Frame | null, name: string | null): [JsonObject, Frame] {
  const value = present(v, frame, name);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalidType(frame, name, 'object');
  }
  return [value, new Frame(frame, name, false)];
}

/** Start a list: the value must be an array. Returns the frame for its elements. */
export function startList(v: JsonValue | undefined, frame: Frame | null, name: string | null): [JsonArray, Frame] {
  const value = present(v, frame, name);
  if (!Array.isArray(value)) {
    return invalidType(frame, name, 'array');
  }
  return [value, new Frame(frame, name, true)];
}

/** Decode a list with an element decoder (elements are visited with a null name). */
export function list<T>(
  v: JsonValue | undefined,
  frame: Frame | null,
  name: string | null,
  element: (v: JsonValue, frame: Frame, name: null) => T,
): T[] {
  const [arr, inner] = startList(v, frame, name);
  const out: T[] = new Array<T>(arr.length);
  for (let i = 0; i < arr.length; i++) {
    inner.index = i;
    out[i] = element(arr[i], inner, null);
  }
  return out;
}

/** int / int64: exact 64-bit signed integer as bigint. */
export function int64(v: JsonValue | undefined, frame: Frame | null, name: string | null): bigint {
  const value = present(v, frame, name);
  if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
    return invalidType(frame, name, 'integer');
  }
  return value;
}

/** uint64 / size: exact, negative int64 values wrap as in QEMU (backward compatibility). */
export function uint64(v: JsonValue | undefined, frame: Frame | null, name: string | null): bigint {
  const value = present(v, frame, name);
  if (typeof value !== 'bigint' || value < INT64_MIN || value > UINT64_MAX) {
    return expectsFull(frame, name, 'uint64');
  }
  return value < 0n ? BigInt.asUintN(64, value) : value;
}

/** Signed narrow integers (int8, int16, int32): QEMU's visit_type_intN. */
export function intN(
  v: JsonValue | undefined,
  frame: Frame | null,
  name: string | null,
  min: number,
  max: number,
  ctype: string,
): number {
  const value = int64(v, frame, name);
  if (value < BigInt(min) || value > BigInt(max)) {
    return expectsBare(name, ctype);
  }
  return Number(value);
}

/** Unsigned narrow integers (uint8, uint16, uint32): QEMU's visit_type_uintN. */
export function uintN(v: JsonValue | undefined, frame: Frame | null, name: string | null, max: number, ctype: string): number {
  const value = uint64(v, frame, name);
  if (value > BigInt(max)) {
    return expectsBare(name, ctype);
  }
  return Number(value);
}

/**
 * The number policy for a 64-bit integer (configured per type or member):
 * the wire check is QEMU's, then the value must be a safe JavaScript integer.
 */
export function toSafeNumber(value: bigint, frame: Frame | null, name: string | null): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return fail(
      `Parameter '${fullName(frame, name)}' is ${value}, beyond the exact range of a JavaScript number ` +
        `(configured as 'number'; use 'bigint' for this type or member)`,
    );
  }
  return Number(value);
}

export function int64AsNumber(v: JsonValue | undefined, frame: Frame | null, name: string | null): number {
  return toSafeNumber(int64(v, frame, name), frame, name);
}

export function uint64AsNumber(v: JsonValue | undefined, frame: Frame | null, name: string | null): number {
  return toSafeNumber(uint64(v, frame, name), frame, name);
}

/** number: any JSON number, integers included. */
export function number(v: JsonValue | undefined, frame: Frame | null, name: string | null): number {
  const value = present(v, frame, name);
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (typeof value !== 'number') {
    return invalidType(frame, name, 'number');
  }
  return value;
}

export function str(v: JsonValue | undefined, frame: Frame | null, name: string | null): string {
  const value = present(v, frame, name);
  if (typeof value !== 'string') {
    return invalidType(frame, name, 'string');
  }
  return value;
}

export function bool(v: JsonValue | undefined, frame: Frame | null, name: string | null): boolean {
  const value = present(v, frame, name);
  if (typeof value !== 'boolean') {
    return invalidType(frame, name, 'boolean');
  }
  return value;
}

export function nullValue(v: JsonValue | undefined, frame: Frame | null, name: string | null): null {
  const value = present(v, frame, name);
  if (value !== null) {
    return invalidType(frame, name, 'null');
  }
  return null;
}

export function any(v: JsonValue | undefined, frame: Frame | null, name: string | null): JsonValue {
  return present(v, frame, name);
}

/** Enum: a string among `values`, else QEMU's `does not accept value` with the bare name. */
export function enumValue<E extends string>(
  v: JsonValue | undefined,
  frame: Frame | null,
  name: string | null,
  values: ReadonlySet<string>,
): E {
  const value = str(v, frame, name);
  if (!values.has(value)) {
    return fail(`Parameter '${name ?? 'null'}' does not accept value '${value}'`);
  }
  return value as E;
}

/** QType of a JSON value, for alternates. */
export type QType = 'qnull' | 'qnum' | 'qstring' | 'qdict' | 'qlist' | 'qbool';

export function qtype(value: JsonValue): QType {
  if (value === null) return 'qnull';
  switch (typeof value) {
    case 'bigint':
    case 'number':
      return 'qnum';
    case 'string':
      return 'qstring';
    case 'boolean':
      return 'qbool';
    default:
      return Array.isArray(value) ? 'qlist' : 'qdict';
  }
}

/** Alternate: missing check, then the branch for the value's JSON type, else the alternate's name. */
export function alternate(v: JsonValue | undefined, frame: Frame | null, name: string | null): QType {
  return qtype(present(v, frame, name));
}

/** No branch of alternate `alt` takes this JSON type. */
export function noBranch(name: string | null, alt: string): never {
  return fail(`Invalid parameter type for '${name ?? 'null'}', expected: ${alt}`);
}
