/**
 * Robustness of the QAPI front end under random and malformed input.
 *
 * Property: `loadSchema(file)` either returns a Schema or throws a QAPIError
 * whose rendering carries a FILE:LINE position (the one position-less error
 * QEMU has is "can't read schema file", for the root only). Any other
 * exception (TypeError, RangeError from deep recursion, ...) is a bug.
 *
 * Inputs: mutations of QEMU 10.0's own cases (read at test time from
 * shared/), random QAPI-shaped schemas, deep nesting, unreadable includes and
 * random include graphs. A few CLI runs check exit status 1 and no stack
 * trace on garbage. In process and bounded so it runs in a few seconds;
 * QAPI_TS_FC_SCALE=50 makes it a longer soak, QAPI_TS_FC_SEED replays a seed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { cName } from '../../generator/common';
import { loadSchema } from '../../generator/frontend';
import { QAPIError } from '../../generator/errors';
import type { Schema } from '../../generator/schema/model';
import { QAPI_CASES_DIR, REPO_ROOT } from '../helpers/shared';

/** QAPI_TS_FC_SEED replays a run; QAPI_TS_FC_SCALE multiplies the number of runs (soak: 50). */
const SEED = process.env.QAPI_TS_FC_SEED ? Number(process.env.QAPI_TS_FC_SEED) : undefined;
const SCALE = Math.max(1, Number(process.env.QAPI_TS_FC_SCALE) || 1);
function fcParams<T>(numRuns: number): fc.Parameters<T> {
  const p: fc.Parameters<T> = { numRuns: numRuns * SCALE, endOnFailure: true };
  return SEED === undefined ? p : { ...p, seed: SEED };
}

