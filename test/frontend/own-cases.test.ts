/**
 * Local QAPI front-end cases (test/frontend/cases/, see its README.md), run
 * through the CLI exactly as QEMU's harness runs its cases: `qapi-gen dump
 * NAME.json` from the case directory with the bare file name.
 *
 * Needs the compiled CLI: `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/shared';

const CASES_DIR = path.join(__dirname, 'cases');
const CLI = path.join(REPO_ROOT, 'bin', 'qapi-gen');
const CLI_ENTRY = path.join(REPO_ROOT, 'dist', 'generator', 'cli.js');

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dump(file: string, cwd: string): RunResult {
  const r = spawnSync(CLI, ['dump', file], { cwd, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/** Cases whose message is ours (QEMU 10.0 crashes): stderr must match. */
const PATTERN_CASES: Record<string, RegExp> = {
  'enum-empty-value': /^enum-empty-value\.json: In enum 'Empty':\nenum-empty-value\.json:2: [^\n]*\S[^\n]*\n$/,
  'enum-empty-value-dict': /^enum-empty-value-dict\.json: In enum 'Empty':\nenum-empty-value-dict\.json:2: [^\n]*\S[^\n]*\n$/,
};

/** Legacy spelling -> modern spelling, applied to every .json of a legacy case's copy. */
const MODERN_SPELLING: ReadonlyArray<[RegExp, string]> = [
  [/'returns-whitelist'/g, "'command-returns-exceptions'"],
  [/'name-case-whitelist'/g, "'member-name-exceptions'"],
  [/\{(\s*)'type':/g, "{$1'struct':"],
];

/** Legacy cases whose pragma is necessary: without it the schema must be rejected. */
const PRAGMA_NEEDED = new Set(['legacy-returns-whitelist', 'legacy-name-case-whitelist']);

const allCases = fs
  .readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();
const has = (name: string, ext: string): boolean => fs.existsSync(path.join(CASES_DIR, name + ext));
const goldenCases = allCases.filter((n) => has(n, '.out') || has(n, '.err'));
const legacyCases = allCases.filter((n) => has(n, '.warn'));
const patternCases = Object.keys(PATTERN_CASES).sort();

function copyTree(src: string, dst: string): void {
  fs.mkdirSync(dst, { recursive: true });
  for (const ent of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, ent.name);
    const d = path.join(dst, ent.name);
    if (ent.isDirectory()) copyTree(s, d);
    else fs.copyFileSync(s, d);
  }
}

function rewriteJson(dir: string, rewrite: (text: string) => string): void {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) rewriteJson(p, rewrite);
    else if (ent.name.endsWith('.json')) fs.writeFileSync(p, rewrite(read(p)));
  }
}

const toModern = (text: string): string => MODERN_SPELLING.reduce((t, [re, s]) => t.replace(re, s), text);

describe('own front-end cases: inventory', () => {
  test('the compiled CLI exists (run `npm run build`)', () => {
    expect(fs.existsSync(CLI_ENTRY)).toBe(true);
  });

  test('every top-level case is golden, legacy or pattern, exactly one of them', () => {
    expect(allCases.length).toBeGreaterThan(0);
    for (const name of allCases) {
      const kinds = [goldenCases.includes(name), legacyCases.includes(name), patternCases.includes(name)];
      expect({ name, kinds: kinds.filter(Boolean).length }).toEqual({ name, kinds: 1 });
    }
    for (const name of patternCases) expect(allCases).toContain(name);
  });

  test('golden cases have both .out and .err, exactly one non-empty (as upstream)', () => {
    for (const name of goldenCases) {
      const out = read(path.join(CASES_DIR, name + '.out'));
      const err = read(path.join(CASES_DIR, name + '.err'));
      expect({ name, nonEmpty: [out, err].filter((t) => t !== '').length }).toEqual({ name, nonEmpty: 1 });
    }
  });
});

describe('own front-end cases: golden', () => {
  test.each(goldenCases)('%s', (name) => {
    const expectedOut = read(path.join(CASES_DIR, name + '.out'));
    const expectedErr = read(path.join(CASES_DIR, name + '.err'));
    const r = dump(name + '.json', CASES_DIR);
    expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: expectedOut, stderr: expectedErr });
    expect(r.status).toBe(expectedErr === '' ? 0 : 1);
  });
});

describe('own front-end cases: our own error messages', () => {
  test.each(patternCases)('%s', (name) => {
    const r = dump(name + '.json', CASES_DIR);
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr).not.toMatch(/internal error/i);
    expect(r.stderr).toMatch(PATTERN_CASES[name]);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });
});

describe('own front-end cases: legacy spellings', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-legacy-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test.each(legacyCases)('%s', (name) => {
    // The same files, rewritten in the modern spelling, in a copy of the
    // case directory, so file and module names are the same in both dumps.
    const modernDir = path.join(tmp, name);
    copyTree(CASES_DIR, modernDir);
    rewriteJson(modernDir, toModern);
    const original = read(path.join(CASES_DIR, name + '.json'));
    const modernText = read(path.join(modernDir, name + '.json'));
    expect(modernText).not.toBe(original);

    const modern = dump(name + '.json', modernDir);
    expect(modern.stderr).toBe('');
    expect(modern.status).toBe(0);
    expect(modern.stdout).toContain(`module ${name}.json\n`);

    const legacy = dump(name + '.json', CASES_DIR);
    expect(legacy.stderr).toBe(read(path.join(CASES_DIR, name + '.warn')));
    expect(legacy.stdout).toBe(modern.stdout);
    expect(legacy.status).toBe(0);

    if (PRAGMA_NEEDED.has(name)) {
      // The alias really has the modern pragma's effect: without it, rejected.
      const bareDir = path.join(tmp, name + '-no-pragma');
      copyTree(CASES_DIR, bareDir);
      const bare = original.replace(/^\{ 'pragma':.*\n/m, '');
      expect(bare).not.toBe(original);
      fs.writeFileSync(path.join(bareDir, name + '.json'), bare);
      const r = dump(name + '.json', bareDir);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${name}\\.json: In command '[a-z-]+':\\n|^${name}\\.json: In (struct|enum) '[A-Za-z]+':\\n`));
    }
  });
});
