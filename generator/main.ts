/** Process entry of `qapi-gen` (bin/qapi-gen starts Node on this file). */
import { main } from './cli';
import { stdioPending } from './stdio';

const status = main(process.argv.slice(2));
if (status !== null) {
  process.exitCode = status;
  // A finished run exits at once: a normal exit first tears V8's heap down,
  // returning its pages one system call at a time (about 550 calls with
  // bin/qapi-gen's 64 MiB young generation, 5 ms of CPU time), work the
  // kernel does in one go for an exiting process. The files are written
  // synchronously; text still queued for a pipe gets the normal exit, which
  // waits for it.
  if (!stdioPending()) process.exit();
}
