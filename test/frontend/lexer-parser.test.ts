/**
 * Unit tests of the front end's lower layers: C naming (common.ts), lexer
 * positions and tokens, parser limits and paths, legacy spellings, and the
 * dump command's error handling. Schemas are written to a temporary
 * directory; positions are checked against QEMU's rules (CONFORMANCE.md).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDump } from '../../generator/commands/dump';
import { camelToUpper, cEnumConst, cName } from '../../generator/common';
import { dumpSchema } from '../../generator/dump';
import { QAPIError } from '../../generator/errors';
import { loadSchema } from '../../generator/frontend';
import { isPySpace, Lexer, type Token } from '../../generator/lexer';
import { MAX_INCLUDE_DEPTH, MAX_NESTING, pyDirname, pyJoin } from '../../generator/parser';
import { leadingSpace } from '../../generator/pytext';
import { SourceLine } from '../../generator/source';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-lexparse-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Write `files` (name -> text) into a fresh directory and load the first one from there. */
function load(files: Record<string, string | Buffer>, warn?: (m: string) => void): { text: string; warnings: string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const warnings: string[] = [];
  const saved = process.cwd();
  process.chdir(dir);
  try {
    const schema = loadSchema(Object.keys(files)[0], { warn: warn ?? ((m) => warnings.push(m)) });
    return { text: dumpSchema(schema), warnings };
  } catch (e) {
    if (e instanceof QAPIError) {
      return { text: e.format(), warnings };
    }
    throw e;
  } finally {
    process.chdir(saved);
  }
}

function tokens(src: string): Token[] {
  const lx = new Lexer(src.endsWith('\n') ? src : src + '\n', SourceLine.first('t.json', null));
  const out: Token[] = [];
  do {
    lx.accept();
    out.push(lx.tok);
  } while (lx.tok !== null);
  return out;
}

describe('C names', () => {
  test.each([
    ['QGASeek', 'QGA_SEEK'],
    ['IPv4Addr', 'IPV4_ADDR'],
    ['ENUM24_Name', 'ENU_M24_NAME'],
    ['__org.qemu_x-Enum', 'ORG_QEMU_X_ENUM'],
    ['QType', 'QTYPE'],
    ['EnumName1', 'ENUM_NAME1'],
    ['ENUMName', 'ENUM_NAME'],
    ['GuestFsfreezeStatus', 'GUEST_FSFREEZE_STATUS'],
    // Beyond ASCII, Python's str.isalnum() decides ('½' is numeric, '—' is not).
    ['FooéBar', 'FOO__BAR'],
    ['AÉÉy', 'A___Y'],
    ['Foo½Bar', 'FOO__BAR'],
    ['Foo—Bar', 'FOO_BAR'],
  ])('camelToUpper(%s) = %s', (name, upper) => {
    expect(camelToUpper(name)).toBe(upper);
  });

  test('cName protects keywords, polluted names and leading digits', () => {
    expect(cName('default')).toBe('q_default');
    expect(cName('unix')).toBe('q_unix');
    expect(cName('1a')).toBe('q_1a');
    expect(cName('default', false)).toBe('default');
    // One cache serves both: a name mapped plainly first is still protected after.
    expect(cName('errno', false)).toBe('errno');
    expect(cName('errno')).toBe('q_errno');
    expect(cName('2-x', false)).toBe('2_x');
    expect(cName('2-x')).toBe('q_2_x');
    expect(cName('a-b.c')).toBe('a_b_c');
    expect(cName('x-foo')).toBe('x_foo');
  });

  test('cEnumConst uses the unprotected member name and an optional prefix', () => {
    expect(cEnumConst('EE', '1a')).toBe('EE_1A');
    expect(cEnumConst('QGASeek', 'set')).toBe('QGA_SEEK_SET');
    expect(cEnumConst('Foo', 'a-b', 'MY_PFX')).toBe('MY_PFX_A_B');
  });
});

