/** Writing generated files, or checking that a directory is up to date. */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
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
  const head = fs.readFileSync(file, 'utf8').slice(0, 300);
  return head.includes(GENERATED_MARKER);
}

/** Whether the file at `abs` already holds exactly `bytes`. */
function upToDate(abs: string, bytes: Buffer): boolean {
  let current: Buffer;
  try {
    current = fs.readFileSync(abs);
  } catch {
    return false;
  }
  return current.equals(bytes);
}

/** Replace `abs` whole: a reader (or a crash) never sees half a file. */
export function writeAtomically(abs: string, content: Buffer): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
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
    const abs = path.join(dir, f.path);
    // Encoded once: compared byte for byte (no decoding of the old file) and written as is.
    const bytes = Buffer.from(f.content, 'utf8');
    if (upToDate(abs, bytes)) continue;
    changed.push(f.path);
    if (!check) writeAtomically(abs, bytes);
  }
  return changed;
}

/**
 * Generated files in `dir` that are not among `wanted` (relative paths):
 * removed unless `check`. Files without the generated marker are never touched.
 */
export function removeStale(dir: string, wanted: ReadonlySet<string>, check: boolean): string[] {
  const extra = listGenerated(dir).filter((r) => !wanted.has(r) && isGenerated(path.join(dir, r)));
  if (!check) for (const r of extra) fs.rmSync(path.join(dir, r));
  return extra;
}

/** Bring `dir` in line with `files` exactly (see syncFiles and removeStale). */
export function syncOutput(dir: string, files: readonly OutputFile[], check: boolean): SyncResult {
  const changed = syncFiles(dir, files, check);
  const extra = removeStale(dir, new Set(files.map((f) => f.path)), check);
  return { changed, extra };
}
