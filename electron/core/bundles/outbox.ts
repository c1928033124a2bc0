import { closeSync, openSync, rmSync } from 'node:fs';
import { writeParts } from '../chunks';
import { PrivateFiles } from './private-files';

/** A finished file waiting for its door: where the core wrote it and the name it is offered under. */
export interface OutboxFile {
  path: string;
  fileName: string;
}

/** How long an export nobody fetched waits before the next export clears it. */
const MAX_AGE_MS = 10 * 60_000;

/**
 * Files the app exported, waiting for the door to deliver them (trait `download`, shared/ipc.ts),
 * each taken once: encrypted bundles, and review reports, which name secrets but hold no value.
 */
export class Outbox extends PrivateFiles<OutboxFile> {
  constructor() {
    super('coffer-outbox-', MAX_AGE_MS);
  }

  /** The path a new bundle of this id is written to (the writer creates it, never overwriting). */
  bundlePath(id: string): string {
    return this.pathFor(`${id}.cofferbundle`);
  }

  /** Offers a written bundle under its id. */
  offer(id: string, fileName: string, now: number): void {
    this.keep(id, { path: this.bundlePath(id), fileName }, now);
  }

  /** Writes a text file of this id, owner-only, part by part as they come, and offers it; returns its size in bytes. */
  offerText(id: string, fileName: string, parts: Iterable<string>, now: number): number {
    const path = this.pathFor(`${id}.txt`);
    const fd = openSync(path, 'wx', 0o600);
    let bytes: number;
    try {
      bytes = writeParts(fd, parts);
    } finally {
      closeSync(fd);
    }
    this.keep(id, { path, fileName }, now);
    return bytes;
  }

  /** Deletes a file once its door delivered it. */
  static done(file: OutboxFile): void {
    rmSync(file.path, { force: true });
  }
}