let tmp: string;
/** A copy of QEMU's case directory, so that includes of mutated cases resolve. */
let casesCopy: string;
/** The registered cases' texts. */
let caseTexts: Buffer[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-robust-'));
  casesCopy = path.join(tmp, 'cases');
  fs.mkdirSync(casesCopy);
  for (const f of fs.readdirSync(QAPI_CASES_DIR)) {
    if (f.endsWith('.json')) fs.copyFileSync(path.join(QAPI_CASES_DIR, f), path.join(casesCopy, f));
  }
  fs.mkdirSync(path.join(casesCopy, 'include'));
  const sub = path.join(QAPI_CASES_DIR, 'include', 'sub-module.json');
  if (fs.existsSync(sub)) fs.copyFileSync(sub, path.join(casesCopy, 'include', 'sub-module.json'));
  const listed = fs
    .readFileSync(path.join(QAPI_CASES_DIR, 'CASES.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('.json'));
  caseTexts = listed
    .filter((f) => fs.existsSync(path.join(QAPI_CASES_DIR, f)))
    .map((f) => fs.readFileSync(path.join(QAPI_CASES_DIR, f)));
});

afterAll(() => {
  if (tmp) {
    // Undo chmod 000 so removal works as a normal user too.
    try {
      fs.chmodSync(path.join(tmp, 'inc', 'noperm.json'), 0o644);
    } catch {
      /* not created */
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

type Outcome = { kind: 'schema'; schema: Schema } | { kind: 'error'; error: QAPIError; text: string };

const LOCATION_LINE = /^(.+?):(\d+)(?::(\d+))?: \S/;

/**
 * Load `file` and check the property; returns what happened for further
 * assertions. `dir` is the directory every file of the schema lives under.
 */
function loadChecked(file: string, dir: string): Outcome {
  let schema: Schema;
  try {
    schema = loadSchema(file, { warn: () => undefined });
  } catch (e) {
    if (!(e instanceof QAPIError)) {
      const what = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
      throw new Error(`loadSchema(${file}) threw a non-QAPIError: ${what.slice(0, 2000)}`);
    }
    const text = e.render();
    expect(typeof text).toBe('string');
    expect(text).not.toMatch(/\n {4}at /);
    if (text.startsWith(`can't read schema file '${file}': `)) {
      // Position-less: only for the root file.
      expect(text.split('\n')).toHaveLength(1);
      return { kind: 'error', error: e, text };
    }
    const lines = text.split('\n');
    // Some line is FILE:LINE[:COL]: MESSAGE with a file of this schema.
    const located = lines
      .map((l) => LOCATION_LINE.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && (m[1] === file || m[1].startsWith(dir + path.sep)));
    if (located.length === 0) {
      throw new Error(`QAPIError without a FILE:LINE position for ${file}:\n${text}`);
    }
    for (const m of located) {
      expect(Number(m[2])).toBeGreaterThanOrEqual(1);
      if (m[3] !== undefined) expect(Number(m[3])).toBeGreaterThanOrEqual(1);
    }
    // Lines before the first position are the include chain / definition context.
    for (const l of lines.slice(0, lines.findIndex((l) => LOCATION_LINE.test(l)))) {
      expect(l).toMatch(/^In file included from .+:\d+:$|^.+: In (enum|struct|union|alternate|command|event) '.*':$/);
    }
    return { kind: 'error', error: e, text };
  }
  expect(Array.isArray(schema.modules)).toBe(true);
  expect(schema.modules[0]?.name).toBe('./builtin');
  return { kind: 'schema', schema };
}

// ---------------------------------------------------------------------------
// Mutations of real cases

type Mutation =
  | { op: 'flip'; pos: number; byte: number }
  | { op: 'truncate'; pos: number }
  | { op: 'insert'; pos: number; bytes: Uint8Array }
  | { op: 'delete'; pos: number; len: number }
  | { op: 'dupBrace'; which: number }
  | { op: 'dropBrace'; which: number }
  | { op: 'swapLines'; a: number; b: number };

const TOKENS = [
  '{', '}', '[', ']', ':', ',', "'", '"', '#', '##', '\n##\n', '\n##\n# @Foo:\n#\n# @a: x\n##\n', '\n# @x:\n', '@',
  'true', 'false', 'null', 'tru', "'include'", "'pragma'", "'if'", "'data'", "'struct'", "'union'", "'enum'",
  "'alternate'", "'command'", "'event'", "'base'", "'discriminator'", "'features'", "'returns'", "'boxed'",
  "'*x'", "'__org.qemu_x-y'", "'all'", "'any'", "'not'", "'doc-required'", '\\', "'\\\\'", "'\\n'", '\t', '\t\t',
  '\0', '\r', '\r\n', '\n', '\u00e9', '\u2028', '\u{1F600}', '\uFEFF', '0', '-1', '1e9', "''", '{}', '[]',
  "{ 'include': 'include-simple-sub.json' }", "{ 'include': 'mutant.json' }", "{ 'include': '.' }",
  "{ 'include': 'include' }", "{ 'include': '' }", "{ 'pragma': { 'returns-whitelist': [] } }",
  "{ 'type': 'Zz', 'data': {} }", "{ 'enum': 'Ee', 'data': [ '' ] }",
].map((t) => Buffer.from(t, 'utf8'));

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), pos: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    pos: fc.nat(),
    bytes: fc.oneof(fc.constantFrom(...TOKENS), fc.uint8Array({ minLength: 1, maxLength: 12 })),
  }),
  fc.record({ op: fc.constant('delete' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('dupBrace' as const), which: fc.nat() }),
  fc.record({ op: fc.constant('dropBrace' as const), which: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
);

function bracePositions(buf: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d) out.push(i);
  }
  return out;
}

function mutate(src: Buffer, m: Mutation): Buffer {
  const n = src.length;
  switch (m.op) {
    case 'flip': {
      if (n === 0) return Buffer.from([m.byte]);
      const b = Buffer.from(src);
      b[m.pos % n] = m.byte;
      return b;
    }
    case 'truncate':
      return src.subarray(0, n === 0 ? 0 : m.pos % n);
    case 'insert': {
      const p = m.pos % (n + 1);
      return Buffer.concat([src.subarray(0, p), Buffer.from(m.bytes), src.subarray(p)]);
    }
    case 'delete': {
      if (n === 0) return src;
      const p = m.pos % n;
      return Buffer.concat([src.subarray(0, p), src.subarray(p + m.len)]);
    }
    case 'dupBrace':
    case 'dropBrace': {
      const braces = bracePositions(src);
      if (braces.length === 0) return src;
      const p = braces[m.which % braces.length];
      return m.op === 'dupBrace'
        ? Buffer.concat([src.subarray(0, p + 1), src.subarray(p)])
        : Buffer.concat([src.subarray(0, p), src.subarray(p + 1)]);
    }
    case 'swapLines': {
      const lines = src.toString('latin1').split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

// Token-level mutations: they keep the text mostly well-formed, so the
// mutants reach the expression checks and the schema's semantic checks.

type TokenMutation =
  | { op: 'replaceString'; at: number; by: number; fromPool: boolean }
  | { op: 'swapStrings'; a: number; b: number }
  | { op: 'deletePair'; at: number }
  | { op: 'insertPair'; at: number; key: number; value: number }
  | { op: 'duplicateLine'; at: number }
  | { op: 'deleteLine'; at: number }
  | { op: 'flipBool'; at: number };

const POOL = [
  'int', 'str', 'bool', 'any', 'null', 'number', 'size', 'uint8', 'QType', 'on', 'off', 'a', 'b', '*a', 'a-b', 'a_b',
  'Foo', 'Enum', 'Union', 'q_empty', 'Base', 'deprecated', 'unstable', 'CONFIG_X', 'all', 'not', 'data', 'base', 'if',
  'features', 'discriminator', 'boxed', 'returns', 'type', 'TestStruct', 'TestEnum', 'UserDefOne', '',
];
const POOL_VALUES = [...POOL.map((n) => `'${n}'`), 'true', 'false', '[]', '{}', "[ 'int' ]", "{ 'a': 'int' }"];

const tokenMutationArb: fc.Arbitrary<TokenMutation> = fc.oneof(
  fc.record({ op: fc.constant('replaceString' as const), at: fc.nat(), by: fc.nat(), fromPool: fc.boolean() }),
  fc.record({ op: fc.constant('swapStrings' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('deletePair' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insertPair' as const), at: fc.nat(), key: fc.nat(), value: fc.nat() }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flipBool' as const), at: fc.nat() }),
);

const STRING_RE = /'(?:[^'\\\n]|\\.)*'/g;
const PAIR_RE = /'[^'\n]*'\s*:\s*(?:'[^'\n]*'|true|false|\[[^[\]{}]*\]|\{[^{}[\]]*\})\s*,?\s*/g;

function matchesOf(re: RegExp, text: string): RegExpExecArray[] {
  return [...text.matchAll(re)] as RegExpExecArray[];
}

function splice(text: string, start: number, end: number, by: string): string {
  return text.slice(0, start) + by + text.slice(end);
}

function tokenMutate(text: string, m: TokenMutation): string {
  const lines = text.split('\n');
  switch (m.op) {
    case 'replaceString': {
      const ss = matchesOf(STRING_RE, text);
      if (ss.length === 0) return text;
      const s = ss[m.at % ss.length];
      const by = m.fromPool ? `'${POOL[m.by % POOL.length]}'` : ss[m.by % ss.length][0];
      return splice(text, s.index, s.index + s[0].length, by);
    }
    case 'swapStrings': {
      const ss = matchesOf(STRING_RE, text);
      if (ss.length < 2) return text;
      let [x, y] = [ss[m.a % ss.length], ss[m.b % ss.length]];
      if (x.index === y.index) return text;
      if (x.index > y.index) [x, y] = [y, x];
      return text.slice(0, x.index) + y[0] + text.slice(x.index + x[0].length, y.index) + x[0] + text.slice(y.index + y[0].length);
    }
    case 'deletePair': {
      const ps = matchesOf(PAIR_RE, text);
      if (ps.length === 0) return text;
      const p = ps[m.at % ps.length];
      return splice(text, p.index, p.index + p[0].length, '');
    }
    case 'insertPair': {
      const opens = [...text.matchAll(/\{/g)].map((x) => x.index);
      if (opens.length === 0) return text;
      const at = opens[m.at % opens.length] + 1;
      return splice(text, at, at, ` '${POOL[m.key % POOL.length]}': ${POOL_VALUES[m.value % POOL_VALUES.length]},`);
    }
    case 'duplicateLine': {
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'deleteLine': {
      if (lines.length < 2) return text;
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    }
    case 'flipBool': {
      const bs = matchesOf(/\b(true|false)\b/g, text);
      if (bs.length === 0) return text;
      const b = bs[m.at % bs.length];
      return splice(text, b.index, b.index + b[0].length, b[0] === 'true' ? 'false' : 'true');
    }
  }
}

describe('front end robustness: mutated QEMU cases', () => {
  test('the shared QEMU cases are there', () => {
    expect(caseTexts.length).toBeGreaterThan(150);
  });

  test('loadSchema returns a Schema or throws a positioned QAPIError', () => {
    const file = () => path.join(casesCopy, 'mutant.json');
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(mutationArb, { minLength: 1, maxLength: 5 }),
        (caseIndex, mutations) => {
          const src = caseTexts[caseIndex % caseTexts.length];
          const mutated = mutations.reduce(mutate, src);
          fs.writeFileSync(file(), mutated);
          loadChecked(file(), casesCopy);
        },
      ),
      fcParams(300),
    );
  });

  test('token-level mutations: Schema or positioned QAPIError', () => {
    const file = path.join(casesCopy, 'mutant.json');
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(tokenMutationArb, { minLength: 1, maxLength: 3 }), (caseIndex, mutations) => {
        const src = caseTexts[caseIndex % caseTexts.length].toString('utf8');
        fs.writeFileSync(file, mutations.reduce(tokenMutate, src));
        if (loadChecked(file, casesCopy).kind === 'schema') accepted++;
      }),
      fcParams(300),
    );
    // The mutants do reach the accepting end of the pipeline, not only parse errors.
    expect(accepted).toBeGreaterThan(0);
  });

  test('every registered case unmutated: Schema or positioned QAPIError', () => {
    // The baseline for the mutations (and a check that no case crashes).
    const file = path.join(casesCopy, 'mutant.json');
    let errors = 0;
    for (const src of caseTexts) {
      fs.writeFileSync(file, src);
      if (loadChecked(file, casesCopy).kind === 'error') errors++;
    }
    // Most registered cases are negative ones.
    expect(errors).toBeGreaterThan(caseTexts.length / 2);
  });
});

// ---------------------------------------------------------------------------
// Random QAPI-shaped schemas

const NAMES = [
  'Foo', 'Bar', 'Baz', 'foo', 'bar', 'int', 'str', 'bool', 'any', 'null', 'number', 'size', 'uint8', 'int64',
  'QType', 'on', 'off', 'a', 'b', '*a', '*b', 'a-b', 'a_b', 'x', 'Y', 'q_empty', 'q_obj_foo-arg', '__org.qemu_x-Foo',
  '123', '', 'CONFIG_X', 'deprecated', 'unstable', 'my-feat', 'type', 'FooList', 'Enum', 'EVENT_A', 'cmd', 'data',
];
const KEYS = [
  'struct', 'union', 'enum', 'alternate', 'command', 'event', 'include', 'pragma', 'data', 'base', 'discriminator',
  'if', 'features', 'returns', 'boxed', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine',
  'prefix', 'name', 'type', 'all', 'any', 'not', 'doc-required', 'command-name-exceptions',
  'command-returns-exceptions', 'documentation-exceptions', 'member-name-exceptions', 'returns-whitelist',
  'name-case-whitelist', 'bogus', 'a', 'b', '*a', 'Foo',
];
const METAS = ['struct', 'union', 'enum', 'alternate', 'command', 'event', 'pragma', 'include', 'type'];

type QValue = string | boolean | QValue[] | { [k: string]: QValue };

const { value: qValueArb } = fc.letrec<{ value: QValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
}));

