import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file waiting to be imported: where the core keeps it and the name it came with. */
export interface InboxFile {
  path: string;
  fileName: string;
  bytes: number;
}

/** How long an upload nobody imported waits before the next upload clears it. */
const MAX_AGE_MS = 30 * 60_000;

/**
 * Files the Import screen uploaded, waiting to be inspected, previewed and imported: in a private
 * temp folder (owner-only, as mkdtemp makes it), each file written owner-only (0600) under an id
 * only the core names. A foreign file holds values in clear, so an upload lives no longer than it
 * must: it is deleted once imported or discarded, and everything left is deleted on lock and on close.
 */
export class Inbox {
  private dir: string | undefined;
  private readonly files = new Map<string, InboxFile & { at: number }>();

  /** Keeps the bytes under a new id; uploads older than half an hour are deleted. */
  put(id: string, fileName: string, bytes: Uint8Array, now: number): InboxFile {
    for (const [old, f] of this.files) if (now - f.at > MAX_AGE_MS || now < f.at) this.discard(old);
    this.dir ??= mkdtempSync(join(tmpdir(), 'coffer-inbox-'));
    const path = join(this.dir, `${id}.upload`);
    writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
    const file = { path, fileName, bytes: bytes.byteLength };
    this.files.set(id, { ...file, at: now });
    return file;
  }

  get(id: string): InboxFile | undefined {
    const f = this.files.get(id);
    return f && { path: f.path, fileName: f.fileName, bytes: f.bytes };
  }

  discard(id: string): void {
    const f = this.files.get(id);
    if (!f) return;
    this.files.delete(id);
    rmSync(f.path, { force: true });
  }

  /** Lock and close: every upload left is deleted, with the folder. */
  clear(): void {
    this.files.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  get size(): number {
    return this.files.size;
  }
}
