/**
 * -d: Node cannot fork, so the agent re-runs itself detached (new session,
 * no terminal, stdio on /dev/null, cwd /, umask 077) with an IPC channel; the
 * parent exits 0 once the child reports it is serving, or 1 with the child's
 * error if it fails first.
 */
import { spawn } from 'node:child_process';

export const DAEMON_ENV = 'QGA_DAEMONIZED';

export function isDaemonChild(): boolean {
  return process.env[DAEMON_ENV] === '1' && typeof process.send === 'function';
}

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

/** In the child: tell the parent we are serving, then drop the channel. */
export function reportReady(): void {
  if (isDaemonChild()) {
    process.send!({ ready: true }, () => process.disconnect());
  }
}

export function reportFailure(message: string): void {
  if (isDaemonChild()) {
    process.send!({ error: message });
  }
}
