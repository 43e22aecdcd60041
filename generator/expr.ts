/**
 * Shape checks of top-level definitions (QEMU 10.0 scripts/qapi/expr.py):
 * keys, names, 'if' conditions, features, flags, type references. Also
 * expands shorthand in place: member `'name': 'Type'` becomes
 * `'name': {'type': 'Type'}`, enum values and features become `{'name': ...}`.
 */
import { cName, cNameHasQPrefix } from './common';
import { QAPIError } from './errors';
import { isQObject, type ParsedExpr, type QObject, type QValue } from './parser';
import type { SourceLine } from './source';

export const METAS = ['enum', 'struct', 'union', 'alternate', 'command', 'event'] as const;
export type Meta = (typeof METAS)[number];

// QEMU's valid_name, which ignores case. Written out here without the i
// flag, whose case-folding tables V8 builds on first use (1M instructions):
// names are ASCII (the lexer rejects anything else in a string), where
// ignoring case means exactly adding the upper-case letters.
const VALID_NAME = /^(__[a-zA-Z0-9.-]+_)?([xX]-)?([a-zA-Z][a-zA-Z0-9_-]*)$/;
const X_PREFIX = /^[xX]-/;

function fail(info: SourceLine, msg: string): never {
  throw new QAPIError(info, msg);
}

/** Python truthiness of a parsed value (absent counts as false). */
export function truthy(v: QValue | undefined): boolean {
  if (v === undefined || v === false || v === '') {
    return false;
  }
  if (Array.isArray(v)) {
    return v.length > 0;
  }
  if (isQObject(v)) {
    return v.size > 0;
  }
  return true;
}

function checkNameIsStr(name: QValue | undefined, info: SourceLine, source: string): asserts name is string {
  if (typeof name !== 'string') {
    fail(info, `${source} requires a string name`);
  }
}

// Module constants: a regular expression literal in a function is a new
// object each time the function runs (these run for every name).
const DIGIT_FIRST = /^[0-9]/;
const LOWER_OR_DASH = /[a-z-]/;
const UPPER = /[A-Z]/;
/**
 * QEMU's r'[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$', written so that it cannot
 * backtrack: the part before the first lower-case letter holds none.
 */
const CAMEL = /^[A-Z][A-Z0-9]*[a-z][A-Za-z0-9]*$/;

/** Valid QAPI name (optional __RFQDN_ and x- prefixes); returns the stem. */
function checkNameStr(name: string, info: SourceLine, source: string): string {
  // Without a prefix the stem is the name: tested, no match object made.
  const plain = !name.startsWith('_') && !X_PREFIX.test(name);
  const stem = plain ? (VALID_NAME.test(name) ? name : null) : (VALID_NAME.exec(name)?.[3] ?? null);
  if (stem === null || cNameHasQPrefix(name)) {
    fail(info, `${source} has an invalid name`);
  }
  return stem;
}

function checkNameUpper(name: string, info: SourceLine, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (LOWER_OR_DASH.test(stem)) {
    fail(info, `name of ${source} must not use lowercase or '-'`);
  }
}

function checkNameLower(name: string, info: SourceLine, source: string, permitUpper = false, permitUnderscore = false): void {
  const stem = checkNameStr(name, info, source);
  if ((!permitUpper && UPPER.test(stem)) || (!permitUnderscore && stem.includes('_'))) {
    fail(info, `name of ${source} must not use uppercase or '_'`);
  }
}

function checkNameCamel(name: string, info: SourceLine, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (!CAMEL.test(stem)) {
    fail(info, `name of ${source} must use CamelCase`);
  }
}

function checkDefnNameStr(name: string, info: SourceLine, meta: Meta): void {
  if (meta === 'event') {
    checkNameUpper(name, info, meta);
  } else if (meta === 'command') {
    checkNameLower(name, info, meta, false, info.pragma.commandNameExceptions.includes(name));
  } else {
    checkNameCamel(name, info, meta);
    if (name.endsWith('List')) {
      fail(info, `${meta} name should not end in 'List'`);
    }
  }
}

function quotedSorted(names: Iterable<string>): string {
  return [...names]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => `'${n}'`)
    .join(', ');
}

