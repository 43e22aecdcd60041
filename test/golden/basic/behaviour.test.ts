/**
 * Behaviour of the committed golden output for test/golden/basic: real JSON
 * text through the generated marshallers (decode -> handler -> encode), with
 * QEMU's error messages and exact 64-bit integers, and the client stubs over
 * a loopback transport.
 */
import { encodeJson, parseJson, QmpError, type JsonObject, type JsonValue, marshal } from 'qapi-ts/runtime';
import { expectJson, genericErrorOf, runCommand } from '../../helpers/golden';
import { Client, commandNames, commandTable, type Handlers } from './expected/index.gen';
import type * as T from './expected/types.gen';

interface Ctx {
  readonly calls: string[];
}

const BIG_TIME = 1763800000123456789n; // > 2^53, like guest-get-time
const U64_MAX = 18446744073709551615n;

const handlers: Handlers<Ctx> = {
  qmp_move: (args, ctx) => {
    ctx.calls.push(`move ${args.shape.kind}`);
    const to = args.to;
    if (to !== null && typeof to === 'object') return { x: to.x, y: to.y, label: to.label ?? 'moved' };
    return { x: typeof to === 'number' ? BigInt(to) : 0n, y: 0n };
  },
  qmp_get_limits: (args) => args.limits,
  qmp_ping: (_args, ctx) => {
    ctx.calls.push('ping');
  },
  qmp_get_time: () => BIG_TIME,
  qmp_list_points: async (args) => {
    const n = args.max ?? 2;
    return Array.from({ length: n }, (_, i) => ({ x: BigInt(i) - 9223372036854775808n, y: U64_MAX - BigInt(i) }));
  },
  qmp_draw: (shape, ctx) => {
    // Boxed: the handler receives the union itself.
    ctx.calls.push(shape.kind === 'circle' ? `circle r=${shape.radius}` : `draw ${shape.kind}`);
  },
  qmp_halt: (args, ctx) => {
    ctx.calls.push(`halt ${args.force ?? false}`);
  },
};

// The compiler proves every command has exactly one handler:
// @ts-expect-error -- a missing handler is a type error
const incomplete: Handlers<Ctx> = { qmp_ping: () => undefined };
void incomplete;

const table = commandTable<Ctx>();

/** Run a command from JSON argument text; the result as JSON text. */
const run = (name: string, argsText = '{}', ctx: Ctx = { calls: [] }) => runCommand(table, handlers, name, argsText, ctx);
const error = (name: string, argsText: string) => genericErrorOf(run(name, argsText));

const circle = '{"kind": "circle", "id": 7, "center": {"x": 1, "y": 2}, "radius": 3}';

describe('golden basic: dispatch table', () => {
  it('lists enabled generated commands only, with their flags', () => {
    expect([...commandNames]).toEqual(['move', 'get-limits', 'ping', 'get-time', 'list-points', 'draw', 'halt']);
    expect(table.map((e) => e.handler)).toEqual(commandNames.map((n) => 'qmp_' + n.replace(/-/g, '_')));
    const byName = new Map(table.map((e) => [e.name, e]));
    expect(byName.get('halt')?.successResponse).toBe(false);
    expect(byName.get('get-time')?.allowOob).toBe(true);
    expect(byName.get('draw')?.features).toEqual(['deprecated']);
    expect(byName.has('win-only-command')).toBe(false);
  });

  it('round-trips values above 2^53 exactly', async () => {
    expectJson(await run('get-time'), '1763800000123456789');
    expectJson(await run('move', `{"shape": ${circle}, "to": {"x": 9007199254740993, "y": 18446744073709551615}}`), 
      '{"x": 9007199254740993, "y": 18446744073709551615, "label": "moved"}',
    );
    expectJson(await run('list-points', '{"max": 2}'), 
      '[{"x": -9223372036854775808, "y": 18446744073709551615}, {"x": -9223372036854775807, "y": 18446744073709551614}]',
    );
  });

  it('decodes unions, alternates, enums and optional members', async () => {
    const ctx: Ctx = { calls: [] };
    expectJson(await run('move', `{"shape": ${circle}, "to": "read", "mode": "append"}`, ctx), '{"x": 0, "y": 0}');
    expectJson(await run('move', `{"shape": {"kind": "empty", "id": 1}, "to": -5}`, ctx), '{"x": -5, "y": 0}');
    expectJson(await run('move', `{"shape": {"kind": "polygon", "id": 1, "points": []}, "to": null}`, ctx), 
      '{"x": 0, "y": 0}',
    );
    expect(ctx.calls).toEqual(['move circle', 'move empty', 'move polygon']);
  });

  it('passes narrow integers, sizes and numbers through with QEMU semantics', async () => {
    const limits =
      '{"i8": -128, "u8": 255, "i32": 2147483647, "u32": 4294967295, "sz": 18446744073709551615, "ratio": 2, "flags": [true, false], "opaque": {"a": [1, 2.5, null]}}';
    expectJson(await run('get-limits', `{"limits": ${limits}}`), limits);
    // uint64/size accept negative integers for compatibility: they wrap.
    const wrapped = await run('get-limits', '{"limits": {"i8": 0, "u8": 0, "i32": 0, "u32": 0, "sz": -1, "ratio": 0.5}}');
    expect(wrapped).toContain('"sz": 18446744073709551615');
  });

  it('runs boxed and argument-less commands; success-response false still runs', async () => {
    const ctx: Ctx = { calls: [] };
    expectJson(await run('draw', circle, ctx), '{}');
    expectJson(await run('ping', '{}', ctx), '{}');
    expectJson(await run('halt', '{"force": true}', ctx), '{}');
    expect(ctx.calls).toEqual(['circle r=3', 'ping', 'halt true']);
  });
});