const exprArb = fc
  .tuple(
    fc.constantFrom(...METAS),
    qValueArb,
    fc.dictionary(fc.constantFrom(...KEYS), qValueArb, { maxKeys: 4 }),
    fc.option(fc.array(fc.constantFrom(...NAMES), { maxLength: 3 })),
  )
  .map(([meta, name, rest, doc]) => ({ expr: { [meta]: name, ...rest } as QValue, doc }));

function render(v: QValue): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[ ${v.map(render).join(', ')} ]`;
  return `{ ${Object.entries(v)
    .map(([k, x]) => `'${k}': ${render(x)}`)
    .join(', ')} }`;
}

function renderSchema(exprs: { expr: QValue; doc: string[] | null }[]): string {
  return exprs
    .map(({ expr, doc }) => {
      let text = '';
      if (doc) {
        const sym = typeof expr === 'object' && !Array.isArray(expr) ? Object.values(expr)[0] : 'x';
        text += `##\n# @${typeof sym === 'string' ? sym : 'x'}:\n#\n`;
        for (const d of doc) text += `# @${d}: about ${d}\n`;
        text += '##\n';
      }
      return text + render(expr) + '\n';
    })
    .join('');
}

describe('front end robustness: random schemas', () => {
  test('loadSchema returns a Schema or throws a positioned QAPIError', () => {
    const dir = path.join(tmp, 'random');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'random.json');
    fc.assert(
      fc.property(fc.array(exprArb, { minLength: 1, maxLength: 6 }), (exprs) => {
        fs.writeFileSync(file, renderSchema(exprs));
        loadChecked(file, dir);
      }),
      fcParams(300),
    );
  });

  test("type names pass the CamelCase check exactly when QEMU's regular expression matches them", () => {
    const dir = path.join(tmp, 'camel');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'camel.json');
    const qemuCamel = /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/).filter((n) => !n.endsWith('List')),
        (name) => {
          fs.writeFileSync(file, `{ 'struct': '${name}', 'data': {} }\n`);
          const r = loadChecked(file, dir);
          const rejected = r.kind === 'error' && r.text.includes('must use CamelCase');
          expect(rejected).toBe(!qemuCamel.test(name));
        },
      ),
      fcParams(300),
    );
  });

  test("names are reserved exactly when QEMU's c_name of them starts with 'q_'", () => {
    const dir = path.join(tmp, 'qprefix');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'qprefix.json');
    // QEMU's valid_name (scripts/qapi/expr.py, matched ignoring case).
    const qemuValid = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;
    fc.assert(
      fc.property(fc.stringMatching(/^q?[a-z0-9_.+-]{0,4}$/), (name) => {
        fs.writeFileSync(file, `{ 'struct': 'Strc', 'data': { '${name}': 'int' } }\n`);
        const r = loadChecked(file, dir);
        const invalid = r.kind === 'error' && r.text.includes('has an invalid name');
        expect(invalid).toBe(!qemuValid.test(name) || cName(name, false).startsWith('q_'));
      }),
      fcParams(300),
    );
  });

  test('random well-formed schemas are accepted', () => {
    // A narrower generator whose schemas QEMU 10.0 accepts: the front end must too.
    const dir = path.join(tmp, 'valid');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'valid.json');
    fc.assert(
      fc.property(validSchemaArb, ({ text, names }) => {
        fs.writeFileSync(file, text);
        const r = loadChecked(file, dir);
        if (r.kind === 'error') throw new Error(`rejected a valid schema:\n${text}\n${r.text}`);
        for (const n of names) expect(r.schema.lookup.has(n)).toBe(true);
      }),
      fcParams(100),
    );
  });
});

