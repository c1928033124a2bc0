import { closeSync, readSync } from 'node:fs';
import { CofferError } from '../../../../shared/errors';
import { openFile } from './file';

const BLOCK_BYTES = 1024 * 1024;

export interface FileBlock {
  bytes: Buffer;
  /** Bytes of the file read once this block is taken: what a progress bar shows. */
  end: number;
  size: number;
}

/**
 * A file front to back in 1 MiB blocks, so a parser holds one block and its own state, never the
 * file. Synchronous, so the import's one SQLite transaction (synchronous too) takes each entry as it
 * is read instead of waiting for the whole file's entries in memory.
 */
export function* fileBlocks(path: string): Generator<FileBlock> {
  const { fd, size } = openFile(path);
  try {
    let end = 0;
    for (;;) {
      // Sized to what is left, so a small file costs no 1 MiB buffers.
      const bytes = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(size - end, 4096)));
      const got = readBlock(fd, bytes, path);
      if (got === 0) return;
      end += got;
      yield { bytes: bytes.subarray(0, got), end, size };
    }
  } finally {
    closeSync(fd);
  }
}

function readBlock(fd: number, into: Buffer, path: string): number {
  try {
    return readSync(fd, into, 0, into.length, null);
  } catch {
    throw new CofferError('VALIDATION', `cannot read ${path}`, 'file');
  }
}
