'use strict';
/**
 * QEMU 10.0's QAPI generator sources, the baseline of the front end and
 * generator benches. Looked for where a user will have them: QEMU_SRC; the
 * tree the test setup fetched (node_modules/.cache/qemu-src, see
 * test/setup/global.ts); the default of scripts/fetch-qemu-source.sh
 * (/tmp/qemu-src). When none holds them, they are fetched now into
 * node_modules/.cache/qemu-src, as the tests would: the speed-up over QEMU
 * is the target, so the bench should not quietly skip its baseline.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const FETCHED = path.join(REPO_ROOT, 'node_modules', '.cache', 'qemu-src');
const FETCH_SCRIPT = path.join(REPO_ROOT, 'scripts', 'fetch-qemu-source.sh');

/** Whether `dir` holds QEMU's front end and its generator entry point. */
function holdsQapi(dir) {
  return fs.existsSync(path.join(dir, 'scripts', 'qapi', 'schema.py')) && fs.existsSync(path.join(dir, 'scripts', 'qapi-gen.py'));
}

let found;

/**
 * `{ dir }` of a QEMU source tree holding scripts/qapi and qapi-gen.py, or
 * `{ why }` when there is none and none could be fetched. A QEMU_SRC that
 * lacks them is reported, not replaced. Looked up (and fetched) once per run.
 */
function qemuSource() {
  if (found) return found;
  const given = process.env.QEMU_SRC;
  if (given) {
    found = holdsQapi(given) ? { dir: given } : { why: `no scripts/qapi/schema.py and scripts/qapi-gen.py under QEMU_SRC=${given}` };
    return found;
  }
  const present = [FETCHED, '/tmp/qemu-src'].find(holdsQapi);
  if (present) return (found = { dir: present });
  process.stderr.write(`bench: fetching QEMU's QAPI sources into ${FETCHED} (scripts/fetch-qemu-source.sh)...\n`);
  const r = spawnSync('bash', [FETCH_SCRIPT, FETCHED], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status === 0 && holdsQapi(FETCHED)) return (found = { dir: FETCHED });
  const last = (r.stderr || String(r.error || '')).trim().split('\n').pop();
  found = { why: `QEMU's sources could not be fetched (${last}); set QEMU_SRC to a QEMU 10.0 tree` };
  return found;
}

module.exports = { qemuSource };
