/** A tiny line client for tests: connect, send bytes, read answer lines (0xFF kept). */
import * as net from 'node:net';

export class LineClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection(path, () => resolve(new LineClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** The next line (without `\n`), as raw bytes. */
  async lineBytes(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nl = this.buffer.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl);
        this.buffer = this.buffer.subarray(nl + 1);
        return line;
      }
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a line');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async json(timeoutMs?: number): Promise<any> {
    const line = await this.lineBytes(timeoutMs);
    return JSON.parse(line.toString('latin1').replace(/^\xff/, ''));
  }

  async request(obj: unknown): Promise<any> {
    this.send(JSON.stringify(obj));
    return this.json();
  }

  close(): void {
    this.socket.destroy();
  }

  end(): void {
    this.socket.end();
  }
}
