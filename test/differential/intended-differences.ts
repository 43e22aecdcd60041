/**
 * Every way our agent is meant to answer differently from Debian's
 * qemu-ga 7.2, in one place. Two kinds:
 *
 * - `rewrite`: qemu-ga 7.2's answer is turned into what QEMU 10.0 (which we
 *   follow) answers, or a normalisation both sides get (version strings).
 * - `defect`: qemu-ga's answer shows one of its known defects; the test
 *   checks that it still does (so the entry stays honest) and checks ours
 *   against the answer we promise instead.
 */
import type { JsonObject, JsonValue } from '../../runtime/json/value';
import type { Line } from './harness';

export interface Rewrite {
  readonly kind: 'rewrite';
  readonly id: string;
  readonly why: string;
  /** Applied to the lines of both agents (normalisation) or qemu-ga's only. */
  readonly side: 'both' | 'qemu-ga';
  /** Only for these cases (default: every case). */
  readonly cases?: readonly string[];
  readonly apply: (line: Line) => Line;
}

export interface Defect {
  readonly kind: 'defect';
  readonly id: string;
  readonly why: string;
  readonly cases: readonly string[];
  /** True when qemu-ga's lines (sentinels removed) show the defect. */
  readonly qemuShows: (lines: readonly Line[]) => boolean;
  /** What ours answers instead (sentinels removed), as JSON values, or made from qemu-ga's answer. */
  readonly ours: readonly JsonValue[] | ((qemu: readonly Line[]) => JsonValue[]);
}

export type IntendedDifference = Rewrite | Defect;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function o(entries: Record<string, JsonValue>): JsonObject {
  return Object.assign(Object.create(null) as JsonObject, entries);
}

const err = (desc: string, errorClass = 'GenericError'): JsonObject => o({ error: o({ class: errorClass, desc }) });

function mapValue(line: Line, f: (v: JsonObject) => JsonObject | undefined): Line {
  if (!isObject(line.value)) return line;
  const v = f(line.value);
  return v ? { ...line, value: v } : line;
}

/** Commands QEMU 10.0 has on Linux that 7.2 lacks (enabled unless blocked). */
export const COMMANDS_NEW_IN_10_0 = ['guest-get-load', 'guest-network-get-route'];
/** 7.2 registers these on Linux as disabled stubs; 10.0 builds them only for Windows ('if': 'CONFIG_WIN32'). */
export const COMMANDS_GONE_IN_10_0 = ['guest-get-devices'];
/** qapi-ts extensions (schema/qapi-schema.json), not in QEMU. */
export const OUR_EXTENSIONS = ['guest-get-statvfs'];

