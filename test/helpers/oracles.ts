import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real programs our tests compare against. A missing oracle fails the
 * test that needs it, loudly and with the way to install it; it never turns
 * into a silently skipped test. `.ci/run` installs all of them.
 */

function missing(what: string, hint: string): never {
  throw new Error(`${what} is not available: ${hint}`);
}

/** QEMU 10.0's source tree (scripts/qapi, qapi-gen.py, test-qapi.py); set up by test/setup/global.ts. */
export function qemuSource(): string {
  const dir = process.env.QEMU_SRC;
  if (!dir || !fs.existsSync(path.join(dir, 'scripts', 'qapi', 'schema.py'))) {
    missing(`QEMU's source tree (QEMU_SRC=${dir ?? ''})`, 'run scripts/fetch-qemu-source.sh DIR and set QEMU_SRC=DIR');
  }
  if (spawnSync('python3', ['--version']).status !== 0) missing('python3', 'apt-get install python3');
  return dir;
}

/** An executable on PATH, found without a shell. */
function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir)
    .map((dir) => path.join(dir, name))
    .find((file) => fs.existsSync(file));
}

/** Debian's qemu-ga (package qemu-guest-agent): QEMU_GA, the package's path, or PATH. */
export function qemuGa(): string {
  const candidates = [process.env.QEMU_GA, '/usr/sbin/qemu-ga', '/usr/bin/qemu-ga'];
  return (
    candidates.find((p): p is string => !!p && fs.existsSync(p)) ??
    onPath('qemu-ga') ??
    missing('qemu-ga', 'apt-get install qemu-guest-agent (the differential tests refuse to pass without the real agent)')
  );
}

/** Debian's Chromium, for the docs page test. */
export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return fs.existsSync(p) ? p : missing(`Chromium (${p})`, 'apt-get install chromium');
}
