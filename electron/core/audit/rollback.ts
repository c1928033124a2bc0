import type { Db } from '../db/connection';
import type { AuditKey } from './chain';
import { claimedSeq, headVerifies, readHead, rowAt } from './chain';
import type { AuditHeadStore, SeenHead } from './head-store';
import type { AuditVerdict } from './verify';

/** A vault whose log went back: `seen` is the last entry this app had seen, `now` the file's head. */
export interface Rollback {
  seen: number;
  now: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Whether the vault's head is older than the one seen: a lower number, an older organization key,
 * or the entry seen no longer the same (the file was set back and written to since). Entries under
 * the MAC never change while the key version stays, so the seen entry's link must still be there.
 */
export function rolledBack(db: Db, seen: SeenHead): Rollback | undefined {
  const head = readHead(db);
  const now = { seq: claimedSeq(head), version: head.kind === 'keyed' ? head.version : 0 };
  if (now.version < seen.version || now.seq < seen.seq) return { seen: seen.seq, now: now.seq };
  if (now.version === seen.version) {
    // A missing entry under a head that still names it is the chain's own finding, not a rollback.
    const row = rowAt(db, seen.seq);
    if (row && hex(row.hash) !== seen.link) return { seen: seen.seq, now: now.seq };
  }
  return undefined;
}

/** The head as the key verifies it: only a verified head is remembered, so a forged one cannot raise the bar. */
export function verifiedHead(db: Db, key: AuditKey): SeenHead | undefined {
  const head = readHead(db);
  return head.kind === 'keyed' && headVerifies(key, head) ? { seq: head.seq, version: head.version, link: hex(head.link) } : undefined;
}

/**
 * What a door remembers of the vault it holds: each look compares the vault's head with the one
 * seen before and, given the key, remembers the verified head. A rollback, once seen, is reported
 * until the door lets the vault go; the head then remembered is the file's, so the next run of the
 * app does not report the same rollback again (SECURITY.md says what that leaves).
 */
export class RollbackWatch {
  private found: Rollback | undefined;

  constructor(private readonly store: AuditHeadStore | undefined) {}

  look(vaultId: string, db: Db, key?: AuditKey): Rollback | undefined {
    if (!this.store) return undefined;
    const seen = this.store.seen(vaultId);
    const now = seen && rolledBack(db, seen);
    this.found ??= now;
    const head = key && verifiedHead(db, key);
    if (head && (!seen || now || head.seq > seen.seq || head.version > seen.version)) this.store.remember(vaultId, head);
    return this.found;
  }

  forget(): void {
    this.found = undefined;
  }
}

export function describeRollback(r: Rollback): string {
  return r.now < r.seen
    ? `the vault went back to an older copy of itself: this computer saw its audit log reach entry ${r.seen}, the file's ends at entry ${r.now}`
    : `the vault was replaced by an older copy of itself and written to since: entry ${r.seen} of its audit log is no longer the one this computer saw`;
}

/** A consistent older copy verifies by itself: only what the door remembers shows entries lost that way. */
export function withRollback(verdict: AuditVerdict, r: Rollback | undefined): AuditVerdict {
  if (!r) return verdict;
  const brokenAt = Math.min(r.now + 1, r.seen);
  if (!verdict.ok && verdict.brokenAt <= brokenAt) return verdict;
  return { ok: false, entries: verdict.entries, unauthenticated: verdict.unauthenticated, brokenAt, reason: describeRollback(r) };
}
