import { open, type FileHandle } from 'node:fs/promises';
import { CofferError } from '../../../../shared/errors';

const BLOCK_BYTES = 1024 * 1024;

export interface FileBlock {
  bytes: Buffer;
  /** Bytes of the file read once this block is taken: what a progress bar shows. */
  end: number;
  size: number;
}

/** A file front to back in 1 MiB blocks, so a parser holds one block and its own state, never the file. */
export async function* fileBlocks(path: string): AsyncGenerator<FileBlock> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new CofferError('NOT_FOUND', `cannot read ${path}`, 'file');
  }
  try {
    const size = (await handle.stat()).size;
    let end = 0;
    for (;;) {
      // Sized to what is left, so a small file costs no 1 MiB buffers.
      const bytes = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(size - end, 4096)));
      const got = await readBlock(handle, bytes, path);
      if (got === 0) return;
      end += got;
      yield { bytes: bytes.subarray(0, got), end, size };
    }
  } finally {
    await handle.close();
  }
}

/** A directory opens but fails on its first read: that is the caller's wrong path, not an internal error. */
async function readBlock(handle: FileHandle, into: Buffer, path: string): Promise<number> {
  try {
    return (await handle.read(into, 0, into.length, null)).bytesRead;
  } catch {
    throw new CofferError('VALIDATION', `cannot read ${path}`, 'file');
  }
}
