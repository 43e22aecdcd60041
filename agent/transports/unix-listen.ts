/**
 * unix-listen: a listening unix socket serving one client at a time. Others
 * wait, unread, in arrival order. Each connection gets a fresh peer (a clean
 * parser). A client that leaves with answers unread costs nothing but its own
 * connection. A client that writes without reading meets back-pressure: when
 * the kernel's send buffer is full we stop reading its socket (no polling, no
 * CPU) until it drains, or until the client leaves.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { readDirect } from './direct-read';
import type { Peer, PeerFactory, Sink, Transport } from './types';

export interface UnixListenOptions {
  path: string;
  peers: PeerFactory;
  log?: (level: 'debug' | 'warning', message: string) => void;
}

export class UnixListenTransport implements Transport {
  private server: net.Server | null = null;
  private current: net.Socket | null = null;
  private readonly waiting: net.Socket[] = [];
  private stopping = false;

  constructor(private readonly options: UnixListenOptions) {}

  start(): Promise<void> {
    removeStaleSocket(this.options.path);
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.path, () => {
        server.off('error', reject);
        server.on('error', (e) => this.options.log?.('warning', `listening socket: ${e.message}`));
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    socket.on('error', () => socket.destroy());
    if (this.stopping) {
      socket.destroy();
      return;
    }
    if (this.current) {
      this.waiting.push(socket);
      socket.once('close', () => {
        const i = this.waiting.indexOf(socket);
        if (i >= 0) this.waiting.splice(i, 1);
      });
      return;
    }
    this.serve(socket);
  }

  private serve(socket: net.Socket): void {
    this.current = socket;
    this.options.log?.('debug', 'client connected');
    let gone = false;
    const fd = socketFd(socket);
    const sink: Sink = {
      write: (data) => {
        if (gone || socket.destroyed) return;
        if (fd >= 0 && socket.writableLength === 0) {
          // Nothing queued in the stream: hand the bytes to the kernel
          // directly (one system call, none of the stream machinery, which
          // is most of a small answer's cost). Whatever the socket buffer
          // does not take goes through the stream below, in order.
          const written = writeNow(fd, data);
          if (written < 0) {
            socket.destroy(); // the client is gone (EPIPE, ECONNRESET)
            return;
          }
          if (written === data.length) return;
          data = data.subarray(written);
        }
        if (socket.write(data)) return;
        // The client is not reading: this answer waits for 'drain' (or the
        // client leaving); the session stops feeding us meanwhile and pauses
        // the socket once its queue is full. Nothing polls.
        return new Promise<void>((resolve) => {
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        });
      },
      pause: () => socket.pause(),
      resume: () => {
        if (!gone && !socket.destroyed) socket.resume();
      },
    };
    const peer: Peer = this.options.peers(sink);
    const feed = (chunk: Buffer) => peer.feed(chunk);
    if (!readDirect(socket, feed)) socket.on('data', feed);
    socket.on('end', () => {
      // Half-closed by the client: answer what it sent, then close our side.
      peer.idle().then(
        () => socket.end(),
        () => socket.destroy(),
      );
    });
    socket.once('close', () => {
      gone = true;
      peer.reset();
      this.options.log?.('debug', 'client disconnected');
      if (this.current === socket) {
        this.current = null;
        this.next();
      }
    });
    socket.resume();
  }

  private next(): void {
    if (this.stopping) return;
    while (this.waiting.length > 0) {
      const socket = this.waiting.shift()!;
      if (!socket.destroyed) {
        this.serve(socket);
        return;
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const socket of this.waiting.splice(0)) socket.destroy();
    this.current?.destroy();
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    try {
      fs.unlinkSync(this.options.path);
    } catch {
      /* net.Server usually removes it already */
    }
  }
}

/** The socket's file descriptor, or -1 where Node does not expose one. */
function socketFd(socket: net.Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/** write(2) on a non-blocking socket: bytes taken (0 when full), or -1 when the peer is gone. */
function writeNow(fd: number, data: Buffer): number {
  try {
    return fs.writeSync(fd, data);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EAGAIN' ? 0 : -1;
  }
}

/** Like QEMU, replace a socket file left by a previous run; refuse to clobber anything else. */
function removeStaleSocket(path: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) {
    throw new Error(`${path} exists and is not a socket`);
  }
  fs.unlinkSync(path);
}
