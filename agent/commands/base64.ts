/**
 * Base64 for guest-file-read and guest-file-write. qemu-ga accepts `[A-Za-z0-9+/=\n]` and then
 * silently drops a trailing partial group (`aGVsbG8` writes 3 bytes). We keep
 * its accepted alphabet and error text for foreign characters, decode
 * unpadded input in full, and refuse input that cannot be decoded without
 * losing bits, with a message that says why.
 */
import { genericError } from '../../runtime/errors';
import { plainString } from '../../runtime/json/encode';

/** Base64 text of `data` for an answer; declared plain, so the encoder copies it without a scan. */
export function encodeBase64(data: Buffer): string {
  return plainString(data.toString('base64'));
}

const FAST = /^[A-Za-z0-9+/]*={0,2}$/;
const ALPHABET = /^[A-Za-z0-9+/=\n]*$/;

export function decodeBase64(text: string): Buffer {
  let data = text;
  if (!FAST.test(data)) {
    if (!ALPHABET.test(data)) {
      throw genericError('Base64 data contains invalid characters');
    }
    data = data.replace(/\n/g, '');
    if (!FAST.test(data)) {
      throw genericError("Base64 data is malformed: '=' padding may only appear at the end");
    }
  }
  let end = data.length;
  while (end > 0 && data.charCodeAt(end - 1) === 61 /* = */) end--;
  const padding = data.length - end;
  const rest = end % 4;
  if (rest === 1) {
    throw genericError(
      `Base64 data is truncated: ${end} characters is one too many for whole bytes (a 4-character group is incomplete)`,
    );
  }
  if (padding > 0 && (data.length % 4 !== 0 || padding !== (4 - rest) % 4)) {
    throw genericError(`Base64 data has wrong padding: ${padding} '=' after ${end} characters`);
  }
  return Buffer.from(padding > 0 ? data.slice(0, end) : data, 'base64');
}
