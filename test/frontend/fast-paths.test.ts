/**
 * The parser's native fast paths (generator/json-expr.ts for expressions,
 * generator/doc-lines.ts for doc blocks) against reading every token with
 * the lexer: on every schema we have (QEMU's test cases, our own, the qga
 * and QMP schemas) both give the same expressions, lines, doc blocks and
 * errors; what the fast paths must leave to the lexer is left to it; and
 * they do take the plainly written text.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QAPIError } from '../../generator/errors';
import { DocLines } from '../../generator/doc-lines';
import * as jsonExpr from '../../generator/json-expr';
import { Lexer } from '../../generator/lexer';
import { isPlainRelative, MAX_NESTING, parseSchema, type ParseResult, type QValue } from '../../generator/parser';
import { loadSchema } from '../../generator/frontend';
import { SourceLine } from '../../generator/source';
import { QAPI_CASES_DIR, QGA_SCHEMA, QMP_SCHEMA } from '../helpers/shared';

const OWN_CASES_DIR = path.join(__dirname, 'cases');

function plain(v: QValue): unknown {
  if (v instanceof Map) return [...v].map(([k, x]) => [k, plain(x)]);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Everything the rest of the front end sees of a parse, or its error. */
function outcome(file: string, cwd: string, fastPaths: boolean): unknown {
  const saved = process.cwd();
  process.chdir(cwd);
  try {
    const r: ParseResult = parseSchema(file, { warn: () => undefined, fastPaths });
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

describe('the fast paths read what the lexer reads', () => {
  it.each(caseFiles(QAPI_CASES_DIR))('QEMU case %s', (file) => {
    expect(outcome(file, QAPI_CASES_DIR, true)).toEqual(outcome(file, QAPI_CASES_DIR, false));
  });

  it.each(caseFiles(OWN_CASES_DIR))('own case %s', (file) => {
    expect(outcome(file, OWN_CASES_DIR, true)).toEqual(outcome(file, OWN_CASES_DIR, false));
  });

  it.each([
    ['qga', QGA_SCHEMA],
    ['QMP', QMP_SCHEMA],
  ])('the %s schema, and nearly every expression and doc block of it goes the fast way', (_name, schema) => {
    const exprs = jest.spyOn(jsonExpr, 'readJsonExpr');
    const blocks = jest.spyOn(DocLines.prototype, 'close');
    try {
      const fast = outcome(path.basename(schema), path.dirname(schema), true);
      const exprsTaken = exprs.mock.results.filter((r) => r.value !== null).length;
      const blocksPlain = (blocks.mock.contexts as DocLines[]).filter((lines) => lines.plain).length;
      expect(exprs.mock.calls.length).toBeGreaterThan(50);
      expect(exprsTaken / exprs.mock.calls.length).toBeGreaterThan(0.95);
      expect(blocks.mock.calls.length).toBeGreaterThan(50);
      expect(blocksPlain / blocks.mock.calls.length).toBeGreaterThan(0.95);
      expect(fast).toEqual(outcome(path.basename(schema), path.dirname(schema), false));
    } finally {
      exprs.mockRestore();
      blocks.mockRestore();
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

describe('after a fast-path expression or doc block', () => {
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
    ['an error in a plain doc block', "##\n# @A:\n#\n# @x: one\n#   two\n# three\n##\n{ 'struct': 'A', 'data': { 'x': 'int' } }\n"],
    ['an error after a plain doc block', "##\n# @A:\n#\n# Since: 1\n##\n{ 'struct': 'A', 'data': { 'x': 'int' } }\n"],
    ['an error after a block was handed over to the lexer', "##\n# @A:\n#\n  # text\n# @x: one\n#   two\n# three\n##\n{ 'struct': 'A', 'data': { 'x': 'int' } }\n"],
    ['a second section on a plain block', "##\n# @A:\n#\n# Since: 1\n#\n# Since: 2\n##\n{ 'struct': 'A', 'data': {} }\n"],
  ])('%s has the position the parser gives it', (_what, text) => {
    fs.writeFileSync(path.join(tmp, 'case.json'), text);
    expect(outcome('case.json', tmp, true)).toEqual(outcome('case.json', tmp, false));
  });
});

describe('DocLines', () => {
  /** How a block at the start of `text` was read: 'plain' (all split at once) or 'lexer' (from some line on), and its lines. */
  function readBlock(text: string): { how: string; lines: (string | null)[] } {
    const lx = new Lexer(text, SourceLine.first('t.json', null));
    lx.accept(false);
    const lines = new DocLines(lx, true);
    const out: (string | null)[] = [];
    for (let line = lines.read(); ; line = lines.read()) {
      out.push(line);
      if (line === null) break;
    }
    return { how: lines.plain ? 'plain' : 'lexer', lines: out };
  }

  it('splits a plain block at once and strips each line', () => {
    expect(readBlock('##\n# @A:\n#\n#   indented\n##\n')).toEqual({ how: 'plain', lines: ['@A:', '', '  indented', null] });
    expect(readBlock('##\n##\n')).toEqual({ how: 'plain', lines: [null] });
  });

  it.each([
    ['an indented comment line', '##\n# a\n  # b\n# c\n##\n', ['a', 'b', 'c', null]],
    ['a blank line', '##\n# a\n\n# b\n##\n', ['a', 'b', null]],
    ['a trailing space', '##\n# a \n# b\n##\n', ['a', 'b', null]],
    ['a trailing tab', '##\n# a\tb\t\n##\n', ['a\tb', null]],
  ])('hands a block over to the lexer at %s', (_what, text, lines) => {
    expect(readBlock(text)).toEqual({ how: 'lexer', lines });
  });

  it('reads a block of a file holding non-ASCII text from the lexer', () => {
    expect(readBlock('##\n# caf\u00e9\n# b\n##\n')).toEqual({ how: 'lexer', lines: ['caf\u00e9', 'b', null] });
  });

  it.each([
    ['a line without a space after #', '##\n#a\n##\n', 'missing space after #'],
    ['junk after the closing ##', '##\n# a\n## b\n', "junk after '##' at end of documentation comment"],
    ['no closing ##', "##\n# a\n{ 'x': 'y' }\n", "documentation comment must end with '##'"],
  ])('leaves a block with %s to the lexer, which reports it', (_what, text, message) => {
    expect(() => readBlock(text)).toThrow(message);
  });
});

describe('file names taken as they are', () => {
  it.each(['a.json', 'qapi/a.json', 'a-b/c_d.json', '.hidden.json', 'x..json'])('%s needs no resolving', (name) => {
    expect(isPlainRelative(name)).toBe(true);
    expect(path.relative(process.cwd(), path.resolve(name))).toBe(name);
  });

  it.each(['', '/abs.json', './a.json', '../a.json', 'a/./b.json', 'a/../b.json', 'a//b.json', 'a/', '.', '..'])('%s is resolved', (name) => {
    expect(isPlainRelative(name)).toBe(false);
  });

  it("names every module as os.path.relpath does, whatever the includes' spelling", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-relpath-'));
    try {
      fs.mkdirSync(path.join(tmp, 'top', 'sub'), { recursive: true });
      fs.mkdirSync(path.join(tmp, 'side'));
      fs.writeFileSync(
        path.join(tmp, 'top', 's.json'),
        "{ 'include': 'sub/a.json' }\n{ 'include': './sub/b.json' }\n{ 'include': '../side/c.json' }\n{ 'include': 'sub//d.json' }\n",
      );
      for (const [file, name] of [['sub/a.json', 'Aa'], ['sub/b.json', 'Bb'], ['../side/c.json', 'Cc'], ['sub/d.json', 'Dd']]) {
        fs.writeFileSync(path.join(tmp, 'top', file), `{ 'struct': '${name}', 'data': {} }\n`);
      }
      const names = (root: string) => loadSchema(root).modules.map((m) => m.name);
      const expected = ['./builtin', 's.json', 'sub/a.json', 'sub/b.json', '../side/c.json', 'sub/d.json'];
      expect(names(path.join(tmp, 'top', 's.json'))).toEqual(expected);
      expect(names(path.join(tmp, 'side', '..', 'top', 's.json'))).toEqual(expected);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
