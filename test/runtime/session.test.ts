import { Dispatcher } from '../../runtime/dispatch/dispatcher';
import { ProtocolSession, streamSink, type WriteSink } from '../../runtime/session';
import { PassThrough } from 'node:stream';
import { handlers, table } from './table';
import type { DispatchResult } from '../../runtime/dispatch/dispatcher';
import type { JsonValue } from '../../runtime/json/value';

function setup(opts: { write?: WriteSink; maxQueued?: number } = {}) {
  const dispatcher = new Dispatcher({ table, handlers, context: (request) => ({ request }) });
  const written: Buffer[] = [];
  const events: string[] = [];
  const session = new ProtocolSession({
    dispatch: (r) => dispatcher.dispatch(r),
    write: opts.write ?? ((b) => void written.push(b)),
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    maxQueued: opts.maxQueued,
  });
  const text = () => Buffer.concat(written).toString('latin1');
  return { session, written, events, text };
}

describe('ProtocolSession', () => {
  it('answers pipelined requests in request order, even when earlier ones are slower', async () => {
    const { session, text } = setup();
    session.feed(Buffer.from(
      '{"execute":"guest-sleep","arguments":{"ms":30},"id":1}{"execute":"guest-ping","id":2}' +
        '{"execute":"guest-sleep","arguments":{"ms":5},"id":3}\xff{"execute":"guest-sync","arguments":{"id":4}}',
      'latin1',
    ));
    await session.idle();
    expect(text()).toBe(
      '{"return": 30, "id": 1}\n{"return": {}, "id": 2}\n{"return": 5, "id": 3}\n' +
        '{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\uFFFD\'"}}\n{"return": 4}\n',
    );
  });

  it('prefixes only the successful guest-sync-delimited response with 0xFF', async () => {
    const { session, text } = setup();
    session.feed(Buffer.from('\xff{"execute":"guest-sync-delimited","arguments":{"id":77}}{"execute":"guest-sync-delimited"}', 'latin1'));
    await session.idle();
    expect(text()).toBe(
      '{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\uFFFD\'"}}\n' +
        '\xff{"return": 77}\n' +
        '{"error": {"class": "GenericError", "desc": "Parameter \'id\' is missing"}}\n',
    );
  });

  it('writes nothing for success-response false commands', async () => {
    const { session, text } = setup();
    session.feed(Buffer.from('{"execute":"guest-shutdown","id":1}{"execute":"guest-ping","id":2}'));
    await session.idle();
    expect(text()).toBe('{"return": {}, "id": 2}\n');
  });

  it('pauses input while the sink is slow and resumes when it drains; nothing is lost', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const out: Buffer[] = [];
    const { session, events } = setup({
      maxQueued: 4,
      write: async (b) => {
        await gate;
        out.push(b);
      },
    });
    for (let i = 0; i < 10; i++) session.feed(Buffer.from(`{"execute":"guest-sync","arguments":{"id":${i}}}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(session.paused).toBe(true);
    expect(events).toEqual(['pause']);
    expect(out).toHaveLength(0);
    release();
    await session.idle();
    expect(events).toEqual(['pause', 'resume']);
    expect(Buffer.concat(out).toString()).toBe(Array.from({ length: 10 }, (_, i) => `{"return": ${i}}\n`).join(''));
  });

  it('reset() drops a half message and the answers still owed to the old peer', async () => {
    const { session, text } = setup();
    session.feed(Buffer.from('{"execute":"guest-sleep","arguments":{"ms":20},"id":"old"}{"execute":"guest-sync",'));
    session.reset();
    session.feed(Buffer.from('"arguments":{"id":1}}{"execute":"guest-ping","id":"new"}'));
    await session.idle();
    await new Promise((r) => setTimeout(r, 30));
    // no answer for "old"; the tail of the old half message is read as fresh input, as QEMU reads it
    expect(text()).toBe(
      '{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}\n' +
        '{"error": {"class": "GenericError", "desc": "JSON parse error, expecting value"}}\n' +
        '{"id": 1, "error": {"class": "GenericError", "desc": "QMP input lacks member \'execute\'"}}\n' +
        '{"error": {"class": "GenericError", "desc": "JSON parse error, expecting value"}}\n' +
        '{"return": {}, "id": "new"}\n',
    );
  });

  it('survives a sink that fails (peer gone) and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const dispatcher = new Dispatcher({ table, handlers, context: (request) => ({ request }) });
    const session = new ProtocolSession({
      dispatch: (r) => dispatcher.dispatch(r),
      write: () => Promise.reject(new Error('EPIPE')),
      onWriteError: (e) => errors.push(e),
    });
    session.feed(Buffer.from('{"execute":"guest-ping"}'));
    await session.idle();
    expect(errors).toHaveLength(1);
    const out: Buffer[] = [];
    session.reset((b) => void out.push(b));
    session.feed(Buffer.from('{"execute":"guest-ping"}'));
    await session.idle();
    expect(Buffer.concat(out).toString()).toBe('{"return": {}}\n');
  });

  it('answers with an internal error when dispatching or encoding fails, and keeps serving', async () => {
    const written: Buffer[] = [];
    let calls = 0;
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const session = new ProtocolSession({
      dispatch: async (r) => {
        calls++;
        if (calls === 1) throw new Error('dispatcher bug');
        if (calls === 2) return { response: cyclic as never, delimited: false };
        return { response: { return: r } as never, delimited: false };
      },
      write: (b) => void written.push(b),
    });
    session.feed(Buffer.from('{"a":1}{"b":2}{"c":3}'));
    await session.idle();
    const lines = Buffer.concat(written).toString().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('{"error": {"class": "GenericError", "desc": "internal error: dispatcher bug"}}');
    expect(lines[1]).toMatch(/^\{"error": \{"class": "GenericError", "desc": "internal error: /);
    expect(lines[2]).toBe('{"return": {"c": 3}}');
  });

  describe('memory of large answers', () => {
    // Each request {"n": i} is answered with 300,000 copies of letter i.
    const SIZE = 300_000;
    const answer = (request: JsonValue): DispatchResult => {
      const n = Number((request as { n: number }).n);
      return { response: { return: String.fromCharCode(97 + n).repeat(SIZE) }, delimited: false };
    };
    const requests = (count: number) => Buffer.from(Array.from({ length: count }, (_, i) => `{"n": ${i}}`).join(''));
    const expected = (i: number) => `{"return": "${String.fromCharCode(97 + i).repeat(SIZE)}"}\n`;
    const intact = (lines: readonly Buffer[]) => lines.map((b, i) => b.toString('latin1') === expected(i));

    async function run(sink: (bytes: Buffer) => Promise<void> | void) {
      const lines: Buffer[] = [];
      const session = new ProtocolSession({
        dispatch: answer,
        write: (bytes) => {
          lines.push(bytes);
          return sink(bytes);
        },
      });
      session.feed(requests(3));
      await session.idle();
      return lines;
    }

    it('is reused once the sink has written an answer (its promise resolved)', async () => {
      const seen: boolean[] = [];
      const lines = await run(async (bytes) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(bytes.toString('latin1') === expected(seen.length));
      });
      expect(seen).toEqual([true, true, true]);
      expect(lines[1]!.buffer).toBe(lines[0]!.buffer);
      expect(lines[2]!.buffer).toBe(lines[0]!.buffer);
    });

    it('is never reused after bytes were taken at once or the write failed (the sink may still hold them)', async () => {
      const taken = await run(() => undefined);
      expect(intact(taken)).toEqual([true, true, true]);
      expect(new Set(taken.map((b) => b.buffer)).size).toBe(3);
      const failed = await run(() => Promise.reject(new Error('peer gone')));
      expect(intact(failed)).toEqual([true, true, true]);
      expect(new Set(failed.map((b) => b.buffer)).size).toBe(3);
    });
  });

  it('streamSink waits for drain on a full stream and rejects when it closes', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const sink = streamSink(stream);
    let done = false;
    const p = Promise.resolve(sink(Buffer.alloc(64, 0x41))).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    stream.read();
    await p;
    expect(done).toBe(true);
    const stuck = Promise.resolve(sink(Buffer.alloc(64, 0x42)));
    stream.destroy();
    await expect(stuck).rejects.toThrow('stream closed');
  });
});
