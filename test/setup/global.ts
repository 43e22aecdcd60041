import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Jest global setup: make QEMU 10.0's QAPI sources available to the tests
 * that compare against QEMU's own Python generator. QEMU_SRC wins; otherwise
 * they are fetched once from Debian's archive into node_modules/.cache.
 * Workers start after this and inherit the environment.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..');
  const dir = process.env.QEMU_SRC ?? path.join(root, 'node_modules', '.cache', 'qemu-src');
  if (!fs.existsSync(path.join(dir, 'scripts', 'qapi', 'schema.py'))) {
    process.stderr.write(`\nFetching QEMU's QAPI sources into ${dir} (scripts/fetch-qemu-source.sh)...\n`);
    execFileSync('bash', [path.join(root, 'scripts', 'fetch-qemu-source.sh'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  process.env.QEMU_SRC = dir;
}
