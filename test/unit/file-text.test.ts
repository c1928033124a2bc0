import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../../electron/core/bundles/importers/file';
import { useTempDir } from '../support/vault';

const MIB = 1024 * 1024;

/** The text readText hands a parser, joined, and the progress it reported. */
function readAll(path: string): { text: string; progress: [number, number][] } {
  let text = '';
  const progress: [number, number][] = [];
  readText(path, (t) => (text += t), (read, total) => progress.push([read, total]));
  return { text, progress };
}

describe('reading an imported file as text', () => {
  const tempDir = useTempDir();

  it('keeps a character split between two blocks whole, drops a leading byte-order mark, reads a malformed byte as U+FFFD', () => {
    const path = join(tempDir(), 'big.txt');
    // The key's four bytes straddle the first block's end; the lone 0xff is no UTF-8 at all.
    const head = 'a'.repeat(MIB - 3 - 2);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${head}🔑é`), Buffer.from([0xff]), Buffer.from('end')]);
    writeFileSync(path, bytes);
    const { text, progress } = readAll(path);
    expect(text).toBe(`${head}🔑é\uFFFDend`);
    const reads = progress.map(([read]) => read);
    expect(reads.every((read, i) => i === 0 || read > reads[i - 1]!)).toBe(true);
    expect(reads.at(-1)).toBe(bytes.length);
    expect(progress.every(([, total]) => total === bytes.length)).toBe(true);
  });

  it('a multi-byte character cut short at the end of the file is U+FFFD, not dropped', () => {
    const path = join(tempDir(), 'cut.txt');
    writeFileSync(path, Buffer.concat([Buffer.from('x='), Buffer.from('é').subarray(0, 1)]));
    expect(readAll(path).text).toBe('x=\uFFFD');
  });

  it('an empty file gives no text', () => {
    const path = join(tempDir(), 'empty.txt');
    writeFileSync(path, '');
    expect(readAll(path)).toEqual({ text: '', progress: [] });
  });
});
