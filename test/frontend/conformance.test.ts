/**
 * QEMU 10.0's QAPI front-end test suite (tests/qapi-schema, read at test time
 * from the shared directory; QAPI_TS_SHARED overrides its location): every
 * case listed in CASES.txt must dump exactly NAME.out on stdout and NAME.err
 * on stderr, with exit status 1 exactly when it is rejected.
 *
 * Every case runs in process through the dump command's implementation
 * (runDump) from the case's directory with the bare file name, as QEMU's
 * harness effectively does. A sample of cases also runs through the built
 * CLI (`npm run build` first) to check the real process: streams and exit
 * status.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDump } from '../../generator/commands/dump';
import { QAPI_CASES_DIR, REPO_ROOT } from '../helpers/shared';

const CLI = path.join(REPO_ROOT, 'bin', 'qapi-gen');
const CLI_ENTRY = path.join(REPO_ROOT, 'dist', 'generator', 'cli.js');

const cases: string[] = fs
  .readFileSync(path.join(QAPI_CASES_DIR, 'CASES.txt'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.endsWith('.json'))
  .map((l) => l.slice(0, -'.json'.length));

interface Expected {
  out: string;
  err: string;
  status: number;
}

function expected(name: string): Expected {
  const read = (ext: string): string => {
    const p = path.join(QAPI_CASES_DIR, name + ext);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
  };
  const out = read('.out');
  const err = read('.err');
  return { out, err, status: err ? 1 : 0 };
}

/** Run the dump in process with `cwd` as the working directory. */
function dumpInProcess(file: string, cwd: string): Expected {
  const saved = process.cwd();
  let out = '';
  let err = '';
  process.chdir(cwd);
  try {
    const status = runDump(
      file,
      (s) => (out += s),
      (s) => (err += s),
    );
    return { out, err, status };
  } finally {
    process.chdir(saved);
  }
}

describe('QEMU 10.0 tests/qapi-schema', () => {
  test('the case list is complete', () => {
    expect(cases).toHaveLength(207);
    expect(cases).toContain('missing-schema');
    expect(fs.existsSync(path.join(QAPI_CASES_DIR, 'missing-schema.json'))).toBe(false);
  });

  test('exactly one of .out / .err is non-empty for every case', () => {
    for (const name of cases) {
      const e = expected(name);
      expect([name, e.out === '' ? 'err' : 'out']).toEqual([name, e.err === '' ? 'out' : 'err']);
    }
  });

  test.each(cases)('%s', (name) => {
    const want = expected(name);
    const got = dumpInProcess(name + '.json', QAPI_CASES_DIR);
    expect(got.err).toBe(want.err);
    expect(got.out).toBe(want.out);
    expect(got.status).toBe(want.status);
  });
});

describe('QEMU 10.0 tests/qapi-schema through the built CLI', () => {
  // Accepted and rejected cases, includes, parse and semantic errors, the
  // missing root file.
  const sample = [
    'missing-schema',
    'qapi-schema-test',
    'doc-good',
    'include-relpath',
    'include-cycle',
    'include-nested-err',
    'redefined-type',
    'unknown-expr-key',
    'bad-type-int',
    'empty',
  ].filter((n) => cases.includes(n));

  beforeAll(() => {
    if (!fs.existsSync(CLI_ENTRY)) {
      throw new Error(`${CLI_ENTRY} is missing: run \`npm run build\` first`);
    }
  });

  test.each(sample)('%s', (name) => {
    const want = expected(name);
    const r = spawnSync(CLI, ['dump', name + '.json'], {
      cwd: QAPI_CASES_DIR,
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe(want.err);
    expect(r.stdout).toBe(want.out);
    expect(r.status).toBe(want.status);
  });

  test("missing-schema prints QEMU's can't read error", () => {
    const r = spawnSync(CLI, ['dump', 'missing-schema.json'], {
      cwd: QAPI_CASES_DIR,
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(r.stderr).toBe("can't read schema file 'missing-schema.json': No such file or directory\n");
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });
});
