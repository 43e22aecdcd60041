/**
 * Templates: the precompiled functions render exactly what Handlebars itself
 * renders, for every template and every view the backends produce (the
 * golden cases and QEMU's guest-agent schema); templates/precompiled.js is
 * up to date; unsupported template features are refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import * as renderModule from '../../generator/backends/render';
import { compileTemplate, ESCAPE_SOURCE } from '../../generator/backends/template-compiler';
import { generateFromFile } from '../../generator/backends/pipeline';
import { QGA_SCHEMA, REPO_ROOT } from '../helpers/shared';

const dir = renderModule.templatesDir();

describe('templates', () => {
  it('templates/precompiled.js matches the template sources', () => {
    expect(renderModule.precompiledFresh(dir)).toBe(true);
  });

  it('render the same as Handlebars for every view of the golden cases and the qga schema', () => {
    const seen: { name: string; context: object; out: string }[] = [];
    const original = renderModule.render;
    const spy = jest.spyOn(renderModule, 'render').mockImplementation((name, context) => {
      const out = original(name, context);
      seen.push({ name, context, out });
      return out;
    });
    try {
      generateFromFile(path.join(REPO_ROOT, 'test', 'golden', 'basic', 'schema.json'), { defines: ['CONFIG_POSIX'] });
      generateFromFile(QGA_SCHEMA, { defines: ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_FSFREEZE'] });
    } finally {
      spy.mockRestore();
    }
    const names = new Set(seen.map((s) => s.name));
    expect([...names].sort()).toEqual(renderModule.templateNames(dir));
    const compiled = new Map<string, HandlebarsTemplateDelegate>();
    for (const { name, context, out } of seen) {
      let t = compiled.get(name);
      if (!t) {
        t = Handlebars.compile(fs.readFileSync(path.join(dir, name), 'utf8'), { noEscape: renderModule.noEscape(name) });
        compiled.set(name, t);
      }
      expect(out).toBe(t(context));
    }
  });

  it('agree with Handlebars on edge values: adjacent numbers, empty and missing values, empty lists', () => {
    // (Handlebars adds two numbers written side by side as {{a}}{{b}} when
    // noEscape is set; no template does that, and ours concatenate them.)
    const source =
      '{{a}}-{{b}}|{{{a}}}{{{b}}}|{{n}}{{z}}{{f}}|{{#if l}}L{{else}}no-l{{/if}}|{{#unless e}}no-e{{/unless}}|' +
      '{{#each l}}[{{x}}{{../a}}]{{else}}none{{/each}}|{{#each o}}<{{this}}>{{/each}}|{{#if s}}S{{/if}}{{#if z}}Z{{/if}}|{{h}}';
    const contexts: object[] = [
      { a: 1, b: 2, n: null, z: 0, f: false, l: [{ x: 3 }, { x: 'y' }], e: [], o: { p: 1, q: 'two' }, s: '', h: '<&"\'=`>' },
      { a: '1', b: 2, l: [], e: [0], o: {}, s: 'x', z: 5, h: 7 },
      { a: 1.5, b: -2, n: undefined, f: true, l: [{}], e: '', s: ' ' },
    ];
    for (const noEscape of [false, true]) {
      const fn = new Function(`${ESCAPE_SOURCE}\nreturn ${compileTemplate(source, 't', noEscape, (s) => Handlebars.parse(s))};`)() as (c: object) => string;
      const expected = Handlebars.compile(source, { noEscape });
      for (const context of contexts) expect(fn(context)).toBe(expected(context));
    }
  });

  it('refuses what the precompiler does not support', () => {
    const parse = (s: string) => Handlebars.parse(s);
    expect(() => compileTemplate('{{#with a}}x{{/with}}', 't', true, parse)).toThrow('unsupported block helper #with');
    expect(() => compileTemplate('{{@index}}', 't', true, parse)).toThrow('unsupported data variable @index');
    expect(() => compileTemplate('{{lookup a b}}', 't', true, parse)).toThrow('unsupported helper call');
    expect(() => compileTemplate('{{#each a}}{{../../b}}{{/each}}', 't', true, parse)).toThrow('too many ../');
  });
});
