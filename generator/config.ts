/**
 * Generator configuration: `qapi-ts.config.json5`.
 *
 * ```json5
 * {
 *   // symbols `if` conditions are evaluated against
 *   defines: ['CONFIG_LINUX', 'CONFIG_POSIX'],
 *   // file name prefix
 *   prefix: '',
 *   integers: {
 *     // a built-in 64-bit integer type everywhere: int, int64, uint64, size
 *     types: { size: 'number' },
 *     // one member: 'Owner.member', Owner being a type name or a command/event
 *     // name for its arguments
 *     members: { 'GuestFileRead.count': 'number' },
 *   },
 * }
 * ```
 */
import { readFileSync } from 'node:fs';

export type IntRepr = 'bigint' | 'number';

export interface GeneratorConfig {
  readonly defines: readonly string[];
  readonly prefix: string;
  readonly integers: {
    readonly types: Readonly<Record<string, IntRepr>>;
    readonly members: Readonly<Record<string, IntRepr>>;
  };
}

export const DEFAULT_CONFIG: GeneratorConfig = {
  defines: [],
  prefix: '',
  integers: { types: {}, members: {} },
};

const WIDE_INTS = new Set(['int', 'int64', 'uint64', 'size']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function reprMap(v: unknown, where: string, checkKey: (k: string) => string | null): Record<string, IntRepr> {
  if (v === undefined) return {};
  if (!isRecord(v)) throw new Error(`${where} must be an object`);
  const out: Record<string, IntRepr> = {};
  for (const [k, r] of Object.entries(v)) {
    if (r !== 'bigint' && r !== 'number') {
      throw new Error(`${where}.${k} must be 'bigint' or 'number'`);
    }
    const bad = checkKey(k);
    if (bad) throw new Error(`${where}: ${bad}`);
    out[k] = r;
  }
  return out;
}

/** Check and normalise a parsed configuration object. `file` is for messages. */
export function parseConfig(raw: unknown, file: string): GeneratorConfig {
  if (!isRecord(raw)) throw new Error(`${file}: the configuration must be an object`);
  const known = new Set(['defines', 'prefix', 'integers']);
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) throw new Error(`${file}: unknown key '${k}' (known: ${[...known].join(', ')})`);
  }
  const defines = raw.defines ?? [];
  if (!Array.isArray(defines) || !defines.every((d): d is string => typeof d === 'string')) {
    throw new Error(`${file}: 'defines' must be an array of strings`);
  }
  const prefix = raw.prefix ?? '';
  if (typeof prefix !== 'string') throw new Error(`${file}: 'prefix' must be a string`);
  const ints = raw.integers ?? {};
  if (!isRecord(ints)) throw new Error(`${file}: 'integers' must be an object`);
  return {
    defines,
    prefix,
    integers: {
      types: reprMap(ints.types, `${file}: integers.types`, (k) =>
        WIDE_INTS.has(k) ? null : `'${k}' is not a 64-bit integer type (int, int64, uint64, size)`,
      ),
      members: reprMap(ints.members, `${file}: integers.members`, (k) =>
        /^[^.]+\.[^.]+$/.test(k) ? null : `'${k}' must be 'Owner.member'`,
      ),
    },
  };
}

/** Read a json5 configuration file. */
export function loadConfig(file: string): GeneratorConfig {
  // json5 is only needed when a configuration file is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const JSON5 = require('json5') as { parse(text: string): unknown };
  return parseConfig(JSON5.parse(readFileSync(file, 'utf8')), file);
}
