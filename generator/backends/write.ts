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

/**
 * Bring `dir` in line with `files`. With `check`, write nothing and report
 * what differs. Unchanged files are not rewritten.
 */
export function syncOutput(dir: string, files: readonly OutputFile[], check: boolean): SyncResult {
  const changed: string[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const f of files) {
    const abs = path.join(dir, f.path);
    let current: string | null = null;
    try {
      current = fs.readFileSync(abs, 'utf8');
    } catch {
      current = null;
    }
    if (current === f.content) continue;
    changed.push(f.path);
    if (!check) {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, f.content);
    }
  }
  const extra = listGenerated(dir).filter((r) => !wanted.has(r) && isGenerated(path.join(dir, r)));
  if (!check) for (const r of extra) fs.rmSync(path.join(dir, r));
  return { changed, extra };
}