/** Member and enum value names QEMU accepts ('u', 'has-*' and 'q-*' are reserved). */
const memberNameArb = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,8}$/)
  .filter((n) => n !== 'u' && !n.startsWith('has-') && !n.startsWith('q-'));
/** CamelCase type names, not ending in 'List'. */
const typeNameArb = fc.stringMatching(/^[A-Z][a-z]{1,6}[A-Z]?[a-z0-9]{0,4}$/).filter((n) => !n.endsWith('List'));

/** Structs and enums referring to earlier types, a command and an event using them. */
const validSchemaArb = fc
  .tuple(
    fc.uniqueArray(typeNameArb, { minLength: 1, maxLength: 6 }),
    fc.array(fc.uniqueArray(memberNameArb, { minLength: 1, maxLength: 5 }), { minLength: 6, maxLength: 6 }),
    fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    fc.uniqueArray(memberNameArb, { minLength: 0, maxLength: 4 }),
  )
  .map(([names, members, picks, args]) => {
    const lines: string[] = [];
    const structs: string[] = [];
    names.forEach((n, i) => {
      const ms = members[i];
      if (i % 3 === 1) {
        lines.push(`{ 'enum': '${n}', 'data': [ ${ms.map((m) => `'${m}'`).join(', ')} ] }`);
        return;
      }
      const types = ['int', 'str', 'bool', 'number', 'uint64', 'any', ...names.slice(0, i)];
      const data = ms.map((m, j) => {
        const t = types[(picks[i] + j) % types.length];
        return `'${j % 3 === 0 ? '*' : ''}${m}': ${j % 4 === 1 ? `[ '${t}' ]` : `'${t}'`}`;
      });
      lines.push(`{ 'struct': '${n}', 'data': { ${data.join(', ')} } }`);
      structs.push(n);
    });
    const argTypes = ['int', 'str', ...names];
    const argData = args.map((a, j) => `'${a}': '${argTypes[(picks[0] + j) % argTypes.length]}'`).join(', ');
    const returns = structs.length ? `, 'returns': [ '${structs[0]}' ]` : '';
    lines.push(`{ 'command': 'do-it', 'data': { ${argData} }${returns} }`);
    lines.push(`{ 'event': 'DONE', 'data': { ${argData} } }`);
    return { text: lines.join('\n') + '\n', names: [...names, 'do-it', 'DONE'] };
  });

