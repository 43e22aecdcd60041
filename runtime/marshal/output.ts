/** Encoding helpers for generated encoders and the dispatch table. */
import { QmpError } from '../errors';
import type { JsonObject } from '../json/value';

/** A fresh JSON object (null prototype, like parsed ones). */
export function newObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/**
 * `f(value)`, after `value` settles if it is a promise. Handlers may answer
 * synchronously; then the whole request is answered without a trip through
 * the microtask queue.
 */
export function settle<T, R>(value: T | PromiseLike<T>, f: (value: T) => R): R | Promise<R> {
  if (isPromiseLike(value)) return Promise.resolve(value).then(f);
  return f(value);
}

export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The argument type of commands without arguments. */
export type NoArgs = Record<string, never>;

/**
 * A 64-bit integer held as a number (integer policy 'number'): it must be a
 * safe integer, or the result would not be exact.
 */
export function encodeSafeInteger(value: number): bigint {
  if (!Number.isSafeInteger(value)) {
    throw new QmpError(
      'GenericError',
      Number.isInteger(value)
        ? `Integer value ${BigInt(value)} is beyond the exact range of a JavaScript number ` +
            `(configured as 'number'; use 'bigint' for this type or member)`
        : `Integer value ${value} is not an integer`,
    );
  }
  return BigInt(value);
}

/** A narrow integer (int8 ... uint32) held as a number. */
export function encodeInteger(value: number): bigint {
  if (!Number.isInteger(value)) {
    throw new QmpError('GenericError', `Integer value ${value} is not an integer`);
  }
  return BigInt(value);
}

/** A union discriminator value whose branch is not available. */
export function noVariant(tag: string, value: string): never {
  throw new QmpError('GenericError', `Parameter '${tag}' does not accept value '${value}'`);
}
