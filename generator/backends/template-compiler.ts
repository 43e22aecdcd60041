/**
 * Precompiler for the project's Handlebars templates.
 *
 * Templates are parsed by Handlebars itself (`Handlebars.parse`, which also
 * applies its whitespace rules: standalone block lines, `~`), and the AST is
 * turned into one plain JavaScript function per template. The templates only
 * use a small part of the language: `{{path}}`, `{{{path}}}`, `{{#if}}`,
 * `{{#unless}}`, `{{#each}}` (arrays), `{{else}}`, `this`, `../` and dotted
 * paths; anything else is refused at precompile time. The functions behave
 * like Handlebars' own (test/backends/templates.test.ts renders every
 * template both ways and compares), without its per-helper overhead, and
 * need no Handlebars at run time.
 */

interface Node {
  readonly type: string;
}
interface ProgramNode extends Node {
  readonly type: 'Program';
  readonly body: readonly Node[];
}
interface PathNode extends Node {
  readonly type: 'PathExpression';
  readonly data: boolean;
  readonly depth: number;
  readonly parts: readonly string[];
  readonly original: string;
}
interface ContentNode extends Node {
  readonly type: 'ContentStatement';
  readonly value: string;
}
interface MustacheNode extends Node {
  readonly type: 'MustacheStatement';
  readonly path: Node;
  readonly params: readonly Node[];
  readonly escaped: boolean;
}
interface BlockNode extends Node {
  readonly type: 'BlockStatement';
  readonly path: PathNode;
  readonly params: readonly Node[];
  readonly program: ProgramNode | null;
  readonly inverse: ProgramNode | null;
}

export type Parse = (source: string) => unknown;

/** Handlebars' escapeExpression, as emitted into precompiled modules. */
export const ESCAPE_SOURCE = `function esc(v) {
  if (typeof v !== 'string') {
    if (v == null) return '';
    if (!v) return v + '';
    v = '' + v;
  }
  return ESC_TEST.test(v) ? v.replace(ESC_ALL, function (ch) { return ESC_MAP[ch]; }) : v;
}
// Made once: a regular expression literal inside esc would be a new object per call.
var ESC_TEST = /[&<>"'\`=]/;
var ESC_ALL = /[&<>"'\`=]/g;
var ESC_MAP = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '\`': '&#x60;', '=': '&#x3D;' };`;

/**
 * JavaScript source of a function `(context) => string` for one template.
 * `noEscape` is Handlebars' option of the same name.
 */
export function compileTemplate(source: string, name: string, noEscape: boolean, parse: Parse): string {
  const ast = parse(source) as ProgramNode;
  let counter = 0;
  const fail = (what: string): never => {
    throw new Error(`template ${name}: unsupported ${what}`);
  };

  const pathExpr = (p: Node, stack: readonly string[]): string => {
    if (p.type !== 'PathExpression') return fail(`expression ${p.type}`);
    const path = p as PathNode;
    if (path.data) return fail(`data variable ${path.original}`);
    if (path.depth >= stack.length) return fail(`path ${path.original} (too many ../)`);
    let expr = stack[stack.length - 1 - path.depth];
    // Optional chaining, like Handlebars' lookup (missing -> undefined), and
    // a property access per site: V8 caches each one, where a shared lookup
    // helper would see every key and every shape.
    for (const part of path.parts) {
      expr += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part) ? `?.${part}` : `?.[${JSON.stringify(part)}]`;
    }
    return expr;
  };

  // Handlebars' truthiness (an empty array is false), in place of a call.
  // Most values tested are strings, booleans or numbers: `typeof` settles
  // those inline, where reading `.length` would be a property load.
  const truthy = (v: string): string => `(${v} && (typeof ${v} !== 'object' || !Array.isArray(${v}) || ${v}.length !== 0))`;

  // Text and values in a row are appended in one statement: the output
  // string gets one piece per run, not one per value, and a raw value is
  // converted in place rather than by a call (templates run unoptimised).
  // The run starts with a string, so values are never added as numbers.
  const appendRun = (pieces: readonly string[]): string =>
    pieces.length === 0 ? '' : `o += ${pieces[0].startsWith('"') ? '' : '"" + '}${pieces.join(' + ')};\n`;

  // `known` maps a path expression to the variable that already holds its
  // value: inside {{#if x}} (and its {{else}}), {{x}} reads the tested
  // value again rather than the path (a load per part, in unoptimised code).
  const program = (prog: ProgramNode | null, stack: readonly string[], known: ReadonlyMap<string, string>): string => {
    if (!prog) return '';
    let out = '';
    let run: string[] = [];
    for (const node of prog.body) {
      switch (node.type) {
        case 'ContentStatement': {
          const value = (node as ContentNode).value;
          if (value !== '') run.push(JSON.stringify(value));
          break;
        }
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const m = node as MustacheNode;
          if (m.params.length > 0) fail(`helper call {{${(m.path as PathNode).original} ...}}`);
          const expr = pathExpr(m.path, stack);
          const v = known.get(expr) ?? expr;
          run.push(m.escaped && !noEscape ? `esc(${v})` : `(${v} ?? '')`);
          break;
        }
        case 'BlockStatement': {
          out += appendRun(run);
          run = [];
          const b = node as BlockNode;
          if (b.params.length !== 1) fail(`block {{#${b.path.original}}} with ${b.params.length} parameters`);
          const v = `v${counter++}`;
          const tested = pathExpr(b.params[0], stack);
          out += `var ${v} = ${tested};\n`;
          const inner = new Map(known).set(tested, v);
          switch (b.path.original) {
            case 'if':
            case 'unless':
              out += `if (${b.path.original === 'unless' ? '!' : ''}${truthy(v)}) {\n${program(b.program, stack, inner)}}`;
              out += b.inverse ? ` else {\n${program(b.inverse, stack, inner)}}\n` : '\n';
              break;
            case 'each': {
              const i = `i${counter++}`;
              const c = `c${counter++}`;
              out += `if (${truthy(v)}) {\n`;
              out += `var ${v}a = Array.isArray(${v}) ? ${v} : Object.keys(${v}).map(function (k) { return ${v}[k]; });\n`;
              out += `for (var ${i} = 0; ${i} < ${v}a.length; ${i}++) {\nvar ${c} = ${v}a[${i}];\n`;
              out += program(b.program, [...stack, c], inner);
              out += '}\n}';
              out += b.inverse ? ` else {\n${program(b.inverse, stack, inner)}}\n` : '\n';
              break;
            }
            default:
              fail(`block helper #${b.path.original}`);
          }
          break;
        }
        default:
          fail(`statement ${node.type}`);
      }
    }
    return out + appendRun(run);
  };

  return `function (c0) {\nvar o = '';\n${program(ast, ['c0'], new Map())}return o;\n}`;
}
