import { JsonStreamer, type JsonMessage } from '../../runtime/json/streamer';

/** Feed `chunks` to a fresh streamer; all messages reported. */
export function stream(...chunks: (Buffer | string)[]): JsonMessage[] {
  const out: JsonMessage[] = [];
  const s = new JsonStreamer((m) => out.push(m));
  for (const c of chunks) s.feed(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  return out;
}

/** Errors and values in a compact comparable form. */
export function summary(messages: JsonMessage[]): unknown[] {
  return messages.map((m) => (m.ok ? { value: m.value } : { error: m.error }));
}

/** Bytes from a latin1 string (each char one byte). */
export function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

export function obj(o: Record<string, unknown>): unknown {
  return Object.assign(Object.create(null) as object, o);
}
