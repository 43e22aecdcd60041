#!/usr/bin/env node
'use strict';
/**
 * Benchmark orchestrator: `npm run bench` (= `node bench/run.js`).
 *
 * Runs every `bench/*.bench.js` and `bench/*.bench.ts` module in turn (sorted
 * by file name) and prints one table of results.
 *
 * Contract for a benchmark module:
 *
 *   exports.description = 'what it measures';          // optional
 *   exports.run = async function run(report) {
 *     report({ metric: 'QMP schema, parse+check (median)', value: 42.1, unit: 'ms',
 *              target: '< 150 ms', ok: 42.1 < 150 });
 *     report.note('free text shown under the table');
 *     report.skip('why a comparison could not run');      // also a note
 *   };
 *
 * - `metric` (string) and `value` (number) are required; `unit` is a short
 *   string ('ms', 'x', 'req/s', ...). `target` is the goal as text and `ok`
 *   whether it is met (omit both when there is no goal).
 * - Benchmarks measure compiled code: import from `dist/` (built by `npm run
 *   build`) or spawn `bin/*` as processes. A `.bench.ts` file is transpiled
 *   on the fly with the project's TypeScript (no type check), so it too must
 *   import compiled code from `dist/`, not sources.
 * - Keep each module bounded (tens of seconds at most on 2 cores): warm up,
 *   then take the median of repeated runs. `BENCH_QUICK=1` asks modules to
 *   use fewer repetitions.
 * - A module that throws is reported as FAILED and the others still run.
 *
 * Usage: node bench/run.js [--json] [--strict] [NAME-FILTER...]
 *   NAME-FILTER   run only modules whose name (file name without
 *                 `.bench.js`/`.bench.ts`) contains one of the filters
 *   --json        also print all results as JSON on the last line
 *   --strict      exit 1 when a target is missed (default: only a module
 *                 failure makes the exit status 1); env BENCH_STRICT=1 too
 */
const fs = require('node:fs');
const path = require('node:path');

const BENCH_DIR = __dirname;

function registerTypeScript() {
  if (require.extensions['.ts']) return;
  let ts;
  try {
    ts = require('typescript');
  } catch {
    return; // .bench.ts modules then fail with a clear error below
  }
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: filename,
    });
    module._compile(outputText, filename);
  };
}

function findModules(filters) {
  return fs
    .readdirSync(BENCH_DIR)
    .filter((f) => /\.bench\.(js|ts)$/.test(f))
    .sort()
    .map((f) => ({ file: path.join(BENCH_DIR, f), name: f.replace(/\.bench\.(js|ts)$/, '') }))
    .filter((m) => filters.length === 0 || filters.some((flt) => m.name.includes(flt)));
}

function formatValue(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ' ' + unit : ''}`;
}

function printTable(rows) {
  const header = ['benchmark', 'metric', 'value', 'target', 'status'];
  const body = rows.map((r) => [
    r.bench,
    r.metric,
    formatValue(r.value, r.unit),
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

async function main(argv) {
  const json = argv.includes('--json');
  const strict = argv.includes('--strict') || process.env.BENCH_STRICT === '1';
  const filters = argv.filter((a) => !a.startsWith('--'));
  registerTypeScript();

  const modules = findModules(filters);
  if (modules.length === 0) {
    console.error(`bench: no benchmark modules${filters.length ? ' match ' + filters.join(', ') : ''} in ${BENCH_DIR}`);
    return 1;
  }

  const rows = [];
  const notes = [];
  const failures = [];
  for (const m of modules) {
    const started = process.hrtime.bigint();
    process.stderr.write(`bench: running ${m.name} ...\n`);
    const report = (row) => {
      if (!row || typeof row.metric !== 'string' || typeof row.value !== 'number') {
        throw new TypeError(`bench ${m.name}: report() needs { metric: string, value: number }`);
      }
      rows.push({ bench: m.name, ...row });
    };
    report.note = (text) => notes.push({ bench: m.name, text: String(text) });
    report.skip = (text) => notes.push({ bench: m.name, text: `skipped: ${text}` });
    try {
      const mod = require(m.file);
      if (typeof mod.run !== 'function') throw new TypeError('module does not export run(report)');
      await mod.run(report);
    } catch (err) {
      failures.push({ bench: m.name, error: err instanceof Error ? err.message : String(err) });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stderr.write(`bench: ${m.name} done in ${seconds.toFixed(1)} s\n`);
  }

  console.log('');
  if (rows.length) printTable(rows);
  if (notes.length) {
    console.log('');
    for (const n of notes) console.log(`[${n.bench}] ${n.text}`);
  }
  for (const f of failures) console.log(`[${f.bench}] FAILED: ${f.error}`);
  const missed = rows.filter((r) => r.ok === false);
  if (json) console.log(JSON.stringify({ rows, notes, failures }));
  if (failures.length) return 1;
  if (strict && missed.length) return 1;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
