import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ErrorCode } from '../../shared/errors';
import { CofferError } from '../../shared/errors';

const MiB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes / 1024} KiB`);

function openForReading(path: string, field: string, missing: ErrorCode): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CofferError(missing, `no such file: ${path}`, field);
    if (code === 'EISDIR') throw new CofferError('VALIDATION', `${path} is a folder, not a file`, field);
    throw new CofferError('VALIDATION', `cannot read ${path} (${code})`, field);
  }
}

/**
 * A file the command line takes as input, at most `maxBytes`. It is read up to one byte past the
 * limit and refused there, never read on, so `/dev/zero`, a FIFO that never closes or a huge file
 * costs no more than the limit. A folder is a VALIDATION error on `field`, not EISDIR; a missing
 * file is `missing` (the field flags of `secret add` have always called it VALIDATION).
 */
export function readInputFile(path: string, maxBytes: number, field: string, missing: ErrorCode = 'NOT_FOUND'): Buffer {
  const fd = openForReading(path, field, missing);
  try {
    if (fstatSync(fd).isDirectory()) throw new CofferError('VALIDATION', `${path} is a folder, not a file`, field);
    const buf = Buffer.alloc(maxBytes + 1);
    let size = 0;
    for (;;) {
      const got = readSync(fd, buf, size, buf.length - size, null);
      if (got === 0) return buf.subarray(0, size);
      size += got;
      if (size > maxBytes) throw new CofferError('VALIDATION', `${path} is larger than ${sizeText(maxBytes)}`, field);
    }
  } catch (e) {
    if (e instanceof CofferError) throw e;
    throw new CofferError('VALIDATION', `cannot read ${path} (${(e as NodeJS.ErrnoException).code})`, field);
  } finally {
    closeSync(fd);
  }
}

/** A folder given where a file is read: refused as VALIDATION on `field` before the reader trips on EISDIR. */
export function refuseFolder(path: string, field: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new CofferError('VALIDATION', `${path} is a folder, not a file`, field);
}
