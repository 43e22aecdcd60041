/**
 * The real schemas of QEMU 10.0 (qga and the full QMP schema, 44 modules):
 * the dump must equal what QEMU's harness prints for them, byte for byte.
 * Also a coarse guard on in-process front-end time for the QMP schema.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dumpSchema } from '../../generator/dump';
import { loadSchema } from '../../generator/frontend';
import type { Schema } from '../../generator/schema/model';
import { EXPECTED_DIR, QGA_SCHEMA, QMP_SCHEMA, REPO_ROOT } from '../helpers/shared';

/** Load a schema from its own directory with the bare file name (module names in the expected dumps are relative). */
function loadFrom(file: string): Schema {
  const saved = process.cwd();
  process.chdir(path.dirname(file));
  try {
    return loadSchema(path.basename(file));
  } finally {
    process.chdir(saved);
  }
}

const expected = (name: string): string => fs.readFileSync(path.join(EXPECTED_DIR, name), 'utf8');

describe('real QEMU 10.0 schemas', () => {
  test('qga/qapi-schema.json dumps as expected/qga-qapi-schema.out', () => {
    expect(dumpSchema(loadFrom(QGA_SCHEMA))).toBe(expected('qga-qapi-schema.out'));
  });

  test('qapi/qapi-schema.json dumps as expected/qapi-schema.out', () => {
    const schema = loadFrom(QMP_SCHEMA);
    const want = expected('qapi-schema.out');
    // './builtin' and the 43 schema files: 44 modules.
    expect(schema.modules).toHaveLength(44);
    const entityPart = want.slice(0, want.indexOf('\ndoc '));
    expect(schema.modules.map((m) => `module ${m.name}`)).toEqual(
      entityPart.split('\n').filter((l) => l.startsWith('module ')),
    );
    expect(dumpSchema(schema)).toBe(want);
  });

  test('the model is consistent: lookup, modules and members', () => {
    const schema = loadFrom(QMP_SCHEMA);
    const inModules = schema.modules.flatMap((m) => m.entities);
    expect(inModules).toHaveLength(schema.entities.length);
    for (const e of schema.entities) {
      if (e.kind === 'include') continue;
      expect(schema.lookup.get(e.name)).toBe(e);
      if (e.kind === 'object' && e.base) {
        const base = schema.lookup.get(e.base);
        expect(base?.kind).toBe('object');
        if (base?.kind === 'object') {
          expect(e.members.slice(0, base.members.length).map((m) => m.name)).toEqual(base.members.map((m) => m.name));
        }
      }
    }
    expect(schema.features.slice(0, 2).map((f) => f.name)).toEqual(['deprecated', 'unstable']);
    expect(schema.features.length).toBeLessThanOrEqual(64);
  });

  test('the built CLI dumps the qga schema', () => {
    const cli = path.join(REPO_ROOT, 'bin', 'qapi-gen');
    const r = spawnSync(cli, ['dump', path.basename(QGA_SCHEMA)], {
      cwd: path.dirname(QGA_SCHEMA),
      encoding: 'utf8',
      timeout: 30000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected('qga-qapi-schema.out'));
  });

  test('the built CLI exits only once a pipe that lags has taken the whole dump', () => {
    // The reader sleeps while the CLI writes: the pipe takes 64 KiB, the
    // rest of the QMP dump (about 800 KB) waits in Node's queue, which a
    // finished run must not drop when it ends the process (main.ts).
    const cli = path.join(REPO_ROOT, 'bin', 'qapi-gen');
    const r = spawnSync('sh', ['-c', '"$0" dump "$1" | { sleep 2; wc -c; }', cli, path.basename(QMP_SCHEMA)], {
      cwd: path.dirname(QMP_SCHEMA),
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Number(r.stdout.trim())).toBe(Buffer.byteLength(expected('qapi-schema.out'), 'utf8'));
  });
});
