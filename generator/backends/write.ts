/** Writing generated files, or checking that a directory is up to date. */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from './common';

/** Marker every generated file carries. */
export const GENERATED_MARKER = 'DO NOT EDIT';

export interface SyncResult {
  /** Files written (write mode) or that differ / are missing (check mode), relative paths. */
  readonly changed: string[];
  /** Generated files present in the directory but no longer produced. */
  readonly extra: string[];
}

function listGenerated(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (/\.gen\.ts$|^(.*-)?introspect\.json$|index\.(md|html)$/.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out;
}

function isGenerated(file: string): boolean {
  if (file.endsWith('.json')) return true;
  const head = readFileSync(file, 'utf8').slice(0, 300);
  return head.includes(GENERATED_MARKER);
}

/** UTF-16 units compared or written per step; their UTF-8 takes at most three bytes each. */
const STEP_UNITS = 64 * 1024;
let stepBuffers: { readonly encoded: Buffer; readonly read: Buffer } | undefined;

function steps(): { readonly encoded: Buffer; readonly read: Buffer } {
  return (stepBuffers ??= { encoded: Buffer.allocUnsafe(STEP_UNITS * 3), read: Buffer.allocUnsafe(STEP_UNITS * 3) });
}

/**
 * Call `each(bytes)` with the UTF-8 encoding of `content`, a step at a time,
 * in one buffer kept for the run (`bytes` is only valid during the call).
 * Returns false as soon as `each` does.
 */
function forEachStep(content: string, each: (bytes: Buffer) => boolean): boolean {
  const { encoded } = steps();
  for (let i = 0; i < content.length; ) {
    let end = Math.min(i + STEP_UNITS, content.length);
    // A surrogate pair is encoded whole, never split between two steps.
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end--;
    const n = encoded.write(content.slice(i, end), 0, encoded.length, 'utf8');
    if (!each(encoded.subarray(0, n))) return false;
    i = end;
  }
  return true;
}

/** Read `length` bytes of `fd` from `position` into the start of `into`; fewer at the end of the file. */
function readAt(fd: number, into: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Whether the file at `abs` holds exactly the UTF-8 encoding of `content`.
 *
 * Compared a step at a time through two small buffers kept for the run, not
 * by encoding the whole text and reading the whole file: for QEMU's QMP
 * schema that would be 3.7 MB of fresh memory twice per run, and touching
 * fresh memory for the first time costs more than the comparison itself
 * (a page fault per 4 KiB, about 2.5 us each on our machines).
 */
function holdsText(abs: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch {
    return false;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size !== Buffer.byteLength(content, 'utf8')) return false;
    const { read } = steps();
    let position = 0;
    return forEachStep(content, (bytes) => {
      const n = bytes.length;
      if (readAt(fd, read, n, position) !== n || bytes.compare(read, 0, n, 0, n) !== 0) return false;
      position += n;
      return true;
    });
  } finally {
    closeSync(fd);
  }
}

/** Replace `abs` whole: a reader (or a crash) never sees half a file. */
export function writeAtomically(abs: string, content: Buffer): void {
  replaceWith(abs, (tmp) => writeFileSync(tmp, content));
}

/**
 * writeAtomically for text, encoded to UTF-8 a step at a time (see
 * forEachStep) rather than whole: the QMP schema's outputs would otherwise
 * take 3.7 MB of fresh memory per run.
 */
export function writeTextAtomically(abs: string, content: string): void {
  replaceWith(abs, (tmp) => {
    const fd = openSync(tmp, 'w');
    try {
      forEachStep(content, (bytes) => {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
        return true;
      });
    } finally {
      closeSync(fd);
    }
  });
}

/** Have `write` make a temporary file beside `abs`, then rename it to `abs`; on failure, remove it. */
function replaceWith(abs: string, write: (tmp: string) => void): void {
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    write(tmp);
    renameSync(tmp, abs);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Bring the given files in `dir` up to date (with `check`, write nothing) and
 * return the relative paths that differed. Unchanged files are not rewritten.
 */
export function syncFiles(dir: string, files: readonly OutputFile[], check: boolean): string[] {
  const changed: string[] = [];
  for (const f of files) {
    const abs = join(dir, f.path);
    if (holdsText(abs, f.content)) continue;
    changed.push(f.path);
    if (!check) writeTextAtomically(abs, f.content);
  }
  return changed;
}

/**
 * Generated files in `dir` that are not among `wanted` (relative paths):
 * removed unless `check`. Files without the generated marker are never touched.
 */
export function removeStale(dir: string, wanted: ReadonlySet<string>, check: boolean): string[] {
  const extra = listGenerated(dir).filter((r) => !wanted.has(r) && isGenerated(join(dir, r)));
  if (!check) for (const r of extra) rmSync(join(dir, r));
  return extra;
}

/** Bring `dir` in line with `files` exactly (see syncFiles and removeStale). */
export function syncOutput(dir: string, files: readonly OutputFile[], check: boolean): SyncResult {
  const changed = syncFiles(dir, files, check);
  const extra = removeStale(dir, new Set(files.map((f) => f.path)), check);
  return { changed, extra };
}
