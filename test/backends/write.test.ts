/**
 * syncFiles: a file is rewritten exactly when its bytes differ from the
 * UTF-8 of the new text (compared, and written, a step of 64 Ki UTF-16
 * units at a time).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syncFiles } from '../../generator/backends/write';

const STEP = 64 * 1024;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-write-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Write `old` (bytes) as the file, then sync `text` over it; returns whether it was rewritten and what the file holds after. */
function syncOver(old: Buffer | null, text: string): { changed: boolean; after: Buffer } {
  const file = path.join(dir, 'out.gen.ts');
  if (old) fs.writeFileSync(file, old);
  const changed = syncFiles(dir, [{ path: 'out.gen.ts', content: text }], false);
  return { changed: changed.length === 1, after: fs.readFileSync(file) };
}

describe('syncFiles', () => {
  const ascii = 'x'.repeat(3 * STEP + 17);
  // Non-ASCII text with a surrogate pair across each step boundary, and a lone surrogate.
  const wide = ('é'.repeat(STEP - 1) + '😀').repeat(3) + '\ud800 end';

  it.each([
    ['ASCII over several steps', ascii],
    ['multi-byte text, surrogate pairs across step boundaries', wide],
    ['empty text', ''],
  ])('leaves a file holding the same bytes untouched: %s', (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const file = path.join(dir, 'out.gen.ts');
    fs.writeFileSync(file, bytes);
    const before = fs.statSync(file).ino;
    expect(syncOver(null, text).changed).toBe(false);
    expect(fs.statSync(file).ino).toBe(before);
  });

  it.each([
    ['a missing file', null, ascii],
    ['a missing file, multi-byte text with surrogate pairs across step boundaries', null, wide],
    ['one byte different in the last step', Buffer.from(ascii.slice(0, -1) + 'y'), ascii],
    ['one byte different in the first step', Buffer.from('y' + ascii.slice(1)), ascii],
    ['a file one byte longer', Buffer.from(ascii + 'x'), ascii],
    ['a file one byte shorter', Buffer.from(ascii.slice(1)), ascii],
    ['the same length, different multi-byte text', Buffer.from(wide.replace('😀', 'xxxx'), 'utf8'), wide],
  ])('rewrites %s', (_name, old, text) => {
    const { changed, after } = syncOver(old, text);
    expect(changed).toBe(true);
    expect(after.equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('with check, names a directory standing where the file should be', () => {
    fs.mkdirSync(path.join(dir, 'out.gen.ts'));
    expect(syncFiles(dir, [{ path: 'out.gen.ts', content: 'x'.repeat(4096) }], true)).toEqual(['out.gen.ts']);
  });

  it('with check, names the stale file and writes nothing', () => {
    const file = path.join(dir, 'out.gen.ts');
    fs.writeFileSync(file, 'old');
    expect(syncFiles(dir, [{ path: 'out.gen.ts', content: 'new' }], true)).toEqual(['out.gen.ts']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });
});
