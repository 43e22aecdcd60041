#!/usr/bin/env node
'use strict';
/**
 * `npm run generate [-- --check]`: regenerate generated/qga/ from
 * schema/qapi-schema.json with qapi-ts.config.json5 (the Linux symbol set).
 * With --check, write nothing and exit 1 naming the stale files.
 * Runs the built generator (dist/, from `npm run build`).
 */
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'generator', 'commands', 'generate-run.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`generate: ${path.relative(root, entry)} not found; run \`npm run build\` first\n`);
  process.exit(2);
}
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`generate: unknown argument(s): ${unknown.join(' ')} (only --check)\n`);
  process.exit(2);
}
const check = args.includes('--check');
const render = require(path.join(root, 'dist', 'generator', 'backends', 'render.js'));
if (!render.precompiledFresh()) {
  if (check) {
    process.stderr.write('generate: templates/precompiled.js is stale; run `npm run generate`\n');
    process.exitCode = 1;
  } else {
    render.precompileTemplates();
    process.stderr.write('generate: templates/precompiled.js updated\n');
  }
}
const { runGenerate } = require(entry);
const status = runGenerate({
  schema: path.join(root, 'schema', 'qapi-schema.json'),
  output: path.join(root, 'generated', 'qga'),
  config: path.join(root, 'qapi-ts.config.json5'),
  defines: [],
  check,
});
if (status !== 0) process.exitCode = status;