// The loops here are indexed and the common case walks no Map: this code
// runs unoptimised over every definition and member, where iterators
// allocate a result object per step (QMP: 10 MB in all, one scavenge more).
function checkKeys(value: QObject, info: SourceLine, source: string, required: readonly string[], optional: readonly string[]): void {
  let missing: string[] | null = null;
  let known = 0;
  for (let i = 0; i < required.length; i++) {
    if (value.has(required[i])) {
      known++;
    } else {
      (missing ??= []).push(required[i]);
    }
  }
  if (missing) {
    fail(info, `${source} misses key${missing.length > 1 ? 's' : ''} ${quotedSorted(missing)}`);
  }
  for (let i = 0; i < optional.length; i++) {
    if (value.has(optional[i])) {
      known++;
    }
  }
  if (known === value.size) {
    return;
  }
  let unknown: string[] | null = null;
  for (const k of value.keys()) {
    if (!required.includes(k) && !optional.includes(k)) {
      (unknown ??= []).push(k);
    }
  }
  if (unknown) {
    const allowed = [...required, ...optional];
    fail(
      info,
      `${source} has unknown key${unknown.length > 1 ? 's' : ''} ${quotedSorted(unknown)}\nValid keys are ${quotedSorted(allowed)}.`,
    );
  }
}

const FALSE_FLAGS = ['gen', 'success-response'];
const TRUE_FLAGS = ['boxed', 'allow-oob', 'allow-preconfig', 'coroutine'];

function checkFlags(expr: QObject, info: SourceLine): void {
  for (let i = 0; i < FALSE_FLAGS.length; i++) {
    const key = FALSE_FLAGS[i];
    if (expr.has(key) && expr.get(key) !== false) {
      fail(info, `flag '${key}' may only use false value`);
    }
  }
  for (let i = 0; i < TRUE_FLAGS.length; i++) {
    const key = TRUE_FLAGS[i];
    if (expr.has(key) && expr.get(key) !== true) {
      fail(info, `flag '${key}' may only use true value`);
    }
  }
  if (expr.has('allow-oob') && expr.has('coroutine')) {
    fail(info, "flags 'allow-oob' and 'coroutine' are incompatible");
  }
}

function checkIf(expr: QObject, info: SourceLine, source: string): void {
  // Most definitions and members have no condition: return before anything
  // is made (the helpers below are top-level so that a call makes no closures).
  const ifcond = expr.get('if');
  if (ifcond !== undefined) {
    checkCond(ifcond, info, source);
  }
}

function checkCond(cond: QValue, info: SourceLine, source: string): void {
  if (typeof cond === 'string') {
    if (!/^[A-Z][A-Z0-9_]*$/.test(cond)) {
      fail(info, `'if' condition '${cond}' of ${source} is not a valid identifier`);
    }
    return;
  }
  if (!isQObject(cond)) {
    fail(info, `'if' condition of ${source} must be a string or an object`);
  }
  checkKeys(cond, info, `'if' condition of ${source}`, [], ['all', 'any', 'not']);
  if (cond.size !== 1) {
    fail(info, `'if' condition of ${source} has conflicting keys`);
  }
  if (cond.has('not')) {
    checkCond(cond.get('not') as QValue, info, source);
  } else if (cond.has('all')) {
    checkInfix('all', cond.get('all') as QValue, info, source);
  } else {
    checkInfix('any', cond.get('any') as QValue, info, source);
  }
}

function checkInfix(operator: string, operands: QValue, info: SourceLine, source: string): void {
  if (!Array.isArray(operands)) {
    fail(info, `'${operator}' condition of ${source} must be an array`);
  }
  if (!operands.length) {
    fail(info, `'if' condition [] of ${source} is useless`);
  }
  for (let i = 0; i < operands.length; i++) {
    checkCond(operands[i], info, source);
  }
}

/** Members given as `'name': 'Type'` become `'name': {'type': 'Type'}`. */
function normalizeMembers(members: QValue | undefined): void {
  if (isQObject(members)) {
    members.forEach((arg, key) => {
      if (!isQObject(arg)) {
        members.set(key, new Map<string, QValue>().set('type', arg));
      }
    });
  }
}

