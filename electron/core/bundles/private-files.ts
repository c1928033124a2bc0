import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Files the core keeps for a moment between two calls of a door (the Export screen's bundles, the
 * Import screen's uploads): in a private temp folder (owner-only, as mkdtemp makes it), under ids
 * only the core names. A file older than `maxAgeMs` is deleted when the next one comes; every file
 * left is deleted, with the folder, on lock and on close (SECURITY.md).
 */
export class PrivateFiles<T extends { path: string }> {
  private dir: string | undefined;
  private readonly files = new Map<string, { file: T; at: number }>();

  constructor(
    private readonly prefix: string,
    private readonly maxAgeMs: number,
  ) {}

  /** Where a file of this name goes: the folder is made at the first one. */
  pathFor(name: string): string {
    this.dir ??= mkdtempSync(join(tmpdir(), this.prefix));
    return join(this.dir, name);
  }

  /** Keeps a file written at `file.path` under `id`; files past their age are deleted first. */
  keep(id: string, file: T, now: number): void {
    for (const [old, f] of this.files) if (now - f.at > this.maxAgeMs || now < f.at) this.discard(old);
    this.files.set(id, { file, at: now });
  }

  get(id: string): T | undefined {
    return this.files.get(id)?.file;
  }

  /** The file of this id, once: it leaves the folder's list, and the caller deletes it when done. */
  take(id: string): T | undefined {
    const file = this.get(id);
    this.files.delete(id);
    return file;
  }

  discard(id: string): void {
    const file = this.take(id);
    if (file) rmSync(file.path, { force: true });
  }

  clear(): void {
    this.files.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  get size(): number {
    return this.files.size;
  }
}