export const intendedDifferences: readonly IntendedDifference[] = [
  {
    kind: 'rewrite',
    id: 'disabled-text-10.0',
    why: 'QEMU 10.0 says why a command is disabled: "Command X has been disabled: the command is not allowed"; 7.2 stops after "disabled".',
    side: 'qemu-ga',
    apply: (line) =>
      mapValue(line, (v) => {
        const e = v['error'];
        if (!isObject(e) || typeof e['desc'] !== 'string') return undefined;
        const m = /^Command (\S+) has been disabled$/.exec(e['desc']);
        if (!m) return undefined;
        return o({ ...v, error: o({ ...e, desc: `Command ${m[1]} has been disabled: the command is not allowed` }) });
      }),
  },
  {
    kind: 'rewrite',
    id: 'guest-info-version',
    why: 'guest-info "version" is each agent\'s own version string.',
    side: 'both',
    apply: (line) =>
      mapValue(line, (v) => {
        const r = v['return'];
        if (!isObject(r) || typeof r['version'] !== 'string' || !Array.isArray(r['supported_commands'])) return undefined;
        return o({ ...v, return: o({ ...r, version: '<version>' }) });
      }),
  },
  {
    kind: 'rewrite',
    id: 'guest-info-commands-10.0',
    why: `guest-info lists QEMU 10.0's command set on Linux: ${COMMANDS_NEW_IN_10_0.join(', ')} are new since 7.2, ${COMMANDS_GONE_IN_10_0.join(', ')} is Windows-only in 10.0, and ${OUR_EXTENSIONS.join(', ')} is a qapi-ts extension. The list's order is registration order, which is not part of the contract, so both sides are sorted by name.`,
    side: 'both',
    apply: (line) =>
      mapValue(line, (v) => {
        const r = v['return'];
        if (!isObject(r) || !Array.isArray(r['supported_commands'])) return undefined;
        const list = r['supported_commands'].filter(isObject).filter((c) => !COMMANDS_GONE_IN_10_0.includes(String(c['name'])));
        for (const name of [...COMMANDS_NEW_IN_10_0, ...OUR_EXTENSIONS]) {
          if (!list.some((c) => c['name'] === name)) list.push(o({ name, enabled: true, 'success-response': true }));
        }
        list.sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
        return o({ ...v, return: o({ ...r, supported_commands: list }) });
      }),
  },
  {
    kind: 'rewrite',
    id: 'capture-output-alternate-10.0',
    why: "guest-exec's capture-output is a bool in 7.2 and the alternate GuestExecCaptureOutput (bool or mode enum) in 10.0, so a string that is not a mode is refused by the enum: \"Parameter 'capture-output' does not accept value 'sideways'\".",
    side: 'qemu-ga',
    cases: ['nested: capture-output not an alternate value'],
    apply: (line) =>
      mapValue(line, (v) => {
        const e = v['error'];
        if (!isObject(e) || e['desc'] !== "Invalid parameter type for 'capture-output', expected: boolean") return undefined;
        return o({ ...v, error: o({ ...e, desc: "Parameter 'capture-output' does not accept value 'sideways'" }) });
      }),
  },
  {
    kind: 'defect',
    id: 'no-inf-in-output',
    why: 'qemu-ga echoes the double 1E400 as `inf`, which is not JSON. We write 1e999, a valid JSON number every IEEE parser (strtod too) reads back as infinity.',
    cases: ['id 1E400'],
    qemuShows: (lines) => lines.some((l) => l.value === undefined && l.raw.includes('inf')),
    ours: [o({ return: o({}), id: Infinity })],
  },
  {
    kind: 'defect',
    id: 'overlong-token-recovery',
    why: 'After an over-long string token qemu-ga lexes the rest of the string as JSON and its closing quote opens a new string that swallows the next message. We skip the token to its end: one error, and the next message is answered.',
    cases: ['over-long string token'],
    qemuShows: (lines) => !lines.some((l) => isObject(l.value) && isObject(l.value['return'])),
    ours: [err('JSON token size limit exceeded'), o({ return: o({}) })],
  },
  {
    kind: 'defect',
    id: 'clean-parser-per-connection',
    why: "qemu-ga keeps its parser state across unix-socket connections: half a message from a client that left is completed by the next client's bytes. Each of our connections starts clean.",
    cases: ['half message from the previous connection'],
    qemuShows: (lines) => !lines.some((l) => isObject(l.value) && isObject(l.value['return'])),
    ours: [o({ return: o({}) })],
  },
  {
    kind: 'defect',
    id: 'unpadded-base64',
    why: 'qemu-ga silently drops the bytes of an unpadded last base64 group ("aGVsbG8" writes "hel", 3 bytes). Ours decodes it ("hello", 5 bytes); it never loses bytes silently.',
    cases: ['unpadded base64 is decoded, not truncated'],
    qemuShows: (lines) =>
      lines.some((l) => isObject(l.value) && isObject(l.value['return']) && l.value['return']['buf-b64'] === 'aGVs'),
    ours: (qemu) =>
      qemu.map((l) =>
        mapValue(l, (v) => {
          const r = v['return'];
          if (!isObject(r) || r['count'] !== 3n) return undefined;
          return o({ ...v, return: o({ ...r, count: 5n, ...(r['buf-b64'] === undefined ? {} : { 'buf-b64': 'aGVsbG8=' }) }) });
        }).value!,
      ),
  },
  {
    kind: 'defect',
    id: 'limit-one-error',
    why: 'Past the nesting or token-count limit qemu-ga reports the error and then reads the rest of the message as new input, giving an error for each leftover token. We skip the rest of the offending message: exactly one error, then the next message.',
    cases: ['nesting 1025 is refused', 'too many tokens'],
    qemuShows: (lines) => lines.filter((l) => isObject(l.value) && isObject(l.value['error'])).length > 2,
    ours: [], // filled per case below
  },
];

/** Expected answers for the limit cases (ours). */
export const LIMIT_EXPECTED: Readonly<Record<string, readonly JsonValue[]>> = {
  'nesting 1025 is refused': [err('JSON nesting depth limit exceeded')],
  'too many tokens': [err('JSON token count limit exceeded'), o({ return: o({}) })],
};

export function defectFor(caseName: string): Defect | undefined {
  for (const d of intendedDifferences) {
    if (d.kind === 'defect' && d.cases.includes(caseName)) return d;
  }
  return undefined;
}

export function expectedOurs(d: Defect, caseName: string, qemu: readonly Line[]): readonly JsonValue[] {
  if (d.id === 'limit-one-error') return LIMIT_EXPECTED[caseName]!;
  return typeof d.ours === 'function' ? d.ours(qemu) : d.ours;
}

function applies(d: Rewrite, caseName: string): boolean {
  return d.cases === undefined || d.cases.includes(caseName);
}

/** qemu-ga's line rewritten by every rewrite that applies to it. */
export function rewriteQemu(line: Line, caseName: string): Line {
  return intendedDifferences.reduce((l, d) => (d.kind === 'rewrite' && applies(d, caseName) ? d.apply(l) : l), line);
}

/** Our line with the normalisations both sides get. */
export function normalizeOurs(line: Line, caseName: string): Line {
  return intendedDifferences.reduce(
    (l, d) => (d.kind === 'rewrite' && d.side === 'both' && applies(d, caseName) ? d.apply(l) : l),
    line,
  );
}
