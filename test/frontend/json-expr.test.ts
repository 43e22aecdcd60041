/**
 * The parser's native fast path (generator/json-expr.ts) against its
 * token-by-token reading: on every schema we have (QEMU's test cases, our
 * own, the qga and QMP schemas) both give the same expressions, lines, doc
 * blocks and errors; expressions the fast path must leave to the parser are
 * left to it; and it does take the plainly written ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QAPIError } from '../../generator/errors';
import * as jsonExpr from '../../generator/json-expr';
import { MAX_NESTING, parseSchema, type ParseResult, type QValue } from '../../generator/parser';
import { QAPI_CASES_DIR, QGA_SCHEMA, QMP_SCHEMA } from '../helpers/shared';

const OWN_CASES_DIR = path.join(__dirname, 'cases');

function plain(v: QValue): unknown {
  if (v instanceof Map) return [...v].map(([k, x]) => [k, plain(x)]);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Everything the rest of the front end sees of a parse, or its error. */
function outcome(file: string, cwd: string, nativeJson: boolean): unknown {
  const saved = process.cwd();
  process.chdir(cwd);
  try {
    const r: ParseResult = parseSchema(file, { warn: () => undefined, nativeJson });
    return {
      exprs: r.exprs.map((e) => [plain(e.expr), e.info.location(), e.doc?.info.location() ?? null]),
      docs: r.docs.map((d) => [d.info.location(), d.symbol, d.allSections.map((s) => [s.kind, s.name, s.info.location(), s.text])]),
    };
  } catch (e) {
    if (e instanceof QAPIError) return e.format();
    throw e;
  } finally {
    process.chdir(saved);
  }
}

function caseFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

describe('the fast path reads what the parser reads', () => {
  it.each(caseFiles(QAPI_CASES_DIR))('QEMU case %s', (file) => {
    expect(outcome(file, QAPI_CASES_DIR, true)).toEqual(outcome(file, QAPI_CASES_DIR, false));
  });

  it.each(caseFiles(OWN_CASES_DIR))('own case %s', (file) => {
    expect(outcome(file, OWN_CASES_DIR, true)).toEqual(outcome(file, OWN_CASES_DIR, false));
  });

  it.each([
    ['qga', QGA_SCHEMA],
    ['QMP', QMP_SCHEMA],
  ])('the %s schema, and nearly every expression of it goes the fast way', (_name, schema) => {
    const spy = jest.spyOn(jsonExpr, 'readJsonExpr');
    try {
      const fast = outcome(path.basename(schema), path.dirname(schema), true);
      const taken = spy.mock.results.filter((r) => r.value !== null).length;
      expect(spy.mock.calls.length).toBeGreaterThan(50);
      expect(taken / spy.mock.calls.length).toBeGreaterThan(0.95);
      expect(fast).toEqual(outcome(path.basename(schema), path.dirname(schema), false));
    } finally {
      spy.mockRestore();
    }
  });
});

describe('readJsonExpr', () => {
  const read = (text: string): ReturnType<typeof jsonExpr.readJsonExpr> => jsonExpr.readJsonExpr(text + '\n', 0, MAX_NESTING);

  it('reads objects as Maps in text order, arrays, strings and booleans, and ends where the next item starts', () => {
    const src = "{ 'struct': 'S', 'data': { 'b': ['x', { 'if': 'C' }], 'a': true } }\n\n# next\n";
    const r = jsonExpr.readJsonExpr(src, 0, MAX_NESTING);
    expect(r).not.toBeNull();
    expect(plain(r!.value)).toEqual([
      ['struct', 'S'],
      [
        'data',
        [
          ['b', ['x', [['if', 'C']]]],
          ['a', true],
        ],
      ],
    ]);
    expect(r!.end).toBe(src.indexOf('\n'));
  });

  it.each([
    ['a duplicate key', "{ 'a': 'x', 'a': 'y' }"],
    ['a duplicate key beside a colon in a string', "{ 'a': 'x:y', 'a': 'z' }"],
    ['a colon in a string', "{ 'a': 'x:y' }"],
    ['a number', "{ 'a': 1 }"],
    ['null', "{ 'a': null }"],
    ['an array-index key', "{ 'b': 'x', '1': 'y' }"],
    ['a key starting with a digit', "{ '1a': 'x' }"],
    ['a comment', "{ 'a': 'x' # why\n}"],
    ['an escape', "{ 'a': 'x\\\\y' }"],
    ['a double quote', "{ 'a': 'say \"x\"' }"],
    ['a tab', "{\t'a': 'x' }"],
    ['non-ASCII text', "{ 'a': 'caf\u00e9' }"],
    ['a blank line inside', "{ 'a':\n\n 'x' }"],
    ['a trailing comma', "{ 'a': 'x', }"],
    ['two expressions on a line', "{ 'a': 'x' } { 'b': 'y' }"],
    ['a stray word', "{ 'a': truex }"],
    ['nesting beyond the limit', "{ 'a': " + '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING) + ' }'],
  ])('leaves %s to the parser', (_what, text) => {
    expect(read(text)).toBeNull();
  });

  it('takes nesting up to the limit', () => {
    expect(read("{ 'a': " + '['.repeat(MAX_NESTING - 1) + ']'.repeat(MAX_NESTING - 1) + ' }')).not.toBeNull();
  });
});

describe('after a fast-path expression', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-json-expr-'));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.each([
    ['the next expression', "{ 'struct': 'A',\n  'data': { 'x': 'int' } }\n{ 'struct': 'B', 'data': { 'y': 'int' } }\n"],
    ['an error on a later line', "{ 'struct': 'A',\n  'data': { 'x': 'int' } }\n\n\n{ 'struct': 'B', 'data': 1 }\n"],
    ['a doc block', "{ 'struct': 'A',\n\n  'data': {} }\n##\n# @B:\n#\n# text\n##\n{ 'struct': 'B', 'data': {} }\n"],
  ])('%s has the position the parser gives it', (_what, text) => {
    fs.writeFileSync(path.join(tmp, 'case.json'), text);
    expect(outcome('case.json', tmp, true)).toEqual(outcome('case.json', tmp, false));
  });
});
