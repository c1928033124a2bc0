import { DiskFullError } from '../db/connection';
import type { Session } from '../vault/session';

/**
 * Runs a read that records its use (usage row, audit entry) in one write transaction. When the disk
 * is full, the same read runs again without recording, in a read transaction: a full disk must not
 * lock anyone out of their secrets (docs/product.md §10). The session counts those reads so that
 * the door says they were not recorded. A read-only vault never records.
 */
export function readRecording<T>(s: Session, read: (record: boolean) => T): T {
  if (s.vault.readOnly || s.notRecording) return s.db.read(() => read(false));
  try {
    return s.db.write(() => read(true));
  } catch (e) {
    // Inside another recording read: that one, the outermost, reads again.
    if (!(e instanceof DiskFullError) || s.db.raw.inTransaction) throw e;
  }
  s.unrecordedReads++;
  s.notRecording = true;
  try {
    return s.db.read(() => read(false));
  } finally {
    s.notRecording = false;
  }
}
