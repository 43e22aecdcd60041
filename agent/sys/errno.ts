/**
 * strerror() texts. qemu-ga's messages end with glibc's strerror(errno)
 * ("failed to open file 'x' (mode: 'r'): No such file or directory"); Node's
 * errors carry libuv's wording, which differs for some codes, so the common
 * ones are spelled here and the rest fall back to libuv's text, capitalised.
 */
import * as util from 'node:util';

const GLIBC: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EOVERFLOW: 'Value too large for defined data type',
  EDQUOT: 'Disk quota exceeded',
};

export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    const known = GLIBC[e.code];
    if (known) return known;
    if (typeof e.errno === 'number') {
      const entry = util.getSystemErrorMap().get(e.errno);
      if (entry) return entry[1].charAt(0).toUpperCase() + entry[1].slice(1);
    }
    return e.code;
  }
  return e instanceof Error ? e.message : String(err);
}

/** An error carrying a errno code, for code paths that detect the condition themselves. */
export function errnoError(code: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(code);
  e.code = code;
  return e;
}
