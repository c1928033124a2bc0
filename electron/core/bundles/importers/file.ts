import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CofferError } from '../../../../shared/errors';

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
