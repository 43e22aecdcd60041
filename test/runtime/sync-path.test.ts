/**
 * The synchronous answer path: a handler that answers synchronously is
 * answered within `feed()` (no promise, no microtask), asynchronous ones keep
 * their place in the order, and failures of either kind become GenericError
 * answers. Also the helpers it rests on (`settle`), canonical object keys in
 * the JSON parser, and strings declared plain to the encoder.
 */
import type { CommandTable } from '../../runtime/dispatch/command';
import { Dispatcher } from '../../runtime/dispatch/dispatcher';
import { encodeJson, plainString } from '../../runtime/json/encode';
import type { JsonObject, JsonValue } from '../../runtime/json/value';
import { settle } from '../../runtime/marshal/output';
import { ProtocolSession } from '../../runtime/session';
import { parseJson } from '../../runtime/json/parse';

interface H {
  now(): JsonValue;
  later(ms: number): Promise<JsonValue>;
  fails(): JsonValue;
  rejects(): Promise<JsonValue>;
}

const handlers: H = {
  now: () => 'now',
  later: (ms) => new Promise((r) => setTimeout(() => r(`later ${ms}`), ms)),
  fails: () => {
    throw new Error('sync failure');
  },
  rejects: () => Promise.reject(new Error('async failure')),
};

function entry(name: string, call: CommandTable<H, null>[number]['call']): CommandTable<H, null>[number] {
  return { name, handler: 'now', successResponse: true, allowOob: false, allowPreconfig: false, features: [], call };
}

const table: CommandTable<H, null> = [
  entry('now', (h) => settle(h.now(), (v) => v)),
  entry('later', (h, a) => settle(h.later(Number(a['ms'] ?? 0n)), (v) => v)),
  entry('fails', (h) => settle(h.fails(), (v) => v)),
  entry('rejects', (h) => settle(h.rejects(), (v) => v)),
];

const dispatcher = new Dispatcher<H, null>({ table, handlers, context: () => null });

function session() {
  const written: string[] = [];
  const s = new ProtocolSession({ dispatch: (r) => dispatcher.dispatch(r), write: (b) => void written.push(b.toString('latin1')) });
  return { s, written };
}

describe('synchronous answers', () => {
  it('settle applies f at once to a value, after settling to a promise', async () => {
    const sync = settle(2, (x) => x * 10);
    expect(sync).toBe(20);
    const later = settle(Promise.resolve(3), (x) => x * 10);
    expect(later).toBeInstanceOf(Promise);
    await expect(later).resolves.toBe(30);
    await expect(settle(Promise.reject(new Error('no')), (x: number) => x)).rejects.toThrow('no');
  });

  it('the dispatcher answers a synchronous handler without a promise, an asynchronous one with one', async () => {
    const now = dispatcher.dispatch(parseJson('{"execute":"now","id":1}'));
    expect(now).not.toBeInstanceOf(Promise);
    expect(encodeJson((now as { response: JsonObject }).response)).toBe('{"return": "now", "id": 1}');
    const fails = dispatcher.dispatch(parseJson('{"execute":"fails"}'));
    expect(fails).not.toBeInstanceOf(Promise);
    expect(encodeJson((fails as { response: JsonObject }).response)).toBe('{"error": {"class": "GenericError", "desc": "sync failure"}}');
    const later = dispatcher.dispatch(parseJson('{"execute":"later","arguments":{"ms":1}}'));
    expect(later).toBeInstanceOf(Promise);
    expect(encodeJson((await later).response!)).toBe('{"return": "later 1"}');
  });

  it('a session writes synchronous answers before feed() returns', () => {
    const { s, written } = session();
    s.feed(Buffer.from('{"execute":"now","id":1}{"execute":"fails","id":2}{"execute":"nope"}'));
    expect(written).toEqual([
      '{"return": "now", "id": 1}\n',
      '{"id": 2, "error": {"class": "GenericError", "desc": "sync failure"}}\n',
      '{"error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}\n',
    ]);
  });

  it('mixed synchronous and asynchronous handlers keep request order', async () => {
    const { s, written } = session();
    s.feed(Buffer.from('{"execute":"later","arguments":{"ms":20},"id":1}{"execute":"now","id":2}{"execute":"rejects","id":3}{"execute":"now","id":4}'));
    expect(written).toEqual([]); // the first answer is pending, so the rest wait
    await s.idle();
    expect(written).toEqual([
      '{"return": "later 20", "id": 1}\n',
      '{"return": "now", "id": 2}\n',
      '{"id": 3, "error": {"class": "GenericError", "desc": "async failure"}}\n',
      '{"return": "now", "id": 4}\n',
    ]);
  });
});

describe('canonical object keys', () => {
  it('keys seen often and keys never seen before parse alike; duplicates are still refused', () => {
    for (let i = 0; i < 3; i++) expect(parseJson('{"execute":"x","arguments":{"path":"/p"}}')).toEqual({ execute: 'x', arguments: { path: '/p' } });
    // More distinct keys than the cache keeps: correct all the same.
    const many = Array.from({ length: 6000 }, (_, i) => `"k${i}":${i}`).join(',');
    const parsed = parseJson(`{${many}}`) as JsonObject;
    expect(Object.keys(parsed)).toHaveLength(6000);
    expect(parsed['k5999']).toBe(5999n);
    expect(() => parseJson('{"execute":1,"execute":2}')).toThrow(/duplicate key/);
    expect(() => parseJson('{"k5999":1,"k5999":2}')).toThrow(/duplicate key/);
    const proto = parseJson('{"__proto__":1,"constructor":2}') as JsonObject;
    expect(Object.keys(proto)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(proto)).toBeNull();
  });
});

describe('strings declared plain', () => {
  it('are copied without a scan once, then forgotten', () => {
    // A declared string is trusted as is: shown here with one that breaks the
    // contract (a quote), which the encoder copies unescaped exactly once.
    const s = 'A'.repeat(70 * 1024) + '"';
    expect(plainString(s)).toBe(s);
    expect(encodeJson(s)).toBe(`"${s}"`);
    expect(encodeJson(s)).toBe(`"${'A'.repeat(70 * 1024)}\\""`);
  });

  it('encode base64 text exactly like undeclared text', () => {
    const b64 = Buffer.alloc(100 * 1024, 0xa5).toString('base64');
    const plain = encodeJson({ 'buf-b64': b64 });
    expect(encodeJson({ 'buf-b64': plainString(b64) })).toBe(plain);
    expect(plain).toBe(`{"buf-b64": "${b64}"}`);
  });
});