describe('golden basic: QEMU error messages', () => {
  it.each([
    ['move', '{}', "Parameter 'shape' is missing"],
    ['move', '{"bogus": 1}', "Parameter 'shape' is missing"],
    ['move', `{"shape": ${circle}, "to": null, "bogus": 1}`, "Parameter 'bogus' is unexpected"],
    ['move', '{"shape": [], "to": null}', "Invalid parameter type for 'shape', expected: object"],
    ['move', '{"shape": {"kind": "square", "id": 1}, "to": null}', "Parameter 'kind' does not accept value 'square'"],
    ['move', '{"shape": {"kind": 1, "id": 1}, "to": null}', "Invalid parameter type for 'shape.kind', expected: string"],
    ['move', '{"shape": {"kind": "circle", "id": 1, "center": {"x": 1, "y": 2}}, "to": null}', "Parameter 'shape.radius' is missing"],
    [
      'move',
      '{"shape": {"kind": "circle", "id": 1, "center": {"x": 1, "y": 2}, "radius": 1, "foo": 1}, "to": null}',
      "Parameter 'shape.foo' is unexpected",
    ],
    [
      'move',
      '{"shape": {"kind": "polygon", "id": 1, "points": [{"x": 1, "y": 2}, {"x": "a", "y": 2}]}, "to": null}',
      "Invalid parameter type for 'shape.points[1].x', expected: integer",
    ],
    [
      'move',
      '{"shape": {"kind": "polygon", "id": 1, "points": [{"x": 1, "y": 2, "z": 3}]}, "to": null}',
      "Parameter 'shape.points[0].z' is unexpected",
    ],
    ['move', '{"shape": {"kind": "polygon", "id": 1, "points": {}}, "to": null}', "Invalid parameter type for 'shape.points', expected: array"],
    ['move', `{"shape": ${circle}}`, "Parameter 'to' is missing"],
    ['move', `{"shape": ${circle}, "to": true}`, "Invalid parameter type for 'to', expected: Target"],
    ['move', `{"shape": ${circle}, "to": [1]}`, "Invalid parameter type for 'to', expected: Target"],
    ['move', `{"shape": ${circle}, "to": 40000}`, "Parameter 'to' expects int16_t"],
    ['move', `{"shape": ${circle}, "to": 1.5}`, "Invalid parameter type for 'to', expected: integer"],
    ['move', `{"shape": ${circle}, "to": "sideways"}`, "Parameter 'to' does not accept value 'sideways'"],
    ['move', `{"shape": ${circle}, "to": "win-only"}`, "Parameter 'to' does not accept value 'win-only'"],
    ['move', `{"shape": ${circle}, "to": {"x": 9223372036854775808, "y": 1}}`, "Invalid parameter type for 'to.x', expected: integer"],
    ['move', `{"shape": ${circle}, "to": {"x": 1, "y": 18446744073709551616}}`, "Parameter 'to.y' expects uint64"],
    ['move', `{"shape": ${circle}, "to": {"x": 1, "y": "1"}}`, "Parameter 'to.y' expects uint64"],
    ['move', `{"shape": ${circle}, "to": {"x": 1}}`, "Parameter 'to.y' is missing"],
    ['move', `{"shape": ${circle}, "to": null, "mode": "sideways"}`, "Parameter 'mode' does not accept value 'sideways'"],
    ['ping', '{"a": 1}', "Parameter 'a' is unexpected"],
    ['list-points', '{"max": 256}', "Parameter 'max' expects uint8_t"],
    ['list-points', '{"max": -1}', "Parameter 'max' expects uint8_t"],
    ['list-points', '{"max": "1"}', "Parameter 'max' expects uint64"],
    ['draw', '{"kind": "circle", "id": 1}', "Parameter 'center' is missing"],
    ['halt', '{"force": 1}', "Invalid parameter type for 'force', expected: boolean"],
  ])('%s %s', async (name, args, message) => {
    expect(await error(name, args)).toBe(message);
  });

  it('reports narrow integer ranges with the bare member name, as QEMU does', async () => {
    const base = { i8: '0', u8: '0', i32: '0', u32: '0', sz: '0', ratio: '0' };
    const limits = (over: Partial<typeof base> & { flags?: string }) =>
      `{"limits": {${Object.entries({ ...base, ...over })
        .map(([k, v]) => `"${k}": ${v}`)
        .join(', ')}}}`;
    expect(await error('get-limits', limits({ i8: '128' }))).toBe("Parameter 'i8' expects int8_t");
    expect(await error('get-limits', limits({ u32: '4294967296' }))).toBe("Parameter 'u32' expects uint32_t");
    expect(await error('get-limits', limits({ i32: '1.0' }))).toBe("Invalid parameter type for 'limits.i32', expected: integer");
    expect(await error('get-limits', limits({ sz: '1.5' }))).toBe("Parameter 'limits.sz' expects uint64");
    expect(await error('get-limits', limits({ ratio: '"x"' }))).toBe("Invalid parameter type for 'limits.ratio', expected: number");
    expect(await error('get-limits', limits({ flags: '[true, 1]' }))).toBe(
      "Invalid parameter type for 'limits.flags[1]', expected: boolean",
    );
    expect(await error('get-limits', '{"limits": {"i8": 0}}')).toBe("Parameter 'limits.u8' is missing");
  });
});

