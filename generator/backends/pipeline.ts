/** Schema file -> model -> IR -> files. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DEFAULT_CONFIG, type GeneratorConfig } from '../config';
import { lower } from '../ir/lower';
import type { Ir } from '../ir/types';
import type { Schema } from '../schema/model';
import { BACKENDS, type BackendName, type OutputFile } from './index';
import { writeStderr } from '../stdio';

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
      const file = resolve(__dirname, up, 'package.json');
      if (existsSync(file)) {
        version = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
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
    schemaName: basename(schema.file),
    generatorVersion: generatorVersion(),
  });
}

/** Phase timer: with QAPI_GEN_TIMING set, each phase's wall time goes to stderr. */
function timer(): (phase: string) => void {
  if (!process.env.QAPI_GEN_TIMING) return () => undefined;
  let last = performance.now();
  writeStderr(`qapi-gen timing: start-up and module loading ${last.toFixed(1)} ms\n`);
  return (phase) => {
    const now = performance.now();
    writeStderr(`qapi-gen timing: ${phase} ${(now - last).toFixed(1)} ms\n`);
    last = now;
  };
}

export interface FileGenerateOptions extends GenerateOptions {
  readonly warn?: (message: string) => void;
}

/**
 * Load `schemaFile` with the front end and run the backends, handing each
 * backend's files to `emit` as soon as they exist, so a caller can write
 * them and let them go (a few megabytes for QEMU's QMP schema that would
 * otherwise outlive the run). Throws QAPIError for schema errors, before
 * anything is emitted.
 */
export function generateEach(schemaFile: string, options: FileGenerateOptions, emit: (files: OutputFile[]) => void): void {
  const lap = timer();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSchema } = require('../frontend') as typeof import('../frontend');
  lap('load front end');
  const schema = loadSchema(schemaFile, { warn: options.warn });
  lap('front end');
  const ir = toIr(schema, options);
  lap('ir');
  for (const name of options.backends ?? (Object.keys(BACKENDS) as BackendName[])) {
    emit(BACKENDS[name](ir));
    lap(`backend ${name}`);
  }
}

/** Load `schemaFile` with the front end and generate. Throws QAPIError for schema errors. */
export function generateFromFile(schemaFile: string, options: FileGenerateOptions = {}): OutputFile[] {
  const files: OutputFile[] = [];
  generateEach(schemaFile, options, (some) => files.push(...some));
  return files;
}
