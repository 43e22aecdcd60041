/** -d, the parent's side: start the detached child and wait for its word. */
import { spawn } from 'node:child_process';
import { DAEMON_ENV } from './daemon';

export function runAsDaemon(script: string, argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...argv], {
      detached: true,
      cwd: '/',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, [DAEMON_ENV]: '1' },
    });
    let settled = false;
    const settle = (code: number) => {
      if (settled) return;
      settled = true;
      resolve(code);
    };
    child.on('message', (m: { ready?: boolean; error?: string }) => {
      if (m.ready) {
        child.disconnect();
        child.unref();
        settle(0);
      } else if (m.error !== undefined) {
        process.stderr.write(`${m.error}\n`);
        settle(1);
      }
    });
    child.on('error', (e) => {
      process.stderr.write(`failed to daemonize: ${e.message}\n`);
      settle(1);
    });
    child.on('exit', (code) => settle(code === 0 ? 1 : (code ?? 1)));
  });
}

