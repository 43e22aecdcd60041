/** The body of `qapi-gen generate`, loaded only when that command runs. */
import { mkdirSync } from 'node:fs';
import { DEFAULT_CONFIG, loadConfig } from '../config';
import { generateEach } from '../backends/pipeline';
import { removeStale, syncFiles } from '../backends/write';
import { QAPIError } from '../errors';
import { writeStderr } from '../stdio';

export interface RunOptions {
  readonly schema: string;
  readonly output: string;
  readonly prefix?: string;
  readonly defines: readonly string[];
  readonly config?: string;
  readonly check: boolean;
}

/** Generate (or check) and return the exit status. Messages go to stderr. */
export function runGenerate(o: RunOptions): number {
  const changed: string[] = [];
  const wanted = new Set<string>();
  try {
    const config = o.config ? loadConfig(o.config) : DEFAULT_CONFIG;
    let first = true;
    generateEach(
      o.schema,
      { config, defines: o.defines, prefix: o.prefix, warn: (m) => writeStderr(m + '\n') },
      (files) => {
        // Files are written as each backend finishes (see generateEach);
        // the directory is made only once the schema has proved valid.
        if (first && !o.check) mkdirSync(o.output, { recursive: true });
        first = false;
        for (const f of files) wanted.add(f.path);
        changed.push(...syncFiles(o.output, files, o.check));
      },
    );
  } catch (err) {
    if (err instanceof QAPIError) {
      writeStderr(err.format());
      return 1;
    }
    throw err;
  }
  const extra = removeStale(o.output, wanted, o.check);
  if (o.check) {
    const stale = [...changed, ...extra];
    if (stale.length > 0) {
      writeStderr(
        `qapi-gen: ${o.output} is stale; run the generator again. Stale files:\n` + stale.map((f) => `  ${f}\n`).join(''),
      );
      return 1;
    }
  }
  return 0;
}

/**
 * The `generate` command line without yargs (start-up matters: the whole
 * process is benchmarked). Understands exactly the options the yargs command
 * declares; returns null for anything else (help, unknown options, missing
 * values), so that the caller falls back to yargs and its messages.
 */
export function parseGenerateArgv(argv: readonly string[]): RunOptions | null {
  const valueOptions: Record<string, 'output' | 'prefix' | 'define' | 'config'> = {
    '-o': 'output',
    '--output': 'output',
    '-p': 'prefix',
    '--prefix': 'prefix',
    '-D': 'define',
    '--define': 'define',
    '-c': 'config',
    '--config': 'config',
  };
  let schema: string | undefined;
  let output: string | undefined;
  let prefix: string | undefined;
  let config: string | undefined;
  let check = false;
  const defines: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') {
      check = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const option = valueOptions[flag];
    if (option) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('-'))) return null;
      if (option === 'define') defines.push(value);
      else if (option === 'output') {
        if (output !== undefined) return null;
        output = value;
      } else if (option === 'prefix') {
        if (prefix !== undefined) return null;
        prefix = value;
      } else {
        if (config !== undefined) return null;
        config = value;
      }
      continue;
    }
    if (arg.startsWith('-') || schema !== undefined) return null;
    schema = arg;
  }
  if (schema === undefined || output === undefined) return null;
  return { schema, output, prefix, defines, config, check };
}

/** Run `generate` from its arguments; null when they need yargs (see parseGenerateArgv). */
export function mainGenerate(argv: readonly string[]): number | null {
  const options = parseGenerateArgv(argv);
  if (!options) return null;
  try {
    return runGenerate(options);
  } catch (err) {
    writeStderr(`qapi-gen: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
