/**
 * bin/qapi-gen runs the bundle from V8's code cache (generator/launch.ts):
 * the cache names its bundle, a cache that does not fit is ignored or
 * rejected and the module still runs as Node would run it, and the cache the
 * build made is the one bin/qapi-gen's own flags accept.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheHeader, cachedDataFor } from '../../generator/launch';
import { REPO_ROOT } from '../helpers/shared';

const LAUNCH = path.join(REPO_ROOT, 'dist', 'generator', 'launch.js');

describe('code cache header', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-cc-'));
  const bundle = path.join(dir, 'bundle.js');
  fs.writeFileSync(bundle, 'module.exports = 1;\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the V8 data only for the bundle the header names', () => {
    const stat = fs.statSync(bundle);
    const data = Buffer.from([1, 2, 3]);
    const cache = Buffer.concat([Buffer.from(cacheHeader(stat), 'latin1'), data]);
    expect(cachedDataFor(cache, stat)).toEqual(data);
    expect(cachedDataFor(cache, { ...stat, size: stat.size + 1 } as fs.Stats)).toBeUndefined();
    expect(cachedDataFor(cache, { ...stat, mtimeMs: stat.mtimeMs + 1 } as fs.Stats)).toBeUndefined();
    expect(cachedDataFor(Buffer.from(cacheHeader(stat), 'latin1'), stat)).toBeUndefined();
    expect(cachedDataFor(Buffer.from('garbage'), stat)).toBeUndefined();
  });
});

describe('launch', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-cc-'));
  const bundle = path.join(dir, 'bundle.js');
  const cache = path.join(dir, 'bundle.cache');
  const report = path.join(dir, 'report.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // A CommonJS module that shows what it was given: its file names, a
  // relative require, an argument, and a function compiled lazily.
  fs.writeFileSync(path.join(dir, 'dep.js'), "module.exports = 'dep';\n");
  fs.writeFileSync(
    bundle,
    [
      "'use strict';",
      'function later(x) { return x * 2; }',
      "require('node:fs').writeFileSync(require('node:path').join(__dirname, 'report.json'),",
      '  JSON.stringify({ filename: __filename, dirname: __dirname, dep: require(\'./dep\'), args: process.argv.slice(1), later: later(21), exportsIsThis: this === exports }));',
      '',
    ].join('\n'),
  );

  function run(writeCache: boolean, flags: string[] = []): { use: string; report: Record<string, unknown> } {
    fs.rmSync(report, { force: true });
    const code = `const use = require(${JSON.stringify(LAUNCH)}).launch(${JSON.stringify(bundle)}, ${JSON.stringify(cache)}, ${writeCache}); process.stdout.write(use);`;
    const r = spawnSync(process.execPath, [...flags, '-e', code, 'the-arg'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return { use: r.stdout, report: JSON.parse(fs.readFileSync(report, 'utf8')) as Record<string, unknown> };
  }

  const expected = { filename: bundle, dirname: dir, dep: 'dep', args: ['the-arg'], later: 42, exportsIsThis: true };

  it('runs the module as Node would, and the training run writes a cache naming it', () => {
    expect(fs.existsSync(LAUNCH)).toBe(true); // npm test builds first
    const first = run(true);
    expect(first).toEqual({ use: 'none', report: expected });
    const written = fs.readFileSync(cache);
    expect(written.subarray(0, cacheHeader(fs.statSync(bundle)).length).toString('latin1')).toBe(cacheHeader(fs.statSync(bundle)));
    expect(written.length).toBeGreaterThan(cacheHeader(fs.statSync(bundle)).length);
  });

  it('compiles from the cache when it fits', () => {
    expect(run(false)).toEqual({ use: 'used', report: expected });
  });

  it('runs normally when V8 rejects the cache (other flags)', () => {
    expect(run(false, ['--no-lazy-feedback-allocation'])).toEqual({ use: 'rejected', report: expected });
  });

  it('ignores a cache made for another version of the bundle', () => {
    const later = new Date(fs.statSync(bundle).mtimeMs + 5000);
    fs.utimesSync(bundle, later, later);
    expect(run(false)).toEqual({ use: 'none', report: expected });
  });
});

describe('the cache the build made', () => {
  it('is accepted under the V8 flags bin/qapi-gen starts Node with', () => {
    const launcher = fs.readFileSync(path.join(REPO_ROOT, 'bin', 'qapi-gen'), 'utf8');
    const exec = /^exec node ((?:--\S+ )+)"\$\{self%\/\*\}\/\.\.\/dist\/generator\/launch\.js" "\$@"$/m.exec(launcher);
    expect(exec).not.toBeNull();
    const flags = exec![1].trim().split(' ');
    const dist = path.join(REPO_ROOT, 'dist');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-cc-out-'));
    try {
      const code =
        `process.argv.splice(1, 0, 'qapi-gen');` +
        `const bundle = require(${JSON.stringify(LAUNCH)}).compileBundle(${JSON.stringify(path.join(dist, 'qapi-gen.js'))}, ${JSON.stringify(path.join(dist, 'qapi-gen.cache'))});` +
        // Written first: a generator run ends the process itself.
        `process.stdout.write('cache: ' + bundle.use);` +
        `bundle.run();`;
      const schema = path.join(REPO_ROOT, 'test', 'golden', 'basic', 'schema.json');
      const r = spawnSync(process.execPath, [...flags, '-e', code, '--', 'generate', schema, '-o', out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('cache: used');
      expect(fs.readdirSync(out)).toContain('introspect.json');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