// ---------------------------------------------------------------------------
// Deep nesting

describe('front end robustness: deep nesting', () => {
  const N = 100_000;
  const cases: [string, () => string][] = [
    ['100,000 unclosed [', () => '['.repeat(N)],
    ['100,000 unclosed { in an expression', () => "{ 'struct': 'A', 'data': " + "{ 'a': ".repeat(N)],
    ['100,000 closed [ ] in data', () => "{ 'struct': 'A', 'data': " + '['.repeat(N) + ']'.repeat(N) + ' }\n'],
    ['100,000 closed { } in data', () => "{ 'struct': 'A', 'data': " + "{ 'a': ".repeat(N) + "'int'" + ' }'.repeat(N) + ' }\n'],
    ["100,000 nested 'not' conditions", () => "{ 'struct': 'A', 'data': {}, 'if': " + "{ 'not': ".repeat(N) + "'X'" + ' }'.repeat(N) + ' }\n'],
    ["450 nested 'not' conditions", () => "{ 'struct': 'A', 'data': {}, 'if': " + "{ 'not': ".repeat(450) + "'X'" + ' }'.repeat(450) + ' }\n'],
    ["10,000 nested 'all' conditions", () => "{ 'enum': 'E', 'data': [ 'a' ], 'if': " + "{ 'all': [ 'Y', ".repeat(10_000) + "'X'" + ' ] }'.repeat(10_000) + ' }\n'],
    ['100,000 [ at top level after a definition', () => "{ 'enum': 'E', 'data': [ 'a' ] }\n" + '['.repeat(N) + ']'.repeat(N) + '\n'],
  ];
  test.each(cases)('%s', (_name, make) => {
    const dir = path.join(tmp, 'deep');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, make());
    loadChecked(file, dir);
  });
});

