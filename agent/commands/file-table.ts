/**
 * Open guest files, with qemu-ga's semantics (qga/commands-posix.c) on Node:
 * - modes r rb w wb a ab r+ rb+ r+b w+ wb+ w+b a+ ab+ a+b (default r);
 *   O_NOCTTY | O_NONBLOCK; a file we create gets mode 0666 regardless of umask;
 * - handles from the state directory's counter (1000, 1001, ...);
 * - reads loop like fread(): `eof` is true only when the file ended during
 *   this read (reading exactly to the end gives eof false, the next read
 *   count 0 and eof true);
 * - seek whence 0/1/2; the position is ours to keep (Node has no lseek), so
 *   regular files and block devices use positional I/O, other files (FIFOs,
 *   sockets, character devices) their own stream position.
 * Errors are QmpError GenericError with qemu-ga's text and glibc's strerror.
 */
import * as fs from 'node:fs';
import { genericError } from '../../runtime/errors';
import { errnoError, strerror } from '../sys/errno';
import { ReusableBuffer } from '../../runtime/reusable-buffer';
import { decodeBase64, encodeBase64 } from './base64';

export const READ_COUNT_DEFAULT = 4096;
export const READ_COUNT_MAX = 48 * 1024 * 1024;

const C = fs.constants;

const MODES: ReadonlyArray<[readonly string[], number]> = [
  [['r', 'rb'], C.O_RDONLY],
  [['w', 'wb'], C.O_WRONLY | C.O_CREAT | C.O_TRUNC],
  [['a', 'ab'], C.O_WRONLY | C.O_CREAT | C.O_APPEND],
  [['r+', 'rb+', 'r+b'], C.O_RDWR],
  [['w+', 'wb+', 'w+b'], C.O_RDWR | C.O_CREAT | C.O_TRUNC],
  [['a+', 'ab+', 'a+b'], C.O_RDWR | C.O_CREAT | C.O_APPEND],
];

export function openFlags(mode: string): number {
  for (const [forms, flags] of MODES) {
    if (forms.includes(mode)) {
      return flags | C.O_NOCTTY | C.O_NONBLOCK;
    }
  }
  throw genericError(`invalid file open mode '${mode}'`);
}

interface OpenFile {
  fd: number;
  /** Our file position (for positional files). */
  pos: number;
  positional: boolean;
  append: boolean;
}

export interface FileReadResult {
  count: number;
  /** The bytes read, in base64. */
  base64: string;
  eof: boolean;
}

export interface FileWriteResult {
  count: number;
  eof: boolean;
}

export interface FileSeekResult {
  position: number;
  eof: boolean;
}

function toNumber(value: bigint | number): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

export class FileTable {
  private readonly files = new Map<bigint, OpenFile>();
  /** Memory for reads, reused while a host streams a file in large chunks. */
  private readonly readBuffer = new ReusableBuffer();

  constructor(private readonly nextHandle: () => bigint) {}

  get size(): number {
    return this.files.size;
  }

  private find(handle: bigint): OpenFile {
    const file = this.files.get(handle);
    if (!file) {
      throw genericError(`handle '${handle}' has not been found`);
    }
    return file;
  }

  open(path: string, mode = 'r'): bigint {
    const flags = openFlags(mode);
    let fd: number;
    let created = false;
    try {
      if (flags & C.O_CREAT) {
        try {
          fd = fs.openSync(path, flags | C.O_EXCL, 0);
          created = true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          fd = fs.openSync(path, flags & ~C.O_CREAT);
        }
      } else {
        fd = fs.openSync(path, flags);
      }
    } catch (e) {
      throw genericError(`failed to open file '${path}' (mode: '${mode}'): ${strerror(e)}`);
    }
    try {
      if (created) {
        fs.fchmodSync(fd, 0o666);
      }
      const st = fs.fstatSync(fd);
      const handle = this.nextHandle();
      this.files.set(handle, {
        fd,
        pos: 0,
        positional: st.isFile() || st.isBlockDevice(),
        append: (flags & C.O_APPEND) !== 0,
      });
      return handle;
    } catch (e) {
      fs.closeSync(fd);
      if (created) fs.rmSync(path, { force: true });
      if (e instanceof Error && e.name === 'QmpError') throw e;
      throw genericError(e instanceof Error && !('code' in e) ? e.message : `failed to open file '${path}': ${strerror(e)}`);
    }
  }

