import { writeSync } from 'node:fs';

/** Big enough that a write is rarely a system call per row; small enough that no part of a report is held whole. */
const COALESCE_CHARS = 1 << 16;

/**
 * Text made of many small parts, handed on in pieces of about 64 KiB. A report of 100,000 rows
 * made as one string spent most of its time in garbage collection and in flattening that string
 * for the write; written in pieces it takes a fraction of the time and memory (docs/benchmark.md).
 */
export function* coalesced(parts: Iterable<string>): Generator<string> {
  let pending = '';
  for (const part of parts) {
    pending += part;
    if (pending.length >= COALESCE_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (pending.length > 0) yield pending;
}

/** Writes the parts to a file descriptor of a regular file as they come; returns the bytes written. */
export function writeParts(fd: number, parts: Iterable<string>): number {
  let bytes = 0;
  for (const piece of coalesced(parts)) {
    const buf = Buffer.from(piece, 'utf8');
    // A write may take only part of a buffer.
    for (let done = 0; done < buf.length; ) done += writeSync(fd, buf, done);
    bytes += buf.length;
  }
  return bytes;
}
