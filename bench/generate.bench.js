'use strict';
/**
 * Generator benchmark: `qapi-gen generate` with every backend (types,
 * marshallers, dispatch, client, introspection, docs), whole process, start-up
 * included, for QEMU 10.0's full QMP schema and for its guest-agent schema.
 *
 * Beside it, when `python3` and a QEMU source tree are available (see
 * scripts/qemu-source.js: QEMU_SRC, else the tree the tests fetched, else
 * fetched now), QEMU's own `scripts/qapi-gen.py` on the same schema, whole
 * process, and the ratio. Runs of the two generators are interleaved in pairs (which one
 * goes first alternates) so that load on the machine affects both alike;
 * medians over the pairs are compared. A pair in which the hypervisor stole
 * CPU time from either run (see steal.js) does not count, and pairs go on
 * until RUNS of them are clean, or three times that many were run (then
 * whatever is clean is used; if none is, every pair, and the note says so).
 *
 * Targets: at least 5x faster than QEMU's generator on the QMP schema, faster
 * than it on the qga schema. Without QEMU, the absolute times are compared
 * with QEMU's figures on this machine (QMP ~1.3 s, qga ~0.27 s).
 *
 * Env: QAPI_TS_SHARED (shared/ location), QEMU_SRC, BENCH_QUICK=1, BENCH_RUNS.
 * Uses the compiled CLI through its launcher (bin/qapi-gen -> dist/, `npm
 * run build` first), in this process's environment, as a user would run it.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { qemuSource } = require('../scripts/qemu-source');
const { stealTicks, disturbed } = require('./steal');

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED_DIR = path.resolve(process.env.QAPI_TS_SHARED || path.join(REPO_ROOT, '..', 'shared'));
const SCHEMAS = [
  {
    name: 'QMP',
    file: path.join(SHARED_DIR, 'qemu-10.0', 'qapi', 'qapi-schema.json'),
    defines: [],
    targetRatio: 5,
    qemuMs: 1300,
  },
  {
    name: 'qga',
    file: path.join(SHARED_DIR, 'qemu-10.0', 'qga', 'qapi-schema.json'),
    defines: ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_FSFREEZE', 'CONFIG_FSTRIM', 'HAVE_GETIFADDRS', 'CONFIG_LIBUDEV', 'HAVE_UTMPX', 'CONFIG_GETLOADAVG'],
    targetRatio: 1,
    qemuMs: 270,
    qemuPrefix: 'qga-',
  },
];
const CLI = path.join(REPO_ROOT, 'bin', 'qapi-gen');
const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'qapi-gen.js'); // what the launcher runs

const quick = process.env.BENCH_QUICK === '1';
// 11 interleaved pairs: a run of ours is short beside QEMU's, and the host's
// speed drifts over seconds; with 7 the median still followed single slow runs.
const RUNS = Number(process.env.BENCH_RUNS) || (quick ? 3 : 11);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One run of a process: its wall time (ms), and whether the hypervisor stole CPU time meanwhile. */
function timeProcess(cmd, args, options = {}) {
  const s0 = stealTicks();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options });
  const ms = performance.now() - t0;
  const wasDisturbed = disturbed(stealTicks() - s0, ms / 1000);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.slice(0, 2).join(' ')} exited ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  return { ms, disturbed: wasDisturbed };
}

/**
 * Timed pairs of `runs` (one function per program, each returning
 * timeProcess's result), alternating which goes first, until `wanted` pairs
 * are free of steal or three times that many were run. Returns the pairs
 * that count (the clean ones; every pair when none is) and how many ran.
 */
function timedPairs(runs, wanted) {
  const pairs = [];
  const clean = () => pairs.filter((pair) => pair.every((r) => !r.disturbed));
  while (pairs.length < wanted * 3 && clean().length < wanted) {
    const pair = new Array(runs.length);
    const order = runs.map((_, k) => k);
    if (pairs.length % 2 === 1) order.reverse();
    for (const k of order) pair[k] = runs[k]();
    pairs.push(pair);
  }
  const counted = clean();
  return { pairs: counted.length > 0 ? counted : pairs, run: pairs.length, clean: counted.length };
}

/** `qapi-gen generate`, as a user runs it: the bin/qapi-gen launcher, in this process's environment. */
function ours(schema, outDir) {
  const args = ['generate', schema.file, '-o', outDir];
  for (const d of schema.defines) args.push('-D', d);
  return timeProcess(CLI, args);
}