  close(handle: bigint): void {
    const file = this.find(handle);
    this.files.delete(handle);
    try {
      fs.closeSync(file.fd);
    } catch (e) {
      throw genericError(`failed to close handle: ${strerror(e)}`);
    }
  }

  /**
   * Read up to `count` bytes, answered as base64 text as guest-file-read
   * sends them. The bytes go through a buffer kept while reads keep coming
   * (see runtime/reusable-buffer.ts): they are dead once encoded.
   */
  read(handle: bigint, count?: bigint | number): FileReadResult {
    const file = this.find(handle);
    const buf = this.readBuffer.borrow(readCount(count));
    try {
      const { total, eof } = readInto(file, buf);
      return { count: total, base64: encodeBase64(buf.subarray(0, total)), eof };
    } finally {
      this.readBuffer.release(buf);
    }
  }

  write(handle: bigint, b64: string, count?: bigint | number): FileWriteResult {
    const file = this.find(handle);
    const data = decodeBase64(b64);
    const n = count === undefined ? data.length : toNumber(count);
    if (n < 0 || n > data.length) {
      throw genericError(`value '${count}' is invalid for argument count`);
    }
    let total = 0;
    while (total < n) {
      const where = file.positional && !file.append ? file.pos + total : null;
      try {
        total += fs.writeSync(file.fd, data, total, n - total, where);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && total > 0) break;
        throw genericError(`failed to write to file: ${strerror(e)}`);
      }
    }
    if (file.positional) {
      file.pos = file.append ? fs.fstatSync(file.fd).size : file.pos + total;
    }
    return { count: total, eof: false };
  }

  seek(handle: bigint, offset: bigint | number, whence: number): FileSeekResult {
    const file = this.find(handle);
    if (whence !== 0 && whence !== 1 && whence !== 2) {
      throw genericError(`invalid whence code ${whence}`);
    }
    try {
      if (!file.positional) {
        const st = fs.fstatSync(file.fd);
        if (st.isFIFO() || st.isSocket()) throw errnoError('ESPIPE');
      }
      const base = whence === 0 ? 0 : whence === 1 ? file.pos : fs.fstatSync(file.fd).size;
      const position = base + toNumber(offset);
      if (position < 0 || !Number.isSafeInteger(position)) throw errnoError('EINVAL');
      file.pos = position;
      return { position, eof: false };
    } catch (e) {
      throw genericError(`failed to seek file: ${strerror(e)}`);
    }
  }

  /** Our writes are unbuffered: flushing only checks the handle. */
  flush(handle: bigint): void {
    this.find(handle);
  }

  closeAll(): void {
    for (const file of this.files.values()) {
      try {
        fs.closeSync(file.fd);
      } catch {
        /* shutting down */
      }
    }
    this.files.clear();
  }
}

/** The byte count a read asks for (qemu-ga's default and limit). */
function readCount(count: bigint | number | undefined): number {
  const n = count === undefined ? READ_COUNT_DEFAULT : toNumber(count);
  if (n < 0 || n > READ_COUNT_MAX) {
    throw genericError(`value '${count}' is invalid for argument count`);
  }
  return n;
}

/** Fill `buf` from `file` like fread(): until full, the end of the file, or (once something was read) EAGAIN. */
function readInto(file: OpenFile, buf: Buffer): { total: number; eof: boolean } {
  const n = buf.length;
  let total = 0;
  let eof = false;
  while (total < n) {
    let got: number;
    try {
      got = fs.readSync(file.fd, buf, total, n - total, file.positional ? file.pos + total : null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && total > 0) break;
      throw genericError(`failed to read file: ${strerror(e)}`);
    }
    if (got === 0) {
      eof = true;
      break;
    }
    total += got;
  }
  if (file.positional) file.pos += total;
  return { total, eof };
}
