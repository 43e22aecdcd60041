/** Process entry of `qapi-gen` (bin/qapi-gen starts Node on this file). */
import { main } from './cli';

const status = main(process.argv.slice(2));
// A finished run exits at once: a normal exit first tears V8's heap down,
// returning its pages one system call at a time (about 550 calls with
// bin/qapi-gen's 64 MiB young generation, 5 ms of CPU time), work the
// kernel does in one go for an exiting process. Nothing is pending: the
// generator writes its files synchronously, and Node writes to stdout and
// stderr synchronously when they are files or pipes.
if (status !== null) process.exit(status);
