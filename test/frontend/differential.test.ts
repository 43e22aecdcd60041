/**
 * Differential test against QEMU 10.0's own Python front end, when a QEMU
 * source tree is available (env QEMU_SRC, e.g. from
 * `scripts/fetch-qemu-source.sh`, set up by test/setup/global.ts; needs python3).
 *
 * Deterministic mutations of QEMU's test cases (byte-level and line-level:
 * token insertion, deletion, string replacement, line moves) are run
 * through QEMU's test harness function and through loadSchema + dumpSchema;
 * stdout and error text must be identical. Inputs on which QEMU crashes
 * (IndexError, AssertionError, UnicodeDecodeError, ...) only need to give a
 * QAPIError here.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dumpSchema } from '../../generator/dump';
import { QAPIError } from '../../generator/errors';
import { loadSchema } from '../../generator/frontend';
import { qemuSource } from '../helpers/oracles';
import { QAPI_CASES_DIR } from '../helpers/shared';

const QEMU_SRC = qemuSource();
const HARNESS = path.join(QEMU_SRC, 'tests', 'qapi-schema', 'test-qapi.py');

/** Runs QEMU's test_frontend() on each file; prints {file: {out, err, crash}} as JSON. */
const DRIVER = `
import importlib.util, io, json, os, sys
sys.path.insert(0, os.path.join(os.environ['QEMU_SRC'], 'scripts'))
spec = importlib.util.spec_from_file_location('test_qapi', sys.argv[1])
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)
from qapi.error import QAPIError
results = {}
for name in sys.argv[2:]:
    captured, saved = io.StringIO(), sys.stdout
    sys.stdout = captured
    err, crash = '', None
    try:
        harness.test_frontend(name)
    except QAPIError as e:
        err = str(e) + '\\n'
    except BaseException as e:
        crash = type(e).__name__
    finally:
        sys.stdout = saved
    results[name] = {'out': '' if err else captured.getvalue(), 'err': err, 'crash': crash}
json.dump(results, sys.stdout)
`;

/** A small deterministic generator (LCG). */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const TOKENS = [
  '{', '}', '[', ']', ':', ',', "'", '#', '##\n', '\n##\n# @Foo:\n#\n# @a: x\n##\n', 'true', "'if'", "'data'",
  "'base'", "'*a'", '\t', "'include'", '\n', "'features'", "'deprecated'", '@', '# @a:\n', "'Foo'", "'QType'",
  "'int'", "['int']", '{}', '[]', '# Returns: x\n', '# Since: 1\n', '#  indented\n', '# Features:\n',
  "'discriminator'", "'boxed': true", "{ 'not': 'A' }", "'str'", "'any'", "'on'",
];

function mutate(src: string, strings: string[], lines: string[], r: (n: number) => number): string {
  let text = src;
  for (let k = 1 + r(3); k > 0; k--) {
    const p = r(text.length + 1);
    const ls = text.split('\n');
    switch (r(7)) {
      case 0:
      case 1:
        text = text.slice(0, p) + TOKENS[r(TOKENS.length)] + text.slice(p);
        break;
      case 2:
        text = text.slice(0, p) + text.slice(p + 1 + r(12));
        break;
      case 3: {
        const quoted = [...text.matchAll(/'[^'\n]*'/g)];
        if (quoted.length) {
          const m = quoted[r(quoted.length)];
          text = text.slice(0, m.index) + strings[r(strings.length)] + text.slice((m.index ?? 0) + m[0].length);
        }
        break;
      }
      case 4:
        ls.splice(r(ls.length), 1);
        text = ls.join('\n');
        break;
      case 5:
        ls.splice(r(ls.length), 0, lines[r(lines.length)]);
        text = ls.join('\n');
        break;
      default: {
        const a = r(ls.length);
        const b = r(ls.length);
        [ls[a], ls[b]] = [ls[b], ls[a]];
        text = ls.join('\n');
      }
    }
  }
  return text;
}

describe('differential against QEMU 10.0 (QEMU_SRC)', () => {
  test('mutated QEMU cases: identical dumps and errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-diff-'));
    try {
      fs.mkdirSync(path.join(dir, 'include'));
      const caseNames = fs
        .readFileSync(path.join(QAPI_CASES_DIR, 'CASES.txt'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.endsWith('.json'));
      for (const f of fs.readdirSync(QAPI_CASES_DIR)) {
        if (f.endsWith('.json')) fs.copyFileSync(path.join(QAPI_CASES_DIR, f), path.join(dir, f));
      }
      fs.copyFileSync(path.join(QAPI_CASES_DIR, 'include', 'sub-module.json'), path.join(dir, 'include', 'sub-module.json'));
      const texts = caseNames.filter((n) => fs.existsSync(path.join(dir, n))).map((n) => fs.readFileSync(path.join(dir, n), 'latin1'));
      const all = texts.join('\n');
      const strings = [...new Set(all.match(/'[^'\n]*'/g) ?? [])];
      const lines = all.split('\n').filter((l) => l.trim());
      const r = rng(20250422);
      const names: string[] = [];
      for (let i = 0; i < 300; i++) {
        const name = `mutant${i}.json`;
        fs.writeFileSync(path.join(dir, name), Buffer.from(mutate(texts[r(texts.length)], strings, lines, r), 'latin1'));
        names.push(name);
      }
      const py = spawnSync('python3', ['-c', DRIVER, HARNESS, ...names], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, QEMU_SRC, PYTHONIOENCODING: 'utf-8' },
      });
      expect(py.status).toBe(0);
      const ref = JSON.parse(py.stdout) as Record<string, { out: string; err: string; crash: string | null }>;
      const saved = process.cwd();
      process.chdir(dir);
      const mismatches: string[] = [];
      let compared = 0;
      try {
        for (const name of names) {
          let out = '';
          let err = '';
          try {
            out = dumpSchema(loadSchema(name));
          } catch (e) {
            if (!(e instanceof QAPIError)) throw e;
            err = e.format();
          }
          const want = ref[name];
          if (want.crash) continue;
          compared++;
          if (want.out !== out || want.err !== err) {
            mismatches.push(`${name}\n  QEMU: ${JSON.stringify(want.err || want.out.slice(0, 400))}\n  ours: ${JSON.stringify(err || out.slice(0, 400))}`);
          }
        }
      } finally {
        process.chdir(saved);
      }
      expect(compared).toBeGreaterThan(250);
      expect(mismatches).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
