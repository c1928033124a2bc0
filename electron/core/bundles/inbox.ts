import { writeFileSync } from 'node:fs';
import { PrivateFiles } from './private-files';

/** A file waiting to be imported: where the core keeps it and the name it came with. */
export interface InboxFile {
  path: string;
  fileName: string;
  bytes: number;
}

/** How long an upload nobody imported waits before the next upload clears it. */
const MAX_AGE_MS = 30 * 60_000;

/**
 * Files the Import screen uploaded, waiting to be inspected, previewed and imported, each written
 * owner-only (0600). A foreign file holds values in clear, so an upload lives no longer than it
 * must: it is deleted once imported or discarded.
 */
export class Inbox extends PrivateFiles<InboxFile> {
  constructor() {
    super('coffer-inbox-', MAX_AGE_MS);
  }

  /** Keeps the bytes under a new id. */
  put(id: string, fileName: string, bytes: Uint8Array, now: number): InboxFile {
    const path = this.pathFor(`${id}.upload`);
    writeFileSync(path, bytes, { mode: 0o600, flag: 'wx' });
    const file = { path, fileName, bytes: bytes.byteLength };
    this.keep(id, file, now);
    return file;
  }
}
