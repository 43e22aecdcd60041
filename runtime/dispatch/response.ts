import { QmpError, type QmpErrorClass } from '../errors';
import type { JsonObject, JsonValue } from '../json/value';

function obj(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** `{"error": {"class": C, "desc": D}}`, plus `id` when given. */
export function errorResponse(errorClass: QmpErrorClass, desc: string, id?: { value: JsonValue }): JsonObject {
  const error = obj();
  error['class'] = errorClass;
  error['desc'] = desc;
  const rsp = obj();
  rsp['error'] = error;
  if (id) rsp['id'] = id.value;
  return rsp;
}

/** `{"return": V}`, plus `id` when given. */
export function returnResponse(value: JsonValue, id?: { value: JsonValue }): JsonObject {
  const rsp = obj();
  rsp['return'] = value;
  if (id) rsp['id'] = id.value;
  return rsp;
}

/** The wire error for anything a handler throws: QmpError as is, anything else a GenericError with its message. */
export function toQmpError(e: unknown): QmpError {
  if (e instanceof QmpError) return e;
  if (e instanceof Error) return new QmpError('GenericError', e.message || e.name);
  return new QmpError('GenericError', String(e));
}
