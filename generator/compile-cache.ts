/**
 * V8 code cache for the CLI's own modules (Node 20 has no
 * `module.enableCompileCache`).
 *
 * `qapi-gen` is a short-lived process: a good part of a run is V8 parsing
 * and compiling our modules and then compiling their functions lazily as
 * they are first called. `install()` makes `require` compile the package's
 * own files (dist/, templates/precompiled.js; not node_modules) through
 * `vm.Script` with `cachedData`, and at exit saves the code of every function
 * compiled during the run (`createCachedData()` after running includes the
 * lazily compiled ones) to one file, read back by the next run.
 *
 * Entries are keyed by file name, size and mtime; V8 additionally rejects
 * data from another V8 version or flag set (the file name carries the Node
 * version). Any failure (cache directory unwritable, corrupt file) just
 * means compiling as usual: the cache never changes what runs.
 */
import * as fs from 'node:fs';
import Module = require('node:module');
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface Entry {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly data: Buffer;
}

/** What `Module.prototype` looks like from here (the parts Node does not type). */
interface ModuleInternals {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
}

const MAGIC = 'qapi-ts-code-cache-1';

/** Where the cache lives: node_modules/.cache (the usual place) or the temp directory. */
function cacheFiles(root: string): string[] {
  const name = `compile-${process.version}-${process.arch}.bin`;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return [path.join(root, 'node_modules', '.cache', 'qapi-ts', name), path.join(os.tmpdir(), `qapi-ts-cache-${uid}`, name)];
}

/**
 * Cache file layout: a JSON header line (magic and, per entry, file, size,
 * mtime and data length) followed by the entries' data back to back.
 */
function readCache(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let blob: Buffer;
  try {
    blob = fs.readFileSync(file);
  } catch {
    return entries;
  }
  try {
    const nl = blob.indexOf(0x0a);
    const header = JSON.parse(blob.toString('utf8', 0, nl)) as { magic: string; entries: [string, number, number, number][] };
    if (header.magic !== MAGIC) return entries;
    let offset = nl + 1;
    for (const [name, size, mtimeMs, length] of header.entries) {
      entries.set(name, { file: name, size, mtimeMs, data: blob.subarray(offset, offset + length) });
      offset += length;
    }
  } catch {
    entries.clear();
  }
  return entries;
}

function writeCache(file: string, entries: Iterable<Entry>): void {
  const list = [...entries];
  const header = JSON.stringify({ magic: MAGIC, entries: list.map((e) => [e.file, e.size, e.mtimeMs, e.data.length]) });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(header + '\n'), ...list.map((e) => e.data)]));
    // Atomic replace: concurrent runs each write a whole file.
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the cache is an optimisation only
    }
    throw new Error('unwritable');
  }
}

/** A `require` function for `mod`, as Node's makeRequireFunction builds it (what our modules use). */
function requireFor(mod: ModuleInternals): NodeJS.Require {
  const M = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeModule>;
  };
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = ((request: string, options?: unknown) => M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  req.main = require.main;
  req.extensions = M._extensions;
  req.cache = M._cache;
  return req;
}

/**
 * Compile the package's own modules (files under `root`, outside
 * node_modules) with the code cache from now on. Call once, first thing.
 */
export function install(root: string): void {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const ownFile = (f: string): boolean => f.startsWith(prefix) && !f.includes(`${path.sep}node_modules${path.sep}`);
  const candidates = cacheFiles(root);
  const cacheFile = candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
  const cached = readCache(cacheFile);
  /** Scripts compiled without usable cached data: their code is saved at exit. */
  const fresh = new Map<string, { script: vm.Script; size: number; mtimeMs: number }>();

  const proto = Module.prototype as unknown as ModuleInternals;
  const originalCompile = proto._compile;
  proto._compile = function compile(this: ModuleInternals, content: string, filename: string): unknown {
    if (!ownFile(filename)) return originalCompile.call(this, content, filename);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(filename);
    } catch {
      return originalCompile.call(this, content, filename);
    }
    const entry = cached.get(filename);
    const usable = entry !== undefined && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData: usable ? entry.data : undefined });
    if (!usable || script.cachedDataRejected === true) {
      fresh.set(filename, { script, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (fresh.size === 0) return;
    for (const [file, { script, size, mtimeMs }] of fresh) {
      cached.set(file, { file, size, mtimeMs, data: script.createCachedData() });
    }
    // The file read first, else the other locations in order.
    for (const file of [cacheFile, ...candidates.filter((f) => f !== cacheFile)]) {
      try {
        writeCache(file, cached.values());
        return;
      } catch {
        // unwritable: try the next location
      }
    }
  });
}
