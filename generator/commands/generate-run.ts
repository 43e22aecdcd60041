/** The body of `qapi-gen generate`, loaded only when that command runs. */
import * as fs from 'node:fs';
import { DEFAULT_CONFIG, loadConfig } from '../config';
import { generateFromFile } from '../backends/pipeline';
import { syncOutput } from '../backends/write';
import { QAPIError } from '../errors';

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
  let files;
  try {
    const config = o.config ? loadConfig(o.config) : DEFAULT_CONFIG;
    files = generateFromFile(o.schema, {
      config,
      defines: o.defines,
      prefix: o.prefix,
      warn: (m) => process.stderr.write(m + '\n'),
    });
  } catch (err) {
    if (err instanceof QAPIError) {
      process.stderr.write(err.format());
      return 1;
    }
    throw err;
  }
  if (!o.check) fs.mkdirSync(o.output, { recursive: true });
  const result = syncOutput(o.output, files, o.check);
  if (o.check) {
    const stale = [...result.changed, ...result.extra];
    if (stale.length > 0) {
      process.stderr.write(
        `qapi-gen: ${o.output} is stale; run the generator again. Stale files:\n` + stale.map((f) => `  ${f}\n`).join(''),
      );
      return 1;
    }
  }
  return 0;
}
