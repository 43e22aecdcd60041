'use strict';
/**
 * Front-end benchmark: parse + check of QEMU 10.0's full QMP schema
 * (shared/qemu-10.0/qapi/qapi-schema.json, 44 modules), in process, with the
 * compiled front end from dist/ (`npm run build` first). Median of repeated
 * runs after warm-up.
 *
 * Beside it, when `python3` and a QEMU source tree are available (see
 * scripts/qemu-source.js: QEMU_SRC, else the tree the tests fetched, else
 * fetched now), QEMU's own Python front end: `QAPISchema(path)` timed in
 * process the same way, and the ratio.
 *
 * Also the first run in a fresh process for both (what a one-shot CLI run
 * pays: no JIT warm-up), the CLI's wall time for `qapi-gen dump` of the same
 * schema (process start included), and whether its output equals QEMU's
 * expected dump. The machine's load average is printed: on a shared 2-core
 * machine wall times are only comparable at similar load; the CPU-time rows
 * (process.cpuUsage / time.process_time, GC threads included) are the
 * steadier figures when the machine is busy.
 *
 * Env: QAPI_TS_SHARED (shared/ location), QEMU_SRC, BENCH_QUICK=1 (fewer runs),
 * BENCH_RUNS (override the number of timed runs).
 * Targets: under 150 ms; at least 4x faster than QEMU's front end.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { qemuSource } = require('../scripts/qemu-source');

const REPO_ROOT = path.resolve(__dirname, '..');
const SHARED_DIR = path.resolve(process.env.QAPI_TS_SHARED || path.join(REPO_ROOT, '..', 'shared'));
const QMP_SCHEMA = path.join(SHARED_DIR, 'qemu-10.0', 'qapi', 'qapi-schema.json');
const EXPECTED_DUMP = path.join(SHARED_DIR, 'qemu-10.0', 'expected', 'qapi-schema.out');
const FRONTEND = path.join(REPO_ROOT, 'dist', 'generator', 'frontend.js');
const CLI = path.join(REPO_ROOT, 'bin', 'qapi-gen');

const TARGET_MS = 150;
const TARGET_RATIO = 4;

const quick = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS) || (quick ? 5 : 21);
const WARMUP = quick ? 2 : 5;
const PY_RUNS = Number(process.env.BENCH_RUNS) || (quick ? 3 : 7);
const PY_WARMUP = quick ? 1 : 2;
const CLI_RUNS = quick ? 2 : 5;
const COLD_RUNS = quick ? 2 : 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timeOurs(loadSchema) {
  const warn = () => undefined;
  let schema;
  for (let i = 0; i < WARMUP; i++) schema = loadSchema(QMP_SCHEMA, { warn });
  const times = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    schema = loadSchema(QMP_SCHEMA, { warn });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(times), min: Math.min(...times), cpuMedian: median(cpu), schema };
}

const PY_SCRIPT = `
import json, os, statistics, sys, time
sys.path.insert(0, os.path.join(os.environ['QEMU_SRC'], 'scripts'))
from qapi.schema import QAPISchema
path, warm, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for _ in range(warm):
    QAPISchema(path)
ts = []
cpu = []
for _ in range(runs):
    c0 = time.process_time()
    t0 = time.perf_counter()
    QAPISchema(path)
    ts.append((time.perf_counter() - t0) * 1000)
    cpu.append((time.process_time() - c0) * 1000)
print(json.dumps({'median': statistics.median(ts), 'min': min(ts),
                  'cpuMedian': statistics.median(cpu),
                  'python': sys.version.split()[0]}))
`;

function timeQemu(qemuSrc) {
  const r = spawnSync('python3', ['-c', PY_SCRIPT, QMP_SCHEMA, String(PY_WARMUP), String(PY_RUNS)], {
    env: { ...process.env, QEMU_SRC: qemuSrc, PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const COLD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const { loadSchema } = require(process.argv[1]);
const t0 = performance.now();
loadSchema(process.argv[2], { warn: () => undefined });
console.log(performance.now() - t0);
`;

/** First loadSchema() in a fresh process (module loading excluded): the one-shot CLI case. */
function timeOursCold() {
  const times = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const r = spawnSync(process.execPath, ['-e', COLD_SCRIPT, FRONTEND, QMP_SCHEMA], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold run exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
    times.push(Number(r.stdout.trim()));
  }
  return median(times);
}

