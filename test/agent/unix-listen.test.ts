/**
 * unix-listen, in process: the protocol commands, and the transport-level
 * defects of qemu-ga that ours must not have (each of these fails on qemu-ga:
 * it exits when a client leaves with an answer unread, spins at 100% CPU when
 * a client writes without reading, and completes one client's half message
 * with the next client's bytes).
 */
import * as fs from 'node:fs';
import { LineClient } from './helpers/client';
import { startAgent, type Fixture } from './helpers/agent-fixture';

let fx: Fixture;
beforeEach(async () => {
  fx = await startAgent();
});
afterEach(async () => {
  await fx.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('unix-listen basics', () => {
  test('guest-sync echoes the id (64-bit exact), guest-ping answers {}', async () => {
    const c = await LineClient.connect(fx.socket);
    c.send('{"execute":"guest-sync","arguments":{"id":1234567890123456789}}');
    expect((await c.lineBytes()).toString()).toBe('{"return": 1234567890123456789}');
    expect(await c.request({ execute: 'guest-ping', id: 'x' })).toEqual({ return: {}, id: 'x' });
    c.close();
  });

  test('guest-sync-delimited answers with a leading 0xFF, only on success', async () => {
    const c = await LineClient.connect(fx.socket);
    c.send(Buffer.concat([Buffer.from([0xff]), Buffer.from('{"execute":"guest-sync-delimited","arguments":{"id":42}}')]));
    const first = await c.lineBytes();
    expect(first[0]).not.toBe(0xff);
    expect(JSON.parse(first.toString('latin1'))).toEqual({ error: { class: 'GenericError', desc: expect.stringContaining('stray') } });
    const second = await c.lineBytes();
    expect(second[0]).toBe(0xff);
    expect(JSON.parse(second.subarray(1).toString())).toEqual({ return: 42 });
    c.send('{"execute":"guest-sync-delimited","arguments":{"id":"nope"}}');
    const bad = await c.lineBytes();
    expect(bad[0]).not.toBe(0xff);
    c.close();
  });

  test('guest-info lists every registered command, newest first, with enabled and success-response', async () => {
    const c = await LineClient.connect(fx.socket);
    const info = await c.request({ execute: 'guest-info' });
    expect(info.return.version).toBe('10.0.0');
    const names = info.return.supported_commands.map((x: { name: string }) => x.name);
    expect(names[names.length - 1]).toBe('guest-sync-delimited');
    expect(info.return.supported_commands).toContainEqual({ name: 'guest-shutdown', enabled: true, 'success-response': false });
    c.close();
  });

  test('a file written and read back through the protocol', async () => {
    const c = await LineClient.connect(fx.socket);
    const file = `${fx.dir}/f.bin`;
    const h = (await c.request({ execute: 'guest-file-open', arguments: { path: file, mode: 'w+' } })).return;
    expect(h).toBe(1000);
    const data = Buffer.from('hello, agent');
    expect(await c.request({ execute: 'guest-file-write', arguments: { handle: h, 'buf-b64': data.toString('base64') } })).toEqual({
      return: { count: data.length, eof: false },
    });
    expect(await c.request({ execute: 'guest-file-seek', arguments: { handle: h, offset: 0, whence: 'set' } })).toEqual({
      return: { position: 0, eof: false },
    });
    const r = await c.request({ execute: 'guest-file-read', arguments: { handle: h } });
    expect(Buffer.from(r.return['buf-b64'], 'base64').toString()).toBe('hello, agent');
    expect(r.return.eof).toBe(true);
    expect(await c.request({ execute: 'guest-file-close', arguments: { handle: h } })).toEqual({ return: {} });
    expect(fs.readFileSync(file, 'utf8')).toBe('hello, agent');
    c.close();
  });

  test('a handler that throws becomes a GenericError with its message; the agent goes on', async () => {
    const c = await LineClient.connect(fx.socket);
    expect(await c.request({ execute: 'test-throw', id: 1 })).toEqual({
      error: { class: 'GenericError', desc: 'boom from a handler' },
      id: 1,
    });
    expect(await c.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    c.close();
  });

  test('an answer larger than the socket buffer, behind a slow reader, arrives whole and before the next ones', async () => {
    // The first answer's write(2) is partial (the client is not reading):
    // the rest must go out through the stream, and the answers after it
    // must wait their turn.
    const file = `${fx.dir}/big.bin`;
    const data = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    fs.writeFileSync(file, data);
    const c = await LineClient.connect(fx.socket);
    const h = (await c.request({ execute: 'guest-file-open', arguments: { path: file, mode: 'r' } })).return;
    c.socket.pause();
    c.send(
      JSON.stringify({ execute: 'guest-file-read', arguments: { handle: h, count: data.length }, id: 'big' }) +
        '{"execute":"guest-ping","id":1}{"execute":"guest-sync","arguments":{"id":2}}',
    );
    await sleep(100);
    c.socket.resume();
    const big = await c.json();
    expect(big.id).toBe('big');
    expect(big.return.count).toBe(data.length);
    expect(Buffer.from(big.return['buf-b64'], 'base64').equals(data)).toBe(true);
    expect(await c.json()).toEqual({ return: {}, id: 1 });
    expect(await c.json()).toEqual({ return: 2 });
    c.close();
  });

  test('a client that half-closes still gets its answers', async () => {
    const c = await LineClient.connect(fx.socket);
    c.send('{"execute":"test-slow","arguments":{"ms":50}}{"execute":"guest-ping"}');
    c.end();
    expect(await c.json()).toEqual({ return: 50 });
    expect(await c.json()).toEqual({ return: {} });
  });
});

describe('sturdier than qemu-ga at the transport level', () => {
  test('a client that closes with an answer unread does not stop the agent', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await LineClient.connect(fx.socket);
      a.send('{"execute":"test-slow","arguments":{"ms":100}}{"execute":"guest-info"}');
      await sleep(20);
      a.close(); // answers still to come: writing them fails
    }
    await sleep(200);
    const b = await LineClient.connect(fx.socket);
    expect(await b.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    b.close();
  });

  test('half a message from one client never leaks into the next', async () => {
    const a = await LineClient.connect(fx.socket);
    a.send('{"execute":"guest-sync","arguments":{"id":');
    await sleep(50);
    a.close();
    const b = await LineClient.connect(fx.socket);
    b.send('7}}{"execute":"guest-ping"}');
    // qemu-ga completes a's message with b's "7}}" and answers {"return": 7}.
    // Ours sees b's bytes alone: errors for the stray "7}}", then the ping.
    const answers: unknown[] = [];
    for (;;) {
      const m = await b.json();
      answers.push(m);
      if (JSON.stringify(m) === '{"return":{}}') break;
    }
    expect(answers).not.toContainEqual({ return: 7 });
    expect(answers[0]).toEqual({ error: { class: 'GenericError', desc: expect.any(String) } });
    b.close();
  });

  test('one client at a time: the next waits, unread, until the first leaves', async () => {
    const a = await LineClient.connect(fx.socket);
    expect(await a.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    const b = await LineClient.connect(fx.socket);
    b.send('{"execute":"guest-sync","arguments":{"id":2}}');
    await expect(b.json(300)).rejects.toThrow(/timed out/);
    a.close();
    expect(await b.json()).toEqual({ return: 2 });
    b.close();
  });

  test('a writer that never reads gets back-pressure, no spinning, and the agent recovers', async () => {
    const flood = Buffer.from('{"execute":"guest-info"}'.repeat(20000)); // ~480 KB in, ~60 MB of answers
    const w = await LineClient.connect(fx.socket);
    w.socket.pause(); // never read
    w.send(flood);
    await sleep(500); // let the buffers fill
    const before = process.cpuUsage();
    const t0 = Date.now();
    await sleep(1000);
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    // A spinning agent (qemu-ga) burns the whole second; stalled I/O burns nothing.
    expect(cpuMs).toBeLessThan(0.25 * (Date.now() - t0));
    // The reader returns: every answer arrives, in order.
    w.socket.resume();
    let n = 0;
    while (n < 20000) {
      const line = await w.lineBytes(20000);
      expect(line.subarray(0, 11).toString()).toBe('{"return": ');
      n++;
    }
    w.close();
    // And a stalled writer that leaves frees the agent for the next client.
    const s = await LineClient.connect(fx.socket);
    s.socket.pause();
    s.send(flood);
    await sleep(300);
    s.close();
    const next = await LineClient.connect(fx.socket);
    expect(await next.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    next.close();
  }, 60000);

  test('the socket file is removed on stop', async () => {
    expect(fs.existsSync(fx.socket)).toBe(true);
    await fx.agent.stop();
    expect(fs.existsSync(fx.socket)).toBe(false);
  });
});

describe('stopping while frozen', () => {
  test('the thaw hooks run before the agent stops', async () => {
    const calls: string[] = [];
    fx.agent.services.thawOnStop.push(() => {
      calls.push('thaw');
    });
    fx.state.setFrozen();
    const c = await LineClient.connect(fx.socket);
    expect((await c.request({ execute: 'guest-file-open', arguments: { path: '/etc/hostname' } })).error.class).toBe('CommandNotFound');
    expect(await c.request({ execute: 'guest-ping' })).toEqual({ return: {} });
    c.close();
    await fx.agent.stop();
    expect(calls).toEqual(['thaw']);
  });
});