/** List elements given as plain values become `{'name': value}`. */
function normalizeNamed(list: QValue[]): void {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isQObject(v)) {
      list[i] = new Map<string, QValue>().set('name', v);
    }
  }
}

function checkTypeName(value: QValue | undefined, info: SourceLine, source: string): void {
  if (value !== undefined && typeof value !== 'string') {
    fail(info, `${source} should be a type name`);
  }
}

function checkTypeNameOrArray(value: QValue | undefined, info: SourceLine, source: string): void {
  if (value === undefined || typeof value === 'string') {
    return;
  }
  if (!Array.isArray(value)) {
    fail(info, `${source} should be a type name or array`);
  }
  if (value.length !== 1 || typeof value[0] !== 'string') {
    fail(info, `${source}: array type must contain single type name`);
  }
}

function checkTypeImplicit(value: QValue | undefined, info: SourceLine, source: string, parentName: string | null): void {
  if (!isQObject(value)) {
    fail(info, `${source} should be an object or type name`);
  }
  const permissive = parentName !== null && info.pragma.memberNameExceptions.includes(parentName);
  value.forEach((arg, rawKey) => {
    const keySource = `${source} member '${rawKey}'`;
    const key = rawKey.startsWith('*') ? rawKey.slice(1) : rawKey;
    checkNameLower(key, info, keySource, permissive, permissive);
    const c = cName(key, false);
    if (c === 'u' || c.startsWith('has_')) {
      fail(info, `${keySource} uses reserved name`);
    }
    const argObj = arg as QObject;
    checkKeys(argObj, info, keySource, ['type'], ['if', 'features']);
    checkIf(argObj, info, keySource);
    checkFeatures(argObj.get('features'), info);
    checkTypeNameOrArray(argObj.get('type'), info, keySource);
  });
}

function checkTypeNameOrImplicit(value: QValue | undefined, info: SourceLine, source: string, parentName: string | null): void {
  if (value === undefined || typeof value === 'string') {
    return;
  }
  checkTypeImplicit(value, info, source, parentName);
}

function checkFeatures(features: QValue | undefined, info: SourceLine): void {
  if (features === undefined) {
    return;
  }
  if (!Array.isArray(features)) {
    fail(info, "'features' must be an array");
  }
  normalizeNamed(features);
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const feat = f as QObject;
    let source = "'features' member";
    checkKeys(feat, info, source, ['name'], ['if']);
    const name = feat.get('name');
    checkNameIsStr(name, info, source);
    source = `${source} '${name}'`;
    checkNameLower(name, info, source);
    checkIf(feat, info, source);
  }
}

function checkEnum(expr: QObject, info: SourceLine): void {
  const name = expr.get('enum') as string;
  const members = expr.get('data');
  const prefix = expr.get('prefix');
  if (!Array.isArray(members)) {
    fail(info, "'data' must be an array");
  }
  if (prefix !== undefined && typeof prefix !== 'string') {
    fail(info, "'prefix' must be a string");
  }
  const permissive = info.pragma.memberNameExceptions.includes(name);
  normalizeNamed(members);
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    const member = m as QObject;
    let source = "'data' member";
    checkKeys(member, info, source, ['name'], ['if', 'features']);
    const memberName = member.get('name');
    checkNameIsStr(memberName, info, source);
    source = `${source} '${memberName}'`;
    // Enum values may start with a digit; an empty value is simply invalid
    // (QEMU crashes on it).
    const checked = DIGIT_FIRST.test(memberName) ? 'd' + memberName : memberName;
    checkNameLower(checked, info, source, permissive, permissive);
    checkIf(member, info, source);
    checkFeatures(member.get('features'), info);
  }
}

function checkStruct(expr: QObject, info: SourceLine): void {
  checkTypeImplicit(expr.get('data'), info, "'data'", expr.get('struct') as string);
  checkTypeName(expr.get('base'), info, "'base'");
}

