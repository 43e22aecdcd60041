/**
 * JSON values as QEMU's QObject sees them.
 *
 * Integer literals are `bigint` (QNum int: every int64/uint64 exact), literals
 * with a fraction or exponent are `number` (QNum double). Keeping the two apart
 * is what lets `1.0` be refused where QEMU refuses it. Objects have a null
 * prototype and keep insertion order for non-numeric keys.
 */
export type JsonValue = null | boolean | bigint | number | string | JsonArray | JsonObject;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}
