/**
 * Template rendering. Templates (templates/*.hbs) hold layout only.
 *
 * Handlebars is loaded lazily, the first time a template is rendered, and
 * each template is compiled once per process. When `templates/precompiled.js`
 * exists and matches the template sources (by content hash), only the small
 * Handlebars runtime is loaded and nothing is compiled.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

type Template = (context: object) => string;

interface HandlebarsLike {
  compile(source: string, options?: object): Template;
  template(spec: unknown): Template;
  precompile(source: string, options?: object): string;
}

/** The repository's templates directory, from sources or from dist/. */
export function templatesDir(): string {
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(__dirname, up, 'templates');
    if (fs.existsSync(path.join(dir, 'types.hbs'))) return dir;
  }
  throw new Error(`templates directory not found from ${__dirname}`);
}

/** Compile options: no HTML escaping except for HTML templates. */
export function compileOptions(name: string): object {
  return { noEscape: !name.endsWith('.html.hbs'), strict: false };
}

const cache = new Map<string, Template>();
let precompiled: Record<string, unknown> | null | undefined;
let handlebars: HandlebarsLike | undefined;

/** Names of every template, relative to the templates directory. */
export function templateNames(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.hbs')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Hash of every template source (name and content). */
export function templatesHash(dir: string, sources?: Map<string, string>): string {
  const h = crypto.createHash('sha256');
  for (const name of templateNames(dir)) {
    const text = sources?.get(name) ?? fs.readFileSync(path.join(dir, name), 'utf8');
    h.update(name + '\0' + text + '\0');
  }
  return h.digest('hex');
}

function loadPrecompiled(dir: string): Record<string, unknown> | null {
  const file = path.join(dir, 'precompiled.js');
  if (!fs.existsSync(file)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { hash?: string; templates?: Record<string, unknown> };
  if (!mod.templates || mod.hash !== templatesHash(dir)) return null;
  return mod.templates;
}

/** Render template `name` (e.g. 'types.hbs') with `context`. */
export function render(name: string, context: object): string {
  let t = cache.get(name);
  if (!t) {
    const dir = templatesDir();
    if (precompiled === undefined) precompiled = loadPrecompiled(dir);
    if (precompiled && precompiled[name] !== undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const runtime = require('handlebars/runtime') as { default?: HandlebarsLike } & HandlebarsLike;
      t = (runtime.default ?? runtime).template(precompiled[name]);
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handlebars ??= require('handlebars') as HandlebarsLike;
      t = handlebars.compile(fs.readFileSync(path.join(dir, name), 'utf8'), compileOptions(name));
    }
    cache.set(name, t);
  }
  return t(context);
}