// ---------------------------------------------------------------------------
// Unreadable includes

describe('front end robustness: unreadable files', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(tmp, 'inc');
    fs.mkdirSync(path.join(dir, 'a-directory.json'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'plain.json'), "{ 'enum': 'Plain', 'data': [ 'a' ] }\n");
    fs.symlinkSync('no-such-target.json', path.join(dir, 'dangling.json'));
    fs.symlinkSync('loop-b.json', path.join(dir, 'loop-a.json'));
    fs.symlinkSync('loop-a.json', path.join(dir, 'loop-b.json'));
    fs.writeFileSync(path.join(dir, 'noperm.json'), "{ 'enum': 'NoPerm', 'data': [ 'a' ] }\n");
    fs.chmodSync(path.join(dir, 'noperm.json'), 0);
  });

  // Each of these fails as root too; strerror texts are Python's (QEMU's).
  const unreadable: [string, string, string][] = [
    ['a directory', 'a-directory.json', 'Is a directory'],
    ['a missing file', 'missing.json', 'No such file or directory'],
    ['a dangling symlink', 'dangling.json', 'No such file or directory'],
    ['a symlink loop', 'loop-a.json', 'Too many levels of symbolic links'],
    ['a path through a regular file', 'plain.json/sub.json', 'Not a directory'],
    ['a file name too long', 'x'.repeat(300) + '.json', 'File name too long'],
  ];

  test.each(unreadable)('include of %s', (_what, target, strerror) => {
    const root = path.join(dir, 'root.json');
    fs.writeFileSync(root, `# include\n{ 'include': '${target}' }\n`);
    const r = loadChecked(root, dir);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.text).toBe(`${root}:2: can't read include file '${path.join(dir, target)}': ${strerror}`);
    }
  });

  test.each(unreadable)('root schema file is %s', (_what, target, strerror) => {
    const root = path.join(dir, target);
    const r = loadChecked(root, dir);
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.text).toBe(`can't read schema file '${root}': ${strerror}`);
  });

  test('include of a file without read permission (readable anyway when root)', () => {
    const root = path.join(dir, 'root-noperm.json');
    fs.writeFileSync(root, "{ 'include': 'noperm.json' }\n");
    const target = path.join(dir, 'noperm.json');
    let readable = true;
    try {
      fs.readFileSync(target);
    } catch {
      readable = false;
    }
    const r = loadChecked(root, dir);
    if (readable) {
      expect(r.kind).toBe('schema');
    } else {
      expect(r.kind === 'error' && r.text).toBe(`${root}:1: can't read include file '${target}': Permission denied`);
    }
  });

  test('the first unreadable include is the one reported', () => {
    const root = path.join(dir, 'root-order.json');
    fs.writeFileSync(root, "{ 'include': 'a-directory.json' }\n{ 'include': 'missing.json' }\n");
    const r = loadChecked(root, dir);
    expect(r.kind === 'error' && r.text).toBe(
      `${root}:1: can't read include file '${path.join(dir, 'a-directory.json')}': Is a directory`,
    );
  });
});