describe('lexer', () => {
  test('structural tokens, strings, booleans by prefix', () => {
    expect(tokens("{ 'a': [ true, false ] }")).toEqual(['{', "'", ':', '[', 't', ',', 'f', ']', '}', null]);
    expect(load({ 'x.json': "{ 'enum': 'Foo', 'data': [ 'a' ], 'if': trueish }\n" }).text).toBe(
      "x.json:1:45: stray 'ish'\n",
    );
    // A stray run ends at any of Python's white-space characters (here an em space).
    expect(load({ 'x.json': "{ 'enum': 'Foo', 'data': [ 'a' ], 'if': \u00e9t\u00e9\u2003x }\n" }).text).toBe(
      "x.json:1:41: stray '\u00e9t\u00e9'\n",
    );
  });

  test('tokens of one line share one SourceLine; the next line gets another', () => {
    const lx = new Lexer("{ 'a': 'b' }\n{ 'c': 'd' }\n", SourceLine.first('t.json', null));
    lx.accept();
    const first = lx.info;
    lx.accept();
    expect(lx.info).toBe(first);
    expect(first.line).toBe(1);
    while (lx.tok !== null && lx.info.line === 1) lx.accept();
    expect(lx.info).not.toBe(first);
    expect(lx.info.line).toBe(2);
    expect(lx.info.fname).toBe('t.json');
    expect(lx.info.pragma).toBe(first.pragma);
  });

  test("QEMU's tab rule for columns", () => {
    // The buggy formula makes the two tabs add no width here.
    expect(load({ 'x.json': "{ 'a':\t\t'b', 'c' 'd' }\n" }).text).toBe("x.json:1:16: expected ':'\n");
  });

  test('EOF errors point after the last character of the last line', () => {
    expect(load({ 'x.json': "{ 'enum': 'Foo'" }).text).toBe("x.json:1:16: expected ',' or '}'\n");
    expect(load({ 'x.json': "\n\n{ 'enum':\n  'Foo'\n" }).text).toBe("x.json:4:8: expected ',' or '}'\n");
  });

  test('only \\\\ escapes; printable ASCII only', () => {
    expect(load({ 'x.json': "{ 'enum': 'Fo\\no' }\n" }).text).toBe('x.json:1:11: unknown escape \\n\n');
    expect(load({ 'x.json': "{ 'enum': 'Fo\u00e9' }\n" }).text).toBe('x.json:1:11: funny character in string\n');
  });

  test('CRLF and CR are newlines', () => {
    const r = load({ 'x.json': "{ 'enum': 'Foo',\r\n  'data': [ 'a' ] }\r\n\r{ 'bogus' }\r\n" });
    expect(r.text).toBe("x.json:4:11: expected ':'\n");
  });

  test('invalid UTF-8 is a positioned error', () => {
    const r = load({ 'x.json': Buffer.concat([Buffer.from("{ 'enum': 'Foo',\n# "), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]) });
    expect(r.text).toBe('x.json:2:3: invalid UTF-8 sequence\n');
  });
});

describe('parser', () => {
  test(`nesting deeper than ${MAX_NESTING} levels is a positioned parse error`, () => {
    const r = load({ 'x.json': "{ 'enum': 'Foo', 'data': " + '['.repeat(100_000) });
    expect(r.text).toMatch(/^x\.json:1:\d+: nesting too deep/);
    const ok = load({ 'x.json': "{ 'struct': 'Foo', 'data': {}, 'if': " + "{ 'not': ".repeat(100) + "'X'" + ' }'.repeat(100) + ' }\n' });
    expect(ok.text).toContain('object Foo\n');
  });

  test('include paths are joined without normalisation; module names are normalised', () => {
    const files = {
      'main.json': "{ 'include': 'sub/../other/b.json' }\n",
      'other/b.json': "{ 'enum': 'Bb', 'data': [ 'x' ] }\n{ 'include': 'c.json' }\n",
      'other/c.json': "{ 'struct': 'Cc', 'data': { 'a': 'Nope' } }\n",
    };
    fs.mkdirSync(path.join(tmp, 'unused'), { recursive: true });
    const r = load(files);
    // sub/ doesn't exist: the path is used as written, so reading fails there.
    expect(r.text).toBe("main.json:1: can't read include file 'sub/../other/b.json': No such file or directory\n");
    const r2 = load({ ...files, 'sub/keep.json': '' });
    expect(r2.text).toBe(
      'In file included from main.json:1:\n' +
        'In file included from sub/../other/b.json:2:\n' +
        "sub/../other/c.json: In struct 'Cc':\n" +
        "sub/../other/c.json:1: member 'a' uses unknown type 'Nope'\n",
    );
    const r3 = load({ ...files, 'sub/keep.json': '', 'other/c.json': "{ 'struct': 'Cc', 'data': {} }\n" });
    expect(r3.text).toContain('module main.json\ninclude other/b.json\nmodule other/b.json\nenum Bb\n');
    expect(r3.text).toContain('include other/c.json\nmodule other/c.json\nobject Cc\n');
  });

  test(`include chains deeper than ${MAX_INCLUDE_DEPTH} files are a positioned error, not a stack overflow`, () => {
    const files: Record<string, string> = {};
    const n = MAX_INCLUDE_DEPTH + 20;
    for (let i = 0; i < n; i++) {
      files[`f${i}.json`] = i + 1 < n ? `{ 'include': 'f${i + 1}.json' }\n` : "{ 'enum': 'Ee', 'data': [ 'a' ] }\n";
    }
    const r = load(files);
    expect(r.text).toMatch(new RegExp(`^In file included from f0\\.json:1:\n(.*\n)*f${MAX_INCLUDE_DEPTH}\\.json:1: includes nested too deeply`));
    // QEMU 10.0 accepts chains of about 240 files: so do we.
    const ok: Record<string, string> = {};
    for (let i = 0; i < 240; i++) {
      ok[`f${i}.json`] = i + 1 < 240 ? `{ 'include': 'f${i + 1}.json' }\n` : "{ 'enum': 'Ee', 'data': [ 'a' ] }\n";
    }
    expect(load(ok).text).toContain('module f239.json\nenum Ee\n');
  });

  test('os.path.join / dirname semantics', () => {
    expect(pyJoin('', 'a.json')).toBe('a.json');
    expect(pyJoin('d', 'a.json')).toBe('d/a.json');
    expect(pyJoin('d/', 'a.json')).toBe('d/a.json');
    expect(pyJoin('d', '/abs.json')).toBe('/abs.json');
    expect(pyDirname('a.json')).toBe('');
    expect(pyDirname('x/y/a.json')).toBe('x/y');
    expect(pyDirname('/a.json')).toBe('/');
  });

  test('two definitions on one line share its position and the later name', () => {
    const r = load({ 'x.json': "{ 'struct': 'Aa', 'data': { 'x': 'Nope' } } { 'struct': 'Bb', 'data': {} }\n" });
    expect(r.text).toBe("x.json: In struct 'Bb':\nx.json:1: member 'x' of type 'Aa' uses unknown type 'Nope'\n");
  });

  test("an empty enum value is a clean error (QEMU crashes)", () => {
    expect(load({ 'x.json': "{ 'enum': 'Ee',\n  'data': [ '' ] }\n" }).text).toBe(
      "x.json: In enum 'Ee':\nx.json:1: 'data' member '' has an invalid name\n",
    );
  });
});

