import * as path from 'node:path';

/** scripts/qemu-source.js (CommonJS, shared with the benches). */
interface QemuSourceModule {
  qemuSource(): { dir?: string; why?: string };
}

/**
 * Jest global setup: make QEMU 10.0's QAPI sources available to the tests
 * that compare against QEMU's own Python generator (scripts/qemu-source.js:
 * QEMU_SRC wins; otherwise they are fetched once from Debian's archive into
 * node_modules/.cache). Workers start after this and inherit the environment.
 */
export default function globalSetup(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { qemuSource } = require(path.resolve(__dirname, '..', '..', 'scripts', 'qemu-source.js')) as QemuSourceModule;
  const source = qemuSource();
  if (source.dir === undefined) throw new Error(source.why);
  process.env.QEMU_SRC = source.dir;
}