/**
 * The interpreter `python3` stands for. On machines with pyenv, `python3` on
 * PATH is a shell shim that costs QEMU's generator about 70 ms per run; the
 * interpreter itself is what QEMU's generator should be timed with.
 */
function pythonExecutable() {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : 'python3';
}

function qemu(python, qemuSrc, schema, outDir) {
  const args = [path.join(qemuSrc, 'scripts', 'qapi-gen.py'), '-o', outDir];
  if (schema.qemuPrefix) args.push('-p', schema.qemuPrefix);
  args.push(schema.file);
  return timeProcess(python, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

exports.description = "qapi-gen generate (all backends), whole process, beside QEMU's qapi-gen.py";

exports.run = async function run(report) {
  if (!fs.existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} not found: run \`npm run build\` first`);
  const havePython = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
  const source = havePython ? qemuSource() : { why: 'python3 not found' };
  const qemuSrc = source.dir;
  const withQemu = Boolean(qemuSrc);
  if (!withQemu) report.skip(`QEMU comparison: ${source.why}`);

  const python = withQemu ? pythonExecutable() : 'python3';
  // QEMU's modules byte-compiled first, as a build's second run would find
  // them (this environment sets PYTHONDONTWRITEBYTECODE, so Python would
  // otherwise recompile them on every run: about 30 ms more for QEMU).
  if (withQemu) spawnSync(python, ['-m', 'compileall', '-q', path.join(qemuSrc, 'scripts', 'qapi')], { stdio: 'ignore' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-bench-gen-'));
  try {
    for (const schema of SCHEMAS) {
      if (!fs.existsSync(schema.file)) throw new Error(`schema not found: ${schema.file} (set QAPI_TS_SHARED)`);
      const oursOut = path.join(tmp, `ours-${schema.name}`);
      const qemuOut = path.join(tmp, `qemu-${schema.name}`);
      // Warm-up (file cache, first write of the output directory).
      ours(schema, oursOut);
      if (withQemu) qemu(python, qemuSrc, schema, qemuOut);
      const runs = [() => ours(schema, oursOut)];
      if (withQemu) runs.push(() => qemu(python, qemuSrc, schema, qemuOut));
      const timed = timedPairs(runs, RUNS);
      const n = timed.pairs.length;
      const t = median(timed.pairs.map((pair) => pair[0].ms));
      report.note(
        `${schema.name}: ${timed.run} ${withQemu ? 'pairs' : 'runs'} run, ${timed.clean} free of hypervisor steal` +
          (timed.clean === 0 ? ' (none was: every one counted)' : ''),
      );
      if (withQemu) {
        const q = median(timed.pairs.map((pair) => pair[1].ms));
        const perPair = timed.pairs.map((pair) => (pair[1].ms / pair[0].ms).toFixed(2));
        report.note(`${schema.name}: ratio per counted pair: ${perPair.join(' ')}`);
        report({ metric: `${schema.name}: qapi-gen generate, whole process (median of ${n})`, value: t, unit: 'ms' });
        report({ metric: `${schema.name}: QEMU qapi-gen.py, whole process (median of ${n})`, value: q, unit: 'ms' });
        const ratio = q / t;
        report({
          metric: `${schema.name}: speed-up over QEMU's generator`,
          value: ratio,
          unit: 'x',
          target: schema.targetRatio > 1 ? `>= ${schema.targetRatio}x` : '> 1x',
          ok: schema.targetRatio > 1 ? ratio >= schema.targetRatio : ratio > 1,
        });
      } else {
        const limit = schema.qemuMs / schema.targetRatio;
        report({
          metric: `${schema.name}: qapi-gen generate, whole process (median of ${n})`,
          value: t,
          unit: 'ms',
          target: `< ${limit.toFixed(0)} ms (QEMU ~${schema.qemuMs} ms here${schema.targetRatio > 1 ? ` / ${schema.targetRatio}` : ''})`,
          ok: t < limit,
        });
      }
      const files = fs.readdirSync(oursOut).length;
      report.note(`${schema.name}: ${files} entries written to the output directory (types, marshal, dispatch, client, index, introspect.json, docs/)`);
    }
    report.note(`${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
};