describe('golden basic: client stubs', () => {
  /** A loopback transport: real JSON text both ways through the command table. */
  function loopback(ctx: Ctx): marshal.Transport & { sent: string[] } {
    const sent: string[] = [];
    return {
      sent,
      async execute(command: string, args: JsonObject | undefined, options?: marshal.ExecuteOptions): Promise<JsonValue> {
        const request: JsonObject = { execute: command };
        if (args !== undefined) request.arguments = args;
        const text = encodeJson(request);
        sent.push(text);
        const parsed = parseJson(text) as JsonObject;
        const entry = table.find((e) => e.name === parsed.execute);
        if (!entry) throw new QmpError('CommandNotFound', `The command ${command} has not been found`);
        const result = await entry.call(handlers, (parsed.arguments ?? {}) as JsonObject, ctx);
        expect(options?.successResponse ?? true).toBe(entry.successResponse);
        return parseJson(encodeJson(result));
      },
    };
  }

  it('encodes arguments and decodes results with exact integers', async () => {
    const ctx: Ctx = { calls: [] };
    const transport = loopback(ctx);
    const client = new Client(transport);
    const time: bigint = await client.getTime();
    expect(time).toBe(BIG_TIME);
    const shape: T.AnyShape = { kind: 'circle', id: 1n, center: { x: 1n, y: 2n }, radius: 3 };
    const p: T.Point = await client.move({ shape, to: { x: 2n ** 62n, y: U64_MAX } });
    expect(p).toEqual({ x: 2n ** 62n, y: U64_MAX, label: 'moved' });
    expect(await client.listPoints({ max: 1 })).toEqual([{ x: -9223372036854775808n, y: U64_MAX }]);
    await client.ping();
    await client.draw({ kind: 'empty', id: 5n });
    await client.halt();
    expect(transport.sent.map((t) => parseJson(t))).toEqual([
      parseJson('{"execute": "get-time"}'),
      parseJson('{"execute": "move", "arguments": {"shape": {"kind": "circle", "id": 1, "center": {"x": 1, "y": 2}, "radius": 3}, "to": {"x": 4611686018427387904, "y": 18446744073709551615}}}'),
      parseJson('{"execute": "list-points", "arguments": {"max": 1}}'),
      parseJson('{"execute": "ping"}'),
      parseJson('{"execute": "draw", "arguments": {"kind": "empty", "id": 5}}'),
      parseJson('{"execute": "halt", "arguments": {}}'),
    ]);
    expect(ctx.calls).toEqual(['move circle', 'ping', 'draw empty', 'halt false']);
  });

  it('checks results with the same decoders', async () => {
    const client = new Client({ execute: async () => ({ x: 1n, y: -1.5 }) });
    await expect(client.move({ shape: { kind: 'empty', id: 1n }, to: null })).rejects.toThrow(
      "Parameter 'y' expects uint64",
    );
  });
});
