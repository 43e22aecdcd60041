/** Convenience entry points over the streamer. */
import { JsonStreamer, type JsonMessage } from './streamer';
import type { JsonValue } from './value';

/** Every message in `input`, in order; the end of input ends a pending number or keyword (or is "premature EOI"). */
export function parseJsonMessages(input: Buffer | string): JsonMessage[] {
  const out: JsonMessage[] = [];
  const s = new JsonStreamer((m) => out.push(m));
  s.feed(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  s.end();
  return out;
}

/** Exactly one JSON text with QEMU's rules; throws with QEMU's error text otherwise. */
export function parseJson(input: Buffer | string): JsonValue {
  const messages = parseJsonMessages(input);
  const first = messages[0];
  if (messages.length !== 1 || !first) {
    throw new Error(messages.length === 0 ? 'JSON parse error, premature EOI' : 'more than one JSON text');
  }
  if (!first.ok) throw new Error(first.error);
  return first.value;
}
