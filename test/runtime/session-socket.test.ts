import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Dispatcher } from '../../runtime/dispatch/dispatcher';
import { ProtocolSession, streamSink } from '../../runtime/session';
import { handlers, table } from './table';

/** A unix-socket server wired the way a transport should wire a session. */
async function serve(sock: string) {
  const dispatcher = new Dispatcher({ table, handlers, context: (request) => ({ request }) });
  const stats = { pauses: 0, resumes: 0, sessions: [] as ProtocolSession[] };
  const server = net.createServer((conn) => {
    const session = new ProtocolSession({
      dispatch: (r) => dispatcher.dispatch(r),
      write: streamSink(conn),
      pause: () => {
        stats.pauses++;
        conn.pause();
      },
      resume: () => {
        stats.resumes++;
        conn.resume();
      },
      maxQueued: 16,
    });
    stats.sessions.push(session);
    conn.on('data', (d: Buffer) => session.feed(d));
    conn.on('close', () => session.reset());
    conn.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(sock, r));
  return { server, stats };
}

describe('ProtocolSession on a real socket', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-session-'));
  const open: { destroy(): void }[] = [];
  // a failed assertion must not leave sockets open (jest would never exit)
  afterEach(() => {
    for (const o of open.splice(0)) o.destroy();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a client that writes without reading gets back-pressure; all answers arrive in order once it reads', async () => {
    const sock = path.join(dir, 'bp.sock');
    const { server, stats } = await serve(sock);
    open.push({ destroy: () => server.close() });
    const client = net.createConnection(sock);
    open.push(client);
    await new Promise((r) => client.once('connect', r));
    client.pause(); // never read for now
    const n = 20000;
    const payload = Buffer.from(Array.from({ length: n }, (_, i) => `{"execute":"guest-sync","arguments":{"id":${i}}}`).join(''));
    client.write(payload);
    for (let i = 0; i < 150 && !stats.sessions[0]?.paused; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stats.pauses).toBeGreaterThan(0);
    const session = stats.sessions[0]!;
    expect(session.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    // CPU stays idle while stuck: no spinning (a busy loop would use the whole window)
    const t0 = process.cpuUsage();
    const w0 = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000 / (Date.now() - w0)).toBeLessThan(0.4);
    // now read everything
    const chunks: Buffer[] = [];
    let lines = 0;
    client.on('data', (d: Buffer) => {
      chunks.push(d);
      for (const b of d) if (b === 0x0a) lines++;
    });
    client.resume();
    const deadline = Date.now() + 30000;
    while (lines < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lines).toBe(n);
    const text = Buffer.concat(chunks).toString();
    expect(text).toBe(Array.from({ length: n }, (_, i) => `{"return": ${i}}\n`).join(''));
    expect(stats.resumes).toBeGreaterThan(0);
    client.destroy();
    await new Promise((r) => server.close(r));
  });

  it('a client that closes with answers unread does not stop the server; the next client is served', async () => {
    const sock = path.join(dir, 'close.sock');
    const { server } = await serve(sock);
    open.push({ destroy: () => server.close() });
    const a = net.createConnection(sock);
    await new Promise((r) => a.once('connect', r));
    a.write('{"execute":"guest-sleep","arguments":{"ms":50}}{"execute":"guest-ping"}{"execute":"guest-sync","arguments":');
    a.destroy();
    const b = net.createConnection(sock);
    open.push(b);
    const got = await new Promise<string>((resolve) => {
      let s = '';
      b.on('data', (d: Buffer) => {
        s += d.toString();
        if (s.endsWith('\n')) resolve(s);
      });
      b.write('{"execute":"guest-sync","arguments":{"id":5}}');
    });
    expect(got).toBe('{"return": 5}\n');
    b.destroy();
    await new Promise((r) => server.close(r));
  });
});
