import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CofferError } from '../../../../shared/errors';

const CHUNK = 64 * 1024;

/** Opens a file to import, refusing what is not one: a folder is a VALIDATION error, never EISDIR. */
export function openFile(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CofferError('NOT_FOUND', `no file at ${path}`, 'file');
    if (code === 'EISDIR') throw new CofferError('VALIDATION', `${path} is a folder, not a file to import`, 'file');
    throw new CofferError('VALIDATION', `${path} cannot be read (${code ?? 'unknown error'})`, 'file');
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new CofferError('VALIDATION', `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}, not a file to import`, 'file');
  }
  return { fd, size: st.size };
}

/**
 * Reads a file as UTF-8 text a chunk at a time, synchronously (a parser then needs no event loop),
 * a leading byte-order mark dropped and a character split across chunks kept whole.
 */
export function readText(path: string, onText: (text: string) => void, progress?: (read: number, total: number) => void): void {
  const { fd, size } = openFile(path);
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(CHUNK);
  let read = 0;
  let first = true;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      read += n;
      let text = decoder.write(buf.subarray(0, n));
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text) onText(text);
      progress?.(read, Math.max(read, size));
    }
    const rest = decoder.end();
    if (rest) onText(rest);
  } finally {
    closeSync(fd);
  }
}

/** The first `bytes` of a file, for detecting its format. */
export function head(path: string, bytes = 1024): Buffer {
  const { fd } = openFile(path);
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
