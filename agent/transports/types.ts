/**
 * What a transport needs from the protocol layer, and what it offers it.
 *
 * A transport owns the bytes: it feeds what it reads into a per-connection
 * `Peer` and writes what the peer hands to its `Sink`. When the bytes cannot
 * be handed to the OS at once, the sink returns a promise that settles when
 * they are (or the connection is gone): that is how back-pressure reaches
 * the protocol session.
 */
export interface Sink {
  /** Queue bytes for the peer; nothing, or a promise that resolves once they are written (or dropped because the peer left). */
  write(data: Buffer): Promise<void> | void;
  /** Stop reading this connection (the peer's answer queue is full). */
  pause(): void;
  /** Read again. */
  resume(): void;
}

export interface Peer {
  /** Bytes from the host. */
  feed(chunk: Buffer): void;
  /** The host went away (virtio EOF) or the connection ended: drop any partial message. */
  reset(): void;
  /** Resolves when every request fed so far has been answered and written. */
  idle(): Promise<void>;
}

/** Makes a fresh peer (a clean protocol session) for each connection. */
export type PeerFactory = (sink: Sink) => Peer;

export interface Transport {
  start(): Promise<void>;
  /** Stop reading and release what the transport holds (socket file, device). */
  stop(): Promise<void>;
}
