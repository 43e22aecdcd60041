/**
 * JSON values as QEMU's QObject sees them.
 *
 * Integer literals within int64 or uint64 range are `bigint` (QNum int/uint:
 * exact). Literals with a fraction or exponent, and integers beyond both
 * ranges, are `number` (QNum double), as QEMU's parser makes them. Keeping the
 * two apart is what lets `1.0` be refused where QEMU refuses it. Objects have a
 * null prototype.
 */
export type JsonValue = null | boolean | bigint | number | string | JsonArray | JsonObject;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}
