'use strict';
/**
 * Where QEMU 10.0's QAPI generator sources are, for everything that compares
 * against them: the test setup (test/setup/global.ts) and the front end and
 * generator benches. QEMU_SRC wins; else the tree fetched earlier into
 * node_modules/.cache/qemu-src, or the default destination of
 * scripts/fetch-qemu-source.sh (/tmp/qemu-src); else that script fetches one
 * now, into QEMU_SRC or node_modules/.cache/qemu-src (progress on stderr).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const FETCHED = path.join(REPO_ROOT, 'node_modules', '.cache', 'qemu-src');
const FETCH_SCRIPT = path.join(__dirname, 'fetch-qemu-source.sh');

/** Whether `dir` holds QEMU's front end and its generator entry point. */
function holdsQapi(dir) {
  return fs.existsSync(path.join(dir, 'scripts', 'qapi', 'schema.py')) && fs.existsSync(path.join(dir, 'scripts', 'qapi-gen.py'));
}

let found;

/**
 * `{ dir }` of a QEMU source tree holding scripts/qapi and qapi-gen.py, or
 * `{ why }` when there is none and none could be fetched. A QEMU_SRC that
 * does not hold one yet is where the tree is fetched to. Looked up (and
 * fetched) once per process.
 */
function qemuSource() {
  if (found) return found;
  const given = process.env.QEMU_SRC;
  const present = (given ? [given] : [FETCHED, '/tmp/qemu-src']).find(holdsQapi);
  if (present) return (found = { dir: present });
  const dest = given || FETCHED;
  process.stderr.write(`\nFetching QEMU's QAPI sources into ${dest} (scripts/fetch-qemu-source.sh)...\n`);
  const r = spawnSync('bash', [FETCH_SCRIPT, dest], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status === 0 && holdsQapi(dest)) return (found = { dir: dest });
  const how = r.error ? String(r.error) : `exit status ${r.status}`;
  found = { why: `QEMU's sources could not be fetched into ${dest} (scripts/fetch-qemu-source.sh: ${how}); set QEMU_SRC to a QEMU 10.0 tree` };
  return found;
}

module.exports = { qemuSource };