function checkUnion(expr: QObject, info: SourceLine): void {
  const name = expr.get('union') as string;
  const members = expr.get('data');
  checkTypeNameOrImplicit(expr.get('base'), info, "'base'", name);
  checkNameIsStr(expr.get('discriminator'), info, "'discriminator'");
  if (!isQObject(members)) {
    fail(info, "'data' must be an object");
  }
  for (const [key, value] of members) {
    const source = `'data' member '${key}'`;
    const v = value as QObject;
    checkKeys(v, info, source, ['type'], ['if']);
    checkIf(v, info, source);
    checkTypeName(v.get('type'), info, source);
  }
}

function checkAlternate(expr: QObject, info: SourceLine): void {
  const members = expr.get('data');
  if (!truthy(members)) {
    fail(info, "'data' must not be empty");
  }
  if (!isQObject(members)) {
    fail(info, "'data' must be an object");
  }
  for (const [key, value] of members) {
    const source = `'data' member '${key}'`;
    checkNameLower(key, info, source);
    const v = value as QObject;
    checkKeys(v, info, source, ['type'], ['if']);
    checkIf(v, info, source);
    checkTypeNameOrArray(v.get('type'), info, source);
  }
}

function checkArgs(expr: QObject, info: SourceLine): void {
  const args = expr.get('data');
  if (truthy(expr.get('boxed'))) {
    if (args === undefined) {
      fail(info, "'boxed': true requires 'data'");
    }
    checkTypeName(args, info, "'data'");
  } else {
    checkTypeNameOrImplicit(args, info, "'data'", null);
  }
}

const KEYS: Record<Meta, [readonly string[], readonly string[]]> = {
  enum: [['enum', 'data'], ['if', 'features', 'prefix']],
  union: [['union', 'base', 'discriminator', 'data'], ['if', 'features']],
  alternate: [['alternate', 'data'], ['if', 'features']],
  struct: [['struct', 'data'], ['base', 'if', 'features']],
  command: [
    ['command'],
    ['data', 'returns', 'boxed', 'if', 'features', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine'],
  ],
  event: [['event'], ['data', 'boxed', 'if', 'features']],
};

/** The definition's meta-type (the checks guarantee exactly one). */
export function metaOf(expr: QObject): Meta {
  for (let i = 0; i < METAS.length; i++) {
    if (expr.has(METAS[i])) {
      return METAS[i];
    }
  }
  throw new Error('expression without meta-type');
}

/** Check and normalise every definition, in order. Include entries are skipped. */
export function checkExprs(exprs: readonly ParsedExpr[]): void {
  for (let i = 0; i < exprs.length; i++) {
    const { expr, info, doc } = exprs[i];
    if (expr.has('include')) {
      continue;
    }
    const metas = METAS.filter((m) => expr.has(m));
    if (metas.length !== 1) {
      fail(info, "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'");
    }
    const meta = metas[0];
    const name = expr.get(meta);
    checkNameIsStr(name, info, `'${meta}'`);
    info.setDefinition(meta, name);
    checkDefnNameStr(name, info, meta);

    if (doc) {
      if (doc.symbol !== name) {
        fail(info, `documentation comment is for '${doc.symbol}'`);
      }
      doc.checkExpr(meta === 'command', expr.has('returns'));
    } else if (info.pragma.docRequired) {
      fail(info, 'documentation comment required');
    }

    // Indexed, not destructured: array destructuring runs the iterator protocol.
    const keys = KEYS[meta];
    checkKeys(expr, info, meta, keys[0], keys[1]);
    switch (meta) {
      case 'enum':
        checkEnum(expr, info);
        break;
      case 'union':
        normalizeMembers(expr.get('base'));
        normalizeMembers(expr.get('data'));
        checkUnion(expr, info);
        break;
      case 'alternate':
        normalizeMembers(expr.get('data'));
        checkAlternate(expr, info);
        break;
      case 'struct':
        normalizeMembers(expr.get('data'));
        checkStruct(expr, info);
        break;
      case 'command':
        normalizeMembers(expr.get('data'));
        checkArgs(expr, info);
        checkTypeNameOrArray(expr.get('returns'), info, "'returns'");
        break;
      case 'event':
        normalizeMembers(expr.get('data'));
        checkArgs(expr, info);
        break;
    }
    checkIf(expr, info, meta);
    checkFeatures(expr.get('features'), info);
    checkFlags(expr, info);
  }
}
