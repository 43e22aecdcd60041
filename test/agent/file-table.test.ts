import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileTable, openFlags, READ_COUNT_MAX } from '../../agent/commands/file-table';
import { decodeBase64 } from '../../agent/commands/base64';

let dir: string;
let table: FileTable;
let counter: bigint;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qga-files-'));
  counter = 1000n;
  table = new FileTable(() => counter++);
});
afterEach(() => {
  table.closeAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (r: { base64: string }) => Buffer.from(r.base64, 'base64').toString();

describe('guest-file semantics', () => {
  test('handles count up from the counter', () => {
    const f = path.join(dir, 'a');
    fs.writeFileSync(f, 'x');
    expect(table.open(f)).toBe(1000n);
    expect(table.open(f, 'rb')).toBe(1001n);
  });

  test('reading exactly to the end: eof false, then count 0 and eof true', () => {
    const f = path.join(dir, 'hello');
    fs.writeFileSync(f, 'hello world');
    const h = table.open(f);
    const first = table.read(h, 11n);
    expect(first.count).toBe(11);
    expect(text(first)).toBe('hello world');
    expect(first.eof).toBe(false);
    expect(table.read(h, 11n)).toMatchObject({ count: 0, eof: true });
    expect(table.read(h, 0n)).toMatchObject({ count: 0, eof: false });
  });

  test('large reads (their memory reused from chunk to chunk) return each chunk as read', () => {
    const f = path.join(dir, 'big');
    const content = crypto.randomBytes(3 * 1024 * 1024 + 17);
    fs.writeFileSync(f, content);
    const h = table.open(f);
    const chunks: Buffer[] = [];
    for (const count of [1024n * 1024n, 300n * 1024n, 1536n * 1024n, 1024n * 1024n]) {
      const r = table.read(h, count);
      const bytes = Buffer.from(r.base64, 'base64');
      expect(bytes.length).toBe(r.count);
      chunks.push(bytes);
    }
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(table.read(h, 1024n * 1024n)).toMatchObject({ count: 0, eof: true });
  });

  test('a short read reports eof; default count is 4096', () => {
    const f = path.join(dir, 'big');
    fs.writeFileSync(f, Buffer.alloc(5000, 7));
    const h = table.open(f);
    expect(table.read(h)).toMatchObject({ count: 4096, eof: false });
    expect(table.read(h)).toMatchObject({ count: 904, eof: true });
  });

  test('count limits', () => {
    const f = path.join(dir, 'c');
    fs.writeFileSync(f, 'c');
    const h = table.open(f);
    expect(() => table.read(h, -1n)).toThrow("value '-1' is invalid for argument count");
    expect(() => table.read(h, BigInt(READ_COUNT_MAX + 1))).toThrow(`value '${READ_COUNT_MAX + 1}' is invalid for argument count`);
  });

  test('seek set/cur/end and errors', () => {
    const f = path.join(dir, 's');
    fs.writeFileSync(f, 'hello world');
    const h = table.open(f);
    expect(table.seek(h, -3n, 2)).toEqual({ position: 8, eof: false });
    expect(table.read(h, 100n)).toMatchObject({ count: 3, eof: true });
    expect(table.read(h, 100n).count).toBe(0);
    expect(() => table.seek(h, -30n, 1)).toThrow('failed to seek file: Invalid argument');
    expect(() => table.seek(h, 0n, 7)).toThrow('invalid whence code 7');
    expect(table.seek(h, 2n, 0)).toEqual({ position: 2, eof: false });
    expect(text(table.read(h, 3n))).toBe('llo');
  });

  test('write, then read back through w+; write count limit', () => {
    const f = path.join(dir, 'w');
    const h = table.open(f, 'w+');
    expect((fs.statSync(f).mode & 0o777).toString(8)).toBe('666');
    expect(table.write(h, b64('hello'))).toEqual({ count: 5, eof: false });
    expect(() => table.write(h, b64('hello'), 9n)).toThrow("value '9' is invalid for argument count");
    expect(table.write(h, b64('XYZ'), 1n)).toEqual({ count: 1, eof: false });
    table.seek(h, 0n, 0);
    expect(text(table.read(h))).toBe('helloX');
    table.flush(h);
    table.close(h);
    expect(fs.readFileSync(f, 'utf8')).toBe('helloX');
  });

  test('append modes write at the end', () => {
    const f = path.join(dir, 'ap');
    fs.writeFileSync(f, 'abc');
    const h = table.open(f, 'a+');
    table.seek(h, 0n, 0);
    table.write(h, b64('de'));
    expect(fs.readFileSync(f, 'utf8')).toBe('abcde');
    table.seek(h, 0n, 0);
    expect(text(table.read(h))).toBe('abcde');
  });

  test('errors carry qemu-ga text and glibc strerror', () => {
    expect(() => table.open(path.join(dir, 'nope'))).toThrow(
      `failed to open file '${path.join(dir, 'nope')}' (mode: 'r'): No such file or directory`,
    );
    expect(() => table.open(dir, 'x')).toThrow("invalid file open mode 'x'");
    const f = path.join(dir, 'ro');
    fs.writeFileSync(f, 'r');
    const h = table.open(f, 'r');
    expect(() => table.write(h, b64('no'))).toThrow('failed to write to file: Bad file descriptor');
    expect(() => table.read(999n)).toThrow("handle '999' has not been found");
    table.close(h);
    expect(() => table.close(h)).toThrow(`handle '${h}' has not been found`);
  });

  test('every documented mode is accepted', () => {
    for (const m of ['r', 'rb', 'w', 'wb', 'a', 'ab', 'r+', 'rb+', 'r+b', 'w+', 'wb+', 'w+b', 'a+', 'ab+', 'a+b']) {
      expect(openFlags(m) & fs.constants.O_NONBLOCK).toBeTruthy();
    }
  });

  test('a FIFO with no data gives EAGAIN like qemu-ga, and cannot seek', () => {
    const fifo = path.join(dir, 'fifo');
    require('node:child_process').execFileSync('mkfifo', [fifo]);
    const h = table.open(fifo, 'r+');
    expect(() => table.read(h)).toThrow('failed to read file: Resource temporarily unavailable');
    expect(() => table.seek(h, 0n, 0)).toThrow('failed to seek file: Illegal seek');
  });
});

describe('base64 for guest-file-write', () => {
  test('padded and unpadded input decode in full (qemu-ga drops the partial group)', () => {
    expect(decodeBase64('aGVsbG8=').toString()).toBe('hello');
    expect(decodeBase64('aGVsbG8').toString()).toBe('hello');
    expect(decodeBase64('aGVsbA').toString()).toBe('hell');
    expect(decodeBase64('aGVs\nbG8=\n').toString()).toBe('hello');
    expect(decodeBase64('').length).toBe(0);
  });
  test('undecodable input is refused with a clear message, never truncated', () => {
    expect(() => decodeBase64('a$')).toThrow('Base64 data contains invalid characters');
    expect(() => decodeBase64('aGVsb')).toThrow(/truncated/);
    expect(() => decodeBase64('aGVs=bG8=')).toThrow(/padding/);
    expect(() => decodeBase64('aGVsbG8==')).toThrow(/padding/);
  });
  test('random data round-trips, padded or not', () => {
    for (let n = 0; n < 64; n++) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      const text = data.toString('base64');
      expect(decodeBase64(text).equals(data)).toBe(true);
      expect(decodeBase64(text.replace(/=+$/, '')).equals(data)).toBe(true);
    }
  });
});
