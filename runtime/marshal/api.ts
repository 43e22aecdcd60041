/** Everything generated marshallers, dispatch tables and client stubs call. */
export {
  Frame,
  rootFrame,
  fullName,
  member,
  present,
  checkStruct,
  startStruct,
  startList,
  list,
  int64,
  uint64,
  intN,
  uintN,
  int64AsNumber,
  uint64AsNumber,
  toSafeNumber,
  number,
  str,
  bool,
  nullValue,
  any,
  enumValue,
  qtype,
  alternate,
  noBranch,
  invalidType,
} from './input';
export type { QType } from './input';
export { newObject, encodeSafeInteger, encodeInteger, noVariant, settle } from './output';
export type { NoArgs } from './output';
export type { Transport, ExecuteOptions } from './client';