describe('legacy spellings', () => {
  const modern =
    "{ 'pragma': { 'command-returns-exceptions': [ 'get-it' ], 'member-name-exceptions': [ 'Rec' ] } }\n" +
    "{ 'struct': 'Rec', 'data': { 'Odd_Name': 'int' } }\n" +
    "{ 'command': 'get-it', 'returns': 'int' }\n";
  const legacy =
    "{ 'pragma': { 'returns-whitelist': [ 'get-it' ], 'name-case-whitelist': [ 'Rec' ] } }\n" +
    "{ 'type': 'Rec', 'data': { 'Odd_Name': 'int' } }\n" +
    "{ 'command': 'get-it', 'returns': 'int' }\n";

  test('are accepted with one warning each and dump like the modern spelling', () => {
    const m = load({ 'x.json': modern });
    const l = load({ 'x.json': legacy });
    expect(m.warnings).toEqual([]);
    expect(l.text).toBe(m.text);
    expect(l.warnings).toEqual([
      "x.json:1: warning: pragma 'returns-whitelist' is deprecated; use 'command-returns-exceptions' instead",
      "x.json:1: warning: pragma 'name-case-whitelist' is deprecated; use 'member-name-exceptions' instead",
      "x.json:2: warning: 'type' is deprecated; use 'struct' instead",
    ]);
  });

  test('the CLI prints warnings on stderr and the dump on stdout', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cli-'));
    fs.writeFileSync(path.join(dir, 'x.json'), legacy);
    let out = '';
    let err = '';
    const saved = process.cwd();
    process.chdir(dir);
    try {
      expect(runDump('x.json', (s) => (out += s), (s) => (err += s))).toBe(0);
    } finally {
      process.chdir(saved);
    }
    expect(err.split('\n')).toHaveLength(4);
    expect(err).toContain("x.json:2: warning: 'type' is deprecated; use 'struct' instead\n");
    expect(out).toContain('object Rec\n    member Odd_Name: int optional=False\n');
  });
});

describe('dump command errors', () => {
  test('a schema error: .err text on stderr, status 1, nothing on stdout', () => {
    let out = '';
    let err = '';
    const status = runDump(path.join(tmp, 'nope.json'), (s) => (out += s), (s) => (err += s));
    expect(status).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`can't read schema file '${path.join(tmp, 'nope.json')}': No such file or directory\n`);
  });

  test('an internal error: one line, no stack trace, status 2', () => {
    let err = '';
    const status = runDump(
      'x.json',
      () => undefined,
      (s) => (err += s),
      () => {
        throw new TypeError('boom\nsecond line');
      },
    );
    expect(status).toBe(2);
    expect(err).toBe('qapi-gen: internal error: boom\n');
  });
});

describe('leadingSpace', () => {
  it("counts exactly the characters Python's str.isspace() takes, any of them", () => {
    const wrong: number[] = [];
    let spaces = 0;
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (isPySpace(c)) spaces++;
      if (leadingSpace(`${ch}${ch}x`) !== (isPySpace(c) ? 2 : 0)) wrong.push(c);
    }
    expect(wrong).toEqual([]);
    expect(spaces).toBe(29);
  });

  it('counts a line of whitespace only whole, and an empty one as 0', () => {
    expect(leadingSpace('  \t ')).toBe(4);
    expect(leadingSpace('')).toBe(0);
    expect(leadingSpace('    indented text')).toBe(4);
  });
});
