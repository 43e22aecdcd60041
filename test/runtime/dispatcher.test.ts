import { Dispatcher, checkRequestMembers } from '../../runtime/dispatch/dispatcher';
import { encodeJson } from '../../runtime/json/encode';
import { parseJson } from '../../runtime/json/parse';
import { qdictOrder } from '../../runtime/json/qdict-order';
import type { JsonObject } from '../../runtime/json/value';
import { handlers, table } from './table';

function dispatcher(disabled: string[] = [], onHandlerError?: (c: string, e: unknown) => void) {
  return new Dispatcher({
    table,
    handlers,
    isEnabled: (name) => !disabled.includes(name),
    context: (request) => ({ request }),
    onHandlerError,
  });
}

async function answer(text: string, disabled: string[] = []): Promise<string | null> {
  const r = await dispatcher(disabled).dispatch(parseJson(text));
  return r.response === null ? null : encodeJson(r.response);
}

// QDict order puts "id" before "error" (byte-identical to qemu-ga 7.2's output)
const gen = (desc: string, id?: string) =>
  `{${id === undefined ? '' : `"id": ${id}, `}"error": {"class": "GenericError", "desc": "${desc}"}}`;

describe('Dispatcher: checks in QEMU order', () => {
  it('refuses what is not an object, without id', async () => {
    for (const t of ['[]', '1', '"x"', 'null', 'true', '[{"execute":"guest-ping","id":1}]']) {
      expect(await answer(t)).toBe(gen('QMP input must be a JSON object'));
    }
  });

  it('checks members: execute a string, arguments an object, nothing else, execute present', async () => {
    expect(await answer('{"execute":1,"id":7}')).toBe(gen("QMP input member 'execute' must be a string", '7'));
    expect(await answer('{"execute":"guest-ping","arguments":[],"id":7}')).toBe(
      gen("QMP input member 'arguments' must be an object", '7'),
    );
    expect(await answer('{"execute":"guest-ping","exec-oob":"x"}')).toBe(gen("QMP input member 'exec-oob' is unexpected"));
    expect(await answer('{"arguments":{},"id":"a"}')).toBe(gen("QMP input lacks member 'execute'", '"a"'));
    expect(await answer('{}')).toBe(gen("QMP input lacks member 'execute'"));
  });

  it('reports the first bad member in QDict order, not text order', () => {
    const req = parseJson('{"bogus":1,"execute":2}') as JsonObject;
    const first = qdictOrder(['bogus', 'execute'])[0];
    expect(checkRequestMembers(req)).toBe(
      first === 'bogus' ? "QMP input member 'bogus' is unexpected" : "QMP input member 'execute' must be a string",
    );
    // as measured on qemu-ga 7.2: execute (bad) wins over arguments (bad) and foo
    expect(checkRequestMembers(parseJson('{"execute":1,"arguments":2,"foo":3}') as JsonObject)).toBe(
      "QMP input member 'execute' must be a string",
    );
  });

  it('then unknown commands, then disabled ones (before arguments are looked at)', async () => {
    expect(await answer('{"execute":"guest-nope","id":1}')).toBe(
      '{"id": 1, "error": {"class": "CommandNotFound", "desc": "The command guest-nope has not been found"}}',
    );
    expect(await answer('{"execute":"guest-sync","arguments":{"bad":1},"id":1}', ['guest-sync'])).toBe(
      '{"id": 1, "error": {"class": "CommandNotFound", "desc": "Command guest-sync has been disabled: the command is not allowed"}}',
    );
  });

  it('then the marshaller: its QmpError becomes the response', async () => {
    expect(await answer('{"execute":"guest-sync"}')).toBe(gen("Parameter 'id' is missing"));
    expect(await answer('{"execute":"guest-sync","arguments":{"id":1.0}}')).toBe(
      gen("Invalid parameter type for 'id', expected: integer"),
    );
  });

  it('echoes an id of every JSON type in success and error responses', async () => {
    for (const id of ['1', '-1', '18446744073709551615', '1.5', '"s"', 'null', 'true', 'false', '[1, {}]', '{"a": [null]}']) {
      const ok = await answer(`{"execute":"guest-sync","arguments":{"id":5},"id":${id}}`);
      expect(parseJson(ok!)).toEqual(parseJson(`{"return": 5, "id": ${id}}`));
      const bad = await answer(`{"execute":"guest-nope","id":${id}}`);
      expect((parseJson(bad!) as JsonObject)['id']).toEqual(parseJson(id));
    }
  });

  it('answers {} for commands without returns and nothing for success-response false', async () => {
    expect(await answer('{"execute":"guest-ping"}')).toBe('{"return": {}}');
    expect(await answer('{"execute":"guest-shutdown","id":3}')).toBeNull();
  });

  it('answers {} when a marshaller resolves to nothing', async () => {
    const d = new Dispatcher({
      table: [{ ...table[0]!, call: async () => undefined as never }],
      handlers,
      context: (request) => ({ request }),
    });
    expect(encodeJson((await d.dispatch(parseJson('{"execute":"guest-ping","id":1}'))).response!)).toBe('{"return": {}, "id": 1}');
  });

  it('turns a handler exception into GenericError with its message and reports it', async () => {
    const seen: unknown[] = [];
    const d = dispatcher([], (c, e) => seen.push([c, (e as Error).message]));
    const r = await d.dispatch(parseJson('{"execute":"guest-crash","id":2}'));
    expect(encodeJson(r.response!)).toBe(gen('boom: cannot read x of undefined', '2'));
    expect(seen).toEqual([['guest-crash', 'boom: cannot read x of undefined']]);
    // and the dispatcher keeps working
    expect(encodeJson((await d.dispatch(parseJson('{"execute":"guest-ping"}'))).response!)).toBe('{"return": {}}');
  });

  it('lets a handler ask for a delimited (0xFF-prefixed) response through its context', async () => {
    const d = dispatcher();
    expect((await d.dispatch(parseJson('{"execute":"guest-sync-delimited","arguments":{"id":9}}'))).delimited).toBe(true);
    expect((await d.dispatch(parseJson('{"execute":"guest-sync","arguments":{"id":9}}'))).delimited).toBe(false);
    // a failed guest-sync-delimited is not delimited
    expect((await d.dispatch(parseJson('{"execute":"guest-sync-delimited"}'))).delimited).toBe(false);
  });
});
