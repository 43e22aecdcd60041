/**
 * -d: Node cannot fork, so the agent re-runs itself detached (new session,
 * no terminal, stdio on /dev/null, cwd /, umask 077) with an IPC channel; the
 * parent exits 0 once the child reports it is serving, or 1 with the child's
 * error if it fails first. This file is the child's side; daemon-parent.ts
 * the parent's.
 */
export const DAEMON_ENV = 'QGA_DAEMONIZED';

export function isDaemonChild(): boolean {
  return process.env[DAEMON_ENV] === '1' && typeof process.send === 'function';
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
