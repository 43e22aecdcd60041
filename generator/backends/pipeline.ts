/** Schema file -> model -> IR -> files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, type GeneratorConfig } from '../config';
import { lower } from '../ir/lower';
import type { Ir } from '../ir/types';
import type { Schema } from '../schema/model';
import { runBackends, type BackendName, type OutputFile } from './index';

export interface GenerateOptions {
  readonly config?: GeneratorConfig;
  /** Extra defined symbols. */
  readonly defines?: readonly string[];
  readonly prefix?: string;
  /** Backends to run (all by default). */
  readonly backends?: readonly BackendName[];
}

let version: string | undefined;

/** The generator's version, from package.json. */
export function generatorVersion(): string {
  if (version === undefined) {
    for (const up of ['../..', '../../..']) {
      const file = path.resolve(__dirname, up, 'package.json');
      if (fs.existsSync(file)) {
        version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
        break;
      }
    }
  }
  return version ?? '0.0.0';
}

/** Lower a loaded schema. */
export function toIr(schema: Schema, options: GenerateOptions = {}): Ir {
  return lower(schema, {
    config: options.config ?? DEFAULT_CONFIG,
    defines: options.defines,
    prefix: options.prefix,
    schemaName: path.basename(schema.file),
    generatorVersion: generatorVersion(),
  });
}

/** Every output file for a loaded schema. */
export function generateFromSchema(schema: Schema, options: GenerateOptions = {}): OutputFile[] {
  return runBackends(toIr(schema, options), options.backends);
}

/** Load `schemaFile` with the front end and generate. Throws QAPIError for schema errors. */
export function generateFromFile(
  schemaFile: string,
  options: GenerateOptions & { readonly warn?: (message: string) => void } = {},
): OutputFile[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSchema } = require('../frontend') as typeof import('../frontend');
  return generateFromSchema(loadSchema(schemaFile, { warn: options.warn }), options);
}
