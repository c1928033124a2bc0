import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CofferError } from '../../shared/errors';
import { writeParts } from '../core/chunks';

/** Refuses an existing `path` before any work is done (`--force` not given), so that nothing is read for nothing. */
export function checkFree(path: string, field: string): void {
  if (existsSync(path)) throw new CofferError('CONFLICT', `${path} already exists (--force replaces it)`, field);
}

/**
 * Writes the text made of `parts` to `path` as they come, readable by its owner only (0600), all at once: a temp file in the same
 * folder, created 0600, then put in place. Readers never see half a file, and a replaced file
 * takes the temp file's mode rather than keeping its own. Without `replace`, the temp file is
 * linked in place, which fails on a file that appeared since `checkFree`; with it, renamed over.
 */
export function writePrivateFile(path: string, parts: Iterable<string>, opts: { replace: boolean; field: string }): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (e) {
    throw new CofferError('VALIDATION', `cannot create a file in ${dirname(path)} (${(e as NodeJS.ErrnoException).code})`, opts.field);
  }
  try {
    try {
      writeParts(fd, parts);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (opts.replace) renameSync(temp, path);
    else linkSync(temp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CofferError('CONFLICT', `${path} already exists (--force replaces it)`, opts.field);
    throw new CofferError('VALIDATION', `cannot write ${path} (${code})`, opts.field);
  } finally {
    rmSync(temp, { force: true });
  }
}
