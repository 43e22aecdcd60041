/**
 * Process entry of bin/qapi-gen: runs the bundled generator
 * (dist/qapi-gen.js, see scripts/bundle.js) with V8's code cache.
 *
 * Why: a generator run is short and timed as a whole process. Without a
 * cache, V8 parses and compiles each function of the bundle the first time
 * it runs: about 7% of the instructions of a run on QEMU's QMP schema
 * (counted with callgrind), 20-30 ms. The build
 * makes the cache (dist/qapi-gen.cache) with one training run on our own
 * schema; functions that run missed are compiled as usual.
 *
 * A cache is used only for the bundle it was made from: it starts with a
 * line naming the bundle's size and modification time, and V8 itself
 * rejects data from another Node version or other V8 flags. A cache that
 * does not fit is ignored (the run compiles as usual), never trusted.
 *
 * Not part of the bundle (scripts/bundle.js leaves this file out).
 */
import { type Stats, closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** With this variable set, the run ignores any cache and writes a fresh one when it exits (the build's training run). */
export const WRITE_CACHE_ENV = 'QAPI_GEN_WRITE_CODE_CACHE';

/** How the bundle was compiled. */
export type CacheUse = 'used' | 'rejected' | 'none';

/** The line a cache starts with: it names the one bundle file the data was made from. */
export function cacheHeader(bundle: Stats): string {
  return `qapi-gen code cache 1 ${bundle.size} ${bundle.mtimeMs}\n`;
}

/** The V8 data of `cache` when its header names `bundle`, else undefined. */
export function cachedDataFor(cache: Buffer, bundle: Stats): Buffer | undefined {
  const header = Buffer.from(cacheHeader(bundle), 'latin1');
  if (cache.length <= header.length || !cache.subarray(0, header.length).equals(header)) return undefined;
  return cache.subarray(header.length);
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

type CommonJsBody = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/**
 * Node's `createRequire`, taken from the class of this very module when it
 * is Node's CommonJS module class, rather than from `node:module`: loading
 * that module also loads Node's ES module loader and source map support,
 * about 4.5M instructions (0.5% of a run on QEMU's QMP schema) that a
 * generator run never uses.
 */
function createRequire(filename: string): NodeJS.Require {
  const moduleClass = module.constructor as { createRequire?: (filename: string) => NodeJS.Require };
  if (typeof moduleClass.createRequire === 'function') return moduleClass.createRequire(filename);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:module') as typeof import('node:module')).createRequire(filename);
}

/** A bundle compiled and ready to run, and how its code cache served. */
export interface CompiledBundle {
  readonly use: CacheUse;
  /** Runs the module (once). A generator run may end the process inside it. */
  run(): void;
}

/**
 * Compile the CommonJS module `bundleFile` from the code cache `cacheFile`
 * when that fits it, to run as Node's loader would (same wrapper arguments,
 * `require` resolving from its folder). With `writeCache`, the cache is
 * ignored and a fresh one is written when the process exits, covering every
 * function the run compiled.
 */
export function compileBundle(bundleFile: string, cacheFile: string, writeCache = false): CompiledBundle {
  // One open file for both, so the header is checked against the very text compiled.
  const fd = openSync(bundleFile, 'r');
  let stat: Stats;
  let source: string;
  try {
    stat = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const cache = writeCache ? undefined : readOptional(cacheFile);
  const cachedData = cache && cachedDataFor(cache, stat);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundleFile,
    cachedData,
  });
  const use: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used';
  if (writeCache) {
    // Only the training run writes (and loads the writer).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { writeAtomically } = require('./backends/write') as typeof import('./backends/write');
    process.once('exit', () => writeAtomically(cacheFile, Buffer.concat([Buffer.from(cacheHeader(stat), 'latin1'), script.createCachedData()])));
  }
  const run = (): void => {
    const body = script.runInThisContext() as CommonJsBody;
    const module = { exports: {} };
    body.call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile));
  };
  return { use, run };
}

/** Compile `bundleFile` (see compileBundle) and run it; returns how the cache served, if the run returns. */
export function launch(bundleFile: string, cacheFile: string, writeCache = false): CacheUse {
  const bundle = compileBundle(bundleFile, cacheFile, writeCache);
  bundle.run();
  return bundle.use;
}

if (require.main === module) {
  const dist = resolve(__dirname, '..');
  launch(join(dist, 'qapi-gen.js'), join(dist, 'qapi-gen.cache'), Boolean(process.env[WRITE_CACHE_ENV]));
}
