/**
 * The generator's writes to stdout and stderr, and whether any of that text
 * is still queued.
 *
 * Why: a finished run ends with `process.exit` (see main.ts), which drops
 * whatever Node has not yet handed to the operating system. Writes to files
 * and terminals are synchronous, but writes to a pipe are not on POSIX: when
 * the reader lags (a large `dump` into `less`), Node queues the rest. Only
 * the streams written through this module are asked: `process.stdout` makes
 * its stream on first use, about 12 ms for a pipe, which a run that wrote
 * nothing should not pay.
 */

const written = new Set<NodeJS.WriteStream>();

function writeTo(stream: NodeJS.WriteStream, text: string): void {
  written.add(stream);
  stream.write(text);
}

export function writeStdout(text: string): void {
  writeTo(process.stdout, text);
}

export function writeStderr(text: string): void {
  writeTo(process.stderr, text);
}

/** Whether text written through this module waits in a stream's queue. */
export function stdioPending(): boolean {
  for (const stream of written) if (stream.writableLength > 0) return true;
  return false;
}
