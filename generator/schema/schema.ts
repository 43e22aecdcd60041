/**
 * Semantic phase: entity creation, check() + connectDoc() per entity,
 * module attribution, documented-member checks, the 64-feature limit.
 */
import { relative, resolve } from 'node:path';
import type { DocBlock } from '../doc';
import { QAPIError } from '../errors';
import type { ParsedExpr } from '../parser';
import { isPlainRelative, pyDirname } from '../parser';
import { BUILTIN_MODULE, EntityBuilder, EntityTable } from './build';

const SLASH = 0x2f;

/** Most features a schema may use, the special ones included. */
export const MAX_FEATURES = 64;

/** os.path.relpath(fname, start) for POSIX paths. */
function pyRelpath(fname: string, start: string): string {
  // A file under `start`, named without '.', '..' or empty segments (an
  // included file's name is its includer's folder joined with what the
  // include says): the rest of its name, without Node's path functions,
  // which walk names a character at a time in JavaScript.
  if (start !== '' && fname.startsWith(start) && fname.charCodeAt(start.length) === SLASH) {
    const rest = fname.slice(start.length + 1);
    if (isPlainRelative(rest)) return rest;
  }
  const rel = relative(resolve(start || '.'), resolve(fname));
  return rel === '' ? '.' : rel;
}

export interface CheckedSchema {
  readonly table: EntityTable;
  readonly docs: readonly DocBlock[];
}

/** Build and check the entities of a parsed, shape-checked schema. */
export function buildSchema(rootFname: string, exprs: readonly ParsedExpr[], docs: readonly DocBlock[]): CheckedSchema {
  const schemaDir = pyDirname(rootFname);
  const moduleNames = new Map<string, string>();
  const moduleName = (fname: string): string => {
    let name = moduleNames.get(fname);
    if (name === undefined) {
      name = fname.startsWith('./') ? fname : pyRelpath(fname, schemaDir);
      moduleNames.set(fname, name);
    }
    return name;
  };
  const table = new EntityTable(moduleName);
  table.makeModule(BUILTIN_MODULE);
  table.makeModule(rootFname);
  const builder = new EntityBuilder(table);
  builder.definePredefined();
  builder.defineAll(exprs);

  for (const ent of table.entities) {
    ent.check(table);
    ent.connectDoc();
  }
  for (const ent of table.entities) {
    const info = ent.moduleInfo();
    const name = info ? moduleName(info.fname) : BUILTIN_MODULE;
    if (!table.hasModule(name)) {
      throw new QAPIError(info, `internal error: no module '${name}'`);
    }
    ent.module = name;
  }
  for (const doc of docs) {
    doc.check();
  }
  const features = [...table.features.values()];
  if (features.length > MAX_FEATURES) {
    throw new QAPIError(features[MAX_FEATURES].info, `Maximum of ${MAX_FEATURES} schema features is permitted`);
  }
  return { table, docs };
}
