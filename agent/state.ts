/**
 * The state directory, as qemu-ga keeps it: `qga.state` (a key file,
 * `[global] fd_counter=N`, the next guest-file handle, from 1000) and
 * `qga.state.isfrozen` (present while filesystems are frozen, so a restarted
 * agent starts in the frozen state).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatKeyFile, getInteger, hasKey, parseKeyFile } from './keyfile';

export const FIRST_HANDLE = 1000n;
const INT64_MAX = (1n << 63n) - 1n;

export class StateError extends Error {}

export class AgentState {
  private fdCounter = FIRST_HANDLE;
  private frozenFlag = false;
  private readonly thawListeners: (() => void)[] = [];
  readonly stateFile: string;
  readonly frozenFile: string;

  constructor(readonly statedir: string) {
    this.stateFile = path.join(statedir, 'qga.state');
    this.frozenFile = path.join(statedir, 'qga.state.isfrozen');
  }

  /** Load both files; create qga.state now (unless frozen) so a bad state dir fails at start. */
  static load(statedir: string): AgentState {
    const state = new AgentState(statedir);
    state.frozenFlag = fs.existsSync(state.frozenFile);
    let text: string | undefined;
    try {
      text = fs.readFileSync(state.stateFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StateError(`unable to access state file at path ${state.stateFile}: ${(e as Error).message}`);
      }
    }
    if (text === undefined) {
      if (!state.frozenFlag) state.save();
      return state;
    }
    state.fdCounter = parseCounter(text);
    return state;
  }

  get frozen(): boolean {
    return this.frozenFlag;
  }

  /** The next handle; the counter is committed to disk before the handle is used. */
  nextHandle(): bigint {
    const handle = this.fdCounter;
    if (handle >= INT64_MAX) {
      throw new StateError('file handle counter exhausted');
    }
    this.fdCounter = handle + 1n;
    try {
      this.save();
    } catch {
      throw new StateError('failed to commit persistent state to disk');
    }
    return handle;
  }

  peekCounter(): bigint {
    return this.fdCounter;
  }

  /** Write qga.state atomically (temporary file, then rename), as g_file_set_contents does. */
  save(): void {
    const text = formatKeyFile([['global', [['fd_counter', this.fdCounter.toString()]]]]);
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, text, { mode: 0o644 });
      fs.renameSync(tmp, this.stateFile);
    } catch (e) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* nothing to clean */
      }
      throw new StateError(`failed to write persistent state to ${this.stateFile}: ${(e as Error).message}`);
    }
  }

  setFrozen(): void {
    if (this.frozenFlag) return;
    this.frozenFlag = true;
    fs.closeSync(fs.openSync(this.frozenFile, 'a', 0o600));
  }

  unsetFrozen(): void {
    if (!this.frozenFlag) return;
    this.frozenFlag = false;
    try {
      fs.unlinkSync(this.frozenFile);
    } catch {
      /* already gone */
    }
    for (const listener of this.thawListeners.splice(0)) listener();
  }

  /** Run once when the frozen state ends (what was deferred while frozen: log file, pid file). */
  onThaw(listener: () => void): void {
    this.thawListeners.push(listener);
  }
}

/** fd_counter from qga.state; anything missing or unreadable starts over at 1000, as qemu-ga does. */
export function parseCounter(text: string): bigint {
  try {
    const file = parseKeyFile(text);
    if (hasKey(file, 'global', 'fd_counter')) {
      const value = getInteger(file, 'global', 'fd_counter');
      if (value >= 0n && value < INT64_MAX) return value;
    }
  } catch {
    /* fall through to the default */
  }
  return FIRST_HANDLE;
}
