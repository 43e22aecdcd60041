/**
 * qemu-ga's log: `SECONDS.MICROSECONDS: LEVEL: MESSAGE` lines on stderr or
 * in the log file (appended). Only error and critical are written unless
 * verbose. Logging stops while filesystems are frozen (the log file may be
 * on one of them).
 */
import * as fs from 'node:fs';

export type LogLevel = 'error' | 'critical' | 'warning' | 'message' | 'info' | 'debug';

const QUIET: ReadonlySet<LogLevel> = new Set(['error', 'critical']);

export class Logger {
  private fd: number;
  private enabled = true;

  constructor(
    private verbose: boolean,
    fd = 2,
  ) {
    this.fd = fd;
  }

  /** Open (append, close-on-exec) a log file; throws with the system's message. */
  static openFile(file: string, verbose: boolean): Logger {
    return new Logger(verbose, fs.openSync(file, 'a', 0o640));
  }

  /** Switch to appending to `file` (a log file whose opening was deferred while frozen). */
  redirect(file: string): void {
    const fd = fs.openSync(file, 'a', 0o640);
    this.close();
    this.fd = fd;
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled || (!this.verbose && !QUIET.has(level))) {
      return;
    }
    const now = process.hrtime.bigint();
    const wall = BigInt(Date.now()) * 1000n + ((now / 1000n) % 1000n);
    const line = `${wall / 1000000n}.${wall % 1000000n}: ${level}: ${message}\n`;
    try {
      fs.writeSync(this.fd, line);
    } catch {
      /* a log that cannot be written must not stop the agent */
    }
  }

  error(message: string): void {
    this.log('error', message);
  }
  critical(message: string): void {
    this.log('critical', message);
  }
  warning(message: string): void {
    this.log('warning', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  debug(message: string): void {
    this.log('debug', message);
  }

  close(): void {
    if (this.fd > 2) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* ignore */
      }
      this.fd = 2;
    }
  }
}