// ---------------------------------------------------------------------------
// Include graphs and cycles

/** Is there a cycle reachable from node 0? */
function reachableCycle(edges: number[][]): boolean {
  const state = new Array<number>(edges.length).fill(0); // 0 new, 1 on stack, 2 done
  const visit = (v: number): boolean => {
    state[v] = 1;
    for (const w of edges[v]) {
      if (state[w] === 1) return true;
      if (state[w] === 0 && visit(w)) return true;
    }
    state[v] = 2;
    return false;
  };
  return visit(0);
}

/** Files in order of first inclusion (DFS preorder, include-once). */
function firstInclusionOrder(edges: number[][]): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  const visit = (v: number): void => {
    seen.add(v);
    order.push(v);
    for (const w of edges[v]) if (!seen.has(w)) visit(w);
  };
  visit(0);
  return order;
}

describe('front end robustness: include graphs', () => {
  test('self-include is an inclusion loop', () => {
    const dir = path.join(tmp, 'self');
    fs.mkdirSync(dir, { recursive: true });
    const root = path.join(dir, 'self.json');
    fs.writeFileSync(root, "{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'include': 'self.json' }\n");
    const r = loadChecked(root, dir);
    expect(r.kind === 'error' && r.text).toBe(`${root}:2: inclusion loop for self.json`);
  });

  test('random include graphs: loop error exactly when a cycle is reachable; modules in first-inclusion order', () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) =>
          fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
        ),
        (edges) => {
          const dir = path.join(tmp, 'graph', String(runs++));
          fs.mkdirSync(path.join(dir, 'd'), { recursive: true });
          // File 0 is the root; others live in d/ and include each other with '../d/'.
          const name = (i: number) => (i === 0 ? 'root.json' : `d/f${i}.json`);
          for (let i = 0; i < edges.length; i++) {
            const incs = edges[i].map((j) => {
              const rel = i === 0 ? name(j) : j === 0 ? '../root.json' : `../d/f${j}.json`;
              return `{ 'include': '${rel}' }\n`;
            });
            fs.writeFileSync(path.join(dir, name(i)), `${incs.join('')}{ 'enum': 'Mod${String.fromCharCode(97 + i)}', 'data': [ 'v' ] }\n`);
          }
          const root = path.join(dir, 'root.json');
          const r = loadChecked(root, dir);
          if (reachableCycle(edges)) {
            expect(r.kind === 'error' && /inclusion loop for /.test(r.text)).toBe(true);
          } else {
            if (r.kind === 'error') throw new Error(`acyclic include graph rejected: ${JSON.stringify(edges)}\n${r.text}`);
            const order = firstInclusionOrder(edges);
            expect(r.schema.modules.map((m) => m.name)).toEqual(['./builtin', ...order.map(name)]);
          }
        },
      ),
      fcParams(60),
    );
  });
});

// ---------------------------------------------------------------------------
// The CLI on garbage: exit 1, a message, no stack trace

describe('front end robustness: CLI on garbage', () => {
  const CLI = path.join(REPO_ROOT, 'bin', 'qapi-gen');
  const garbage: [string, () => Buffer][] = [
    ['binary bytes', () => Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
    ['NUL bytes', () => Buffer.from("{ 'enum': 'E',\0\0 'data': [ 'a' ] }\n")],
    ['100,000 [', () => Buffer.from('['.repeat(100_000))],
    [
      'a real case truncated inside an expression',
      () => {
        const text = caseTexts.find((t) => t.includes("{ 'struct': "))!;
        return text.subarray(0, text.indexOf("{ 'struct': ") + 12);
      },
    ],
  ];
  test.each(garbage)('%s', (_name, make) => {
    const dir = path.join(tmp, 'cli');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'garbage.json'), make());
    const r = spawnSync(CLI, ['dump', 'garbage.json'], { cwd: dir, encoding: 'utf8', timeout: 30000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr).toMatch(/^(In file included from .*\n)*(garbage\.json: In .*\n)?garbage\.json:\d+(:\d+)?: \S/);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
  });
});
