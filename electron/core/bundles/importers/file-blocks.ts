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

/**
 * A file front to back as UTF-8 text, block by block: a character split between two blocks is kept
 * whole, a leading byte-order mark dropped, a malformed sequence read as U+FFFD (the parser then
 * refuses what it cannot use, with its own words). TextDecoder, not StringDecoder: on the 97 MB
 * KeePass export of the benchmark it took 110–200 ms of CPU against 510–560 (Node 20,
 * docs/benchmark.md, "Decoding the text").
 */
export function* textBlocks(path: string): Generator<{ text: string; end: number; size: number }> {
  const decoder = new TextDecoder();
  let end = 0;
  let size = 0;
  for (const block of fileBlocks(path)) {
    ({ end, size } = block);
    yield { text: decoder.decode(block.bytes, { stream: true }), end, size };
  }
  const rest = decoder.decode();
  if (rest) yield { text: rest, end, size };
}

/** A text file for a parser that takes text as it comes; `progress` as each block is read. */
export function readText(path: string, onText: (text: string) => void, progress?: (read: number, total: number) => void): void {
  for (const { text, end, size } of textBlocks(path)) {
    if (text) onText(text);
    // A file that grew while it was read: its bar ends full, not past the end.
    progress?.(end, Math.max(end, size));
  }
}
