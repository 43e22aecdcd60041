/** Run the built agent (bin/qga -> dist/agent/main.js) as a real process. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const QGA_BIN = path.join(REPO, 'bin', 'qga');

/** Build dist/ once if it is missing (CI builds it in `npm ci`'s prepare step). */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(REPO, 'dist', 'agent', 'main.js'))) {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: REPO,
      stdio: 'inherit',
    });
  }
}

const ENV = { ...process.env, QGA_CONF: '/nonexistent/qemu-ga.conf' };

export function runQga(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [QGA_BIN, ...args], { encoding: 'utf8', env: { ...ENV, ...env }, timeout: 20000 });
}

export function spawnQga(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [QGA_BIN, ...args], { env: { ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function waitForSocket(file: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection(file);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no socket at ${file}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