/** First QAPISchema() in a fresh interpreter (imports excluded). */
function timeQemuCold(qemuSrc) {
  const times = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const r = spawnSync('python3', ['-c', PY_SCRIPT, QMP_SCHEMA, '0', '1'], {
      env: { ...process.env, QEMU_SRC: qemuSrc, PYTHONDONTWRITEBYTECODE: '1' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`python3 exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
    times.push(JSON.parse(r.stdout.trim().split('\n').pop()).median);
  }
  return median(times);
}

function timeCli() {
  const times = [];
  let out = null;
  let status = null;
  for (let i = 0; i < CLI_RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(CLI, ['dump', 'qapi-schema.json'], {
      cwd: path.dirname(QMP_SCHEMA),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    times.push(performance.now() - t0);
    out = r.stdout;
    status = r.status;
  }
  return { median: median(times), out, status };
}

exports.description = "QAPI front end on QEMU 10.0's full QMP schema, beside QEMU's Python front end";

exports.run = async function run(report) {
  if (!fs.existsSync(QMP_SCHEMA)) throw new Error(`QMP schema not found: ${QMP_SCHEMA} (set QAPI_TS_SHARED)`);
  if (!fs.existsSync(FRONTEND)) throw new Error(`${FRONTEND} not found: run \`npm run build\` first`);
  const { loadSchema } = require(FRONTEND);
  if (typeof loadSchema !== 'function') throw new Error(`${FRONTEND} does not export loadSchema`);

  const ours = timeOurs(loadSchema);
  report({
    metric: `QMP schema parse+check, in process (median of ${RUNS})`,
    value: ours.median,
    unit: 'ms',
    target: `< ${TARGET_MS} ms`,
    ok: ours.median < TARGET_MS,
  });
  report({ metric: 'QMP schema parse+check, in process (best)', value: ours.min, unit: 'ms' });
  report({
    metric: `QMP schema parse+check, in process, CPU time (median of ${RUNS})`,
    value: ours.cpuMedian,
    unit: 'ms',
    target: `< ${TARGET_MS} ms`,
    ok: ours.cpuMedian < TARGET_MS,
  });
  const userModules = ours.schema.modules.filter((m) => m.name !== './builtin').length;
  report.note(
    `QMP schema: ${userModules} modules besides ./builtin, ${ours.schema.entities.length} entities, ${ours.schema.docs.length} doc blocks`,
  );
  const oursCold = timeOursCold();
  report({ metric: `QMP schema parse+check, first run in a fresh process (median of ${COLD_RUNS})`, value: oursCold, unit: 'ms' });

  const havePython = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
  const source = havePython ? qemuSource() : { why: 'python3 not found' };
  const qemuSrc = source.dir;
  if (!qemuSrc) {
    report.skip(`QEMU comparison: ${source.why}`);
  } else {
    const qemu = timeQemu(qemuSrc);
    report({ metric: `QEMU QAPISchema(), in process (median of ${PY_RUNS})`, value: qemu.median, unit: 'ms' });
    const ratio = qemu.median / ours.median;
    report({
      metric: 'speed-up over QEMU (median / median)',
      value: ratio,
      unit: 'x',
      target: `>= ${TARGET_RATIO}x`,
      ok: ratio >= TARGET_RATIO,
    });
    report({ metric: `QEMU QAPISchema(), in process, CPU time (median of ${PY_RUNS})`, value: qemu.cpuMedian, unit: 'ms' });
    const cpuRatio = qemu.cpuMedian / ours.cpuMedian;
    report({
      metric: 'speed-up over QEMU, CPU time (median / median)',
      value: cpuRatio,
      unit: 'x',
      target: `>= ${TARGET_RATIO}x`,
      ok: cpuRatio >= TARGET_RATIO,
    });
    const qemuCold = timeQemuCold(qemuSrc);
    report({ metric: `QEMU QAPISchema(), first run in a fresh interpreter (median of ${COLD_RUNS})`, value: qemuCold, unit: 'ms' });
    report({ metric: 'speed-up over QEMU, first runs (no target)', value: qemuCold / oursCold, unit: 'x' });
    report.note(`QEMU front end from ${qemuSrc}, Python ${qemu.python}`);
  }

  const cli = timeCli();
  report.note(`load average ${require('node:os').loadavg().map((x) => x.toFixed(1)).join(' ')} on ${require('node:os').cpus().length} CPUs`);
  report({ metric: `qapi-gen dump QMP schema, process wall time (median of ${CLI_RUNS})`, value: cli.median, unit: 'ms' });
  if (fs.existsSync(EXPECTED_DUMP)) {
    const same = cli.status === 0 && cli.out === fs.readFileSync(EXPECTED_DUMP, 'utf8');
    report.note(`qapi-gen dump output ${same ? 'equals' : 'DIFFERS from'} expected/qapi-schema.out (exit ${cli.status})`);
  }
};
