import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A finished file waiting for its door: where the core wrote it and the name it is offered under. */
export interface OutboxFile {
  path: string;
  fileName: string;
}

/** How long an export nobody fetched waits before the next export clears it. */
const MAX_AGE_MS = 10 * 60_000;

/**
 * Bundles the app exported, waiting for the door to deliver them (trait `download`, shared/ipc.ts):
 * in a private temp folder (owner-only, as mkdtemp makes it) that only the core names. Each file is
 * taken once; whatever is left is deleted on lock and on close. The files are encrypted bundles:
 * no value is in them in clear.
 */
export class Outbox {
  private dir: string | undefined;
  private readonly files = new Map<string, OutboxFile & { at: number }>();

  /** The path a new file of this id is written to (the writer creates it, never overwriting). */
  pathFor(id: string): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'coffer-outbox-'));
    return join(this.dir, `${id}.cofferbundle`);
  }

  /** Offers a written file under its id; older files nobody fetched are deleted. */
  offer(id: string, fileName: string, now: number): void {
    for (const [old, f] of this.files) if (now - f.at > MAX_AGE_MS || now < f.at) this.discard(old);
    this.files.set(id, { path: this.pathFor(id), fileName, at: now });
  }

  /** The file of this id, once: it leaves the outbox, and the caller deletes it (done) after delivering it. */
  take(id: string): OutboxFile | undefined {
    const f = this.files.get(id);
    if (!f) return undefined;
    this.files.delete(id);
    return { path: f.path, fileName: f.fileName };
  }

  discard(id: string): void {
    const f = this.take(id);
    if (f) Outbox.done(f);
  }

  /** Lock and close: every file left is deleted, with the folder. */
  clear(): void {
    this.files.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  get size(): number {
    return this.files.size;
  }

  static done(file: OutboxFile): void {
    rmSync(file.path, { force: true });
  }
}
