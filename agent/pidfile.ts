/**
 * The pid file, with qemu-ga's semantics: created if absent (0600), refused
 * while another live process holds it, rewritten with `PID\n`, removed on
 * exit. Node has no lockf(); "held" means the file names a live process other
 * than us. A stale file (dead pid, garbage) is replaced. Creation is atomic
 * (O_EXCL), so two agents starting together cannot both win.
 */
import * as fs from 'node:fs';

export class PidfileError extends Error {}

function holder(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    return null;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export class Pidfile {
  private constructor(readonly file: string) {}

  static acquire(file: string, pid = process.pid): Pidfile {
    for (let attempt = 0; attempt < 5; attempt++) {
      let fd: number;
      try {
        fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code !== 'EEXIST') {
          throw new PidfileError(`Cannot open pid file: ${err.message}`);
        }
        const owner = holder(file);
        if (owner !== null) {
          throw new PidfileError(`Cannot lock pid file: held by running process ${owner}`);
        }
        try {
          fs.unlinkSync(file);
        } catch {
          /* someone else replaced it: try again */
        }
        continue;
      }
      try {
        fs.writeSync(fd, `${pid}\n`);
      } catch (e) {
        fs.closeSync(fd);
        fs.rmSync(file, { force: true });
        throw new PidfileError(`Failed to write pid file: ${(e as Error).message}`);
      }
      fs.closeSync(fd);
      return new Pidfile(file);
    }
    throw new PidfileError('Cannot lock pid file: it keeps changing');
  }

  /** Remove the file if it still names us. */
  release(pid = process.pid): void {
    try {
      if (fs.readFileSync(this.file, 'utf8').trim() === String(pid)) {
        fs.unlinkSync(this.file);
      }
    } catch {
      /* already gone */
    }
  }
}
