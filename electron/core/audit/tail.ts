import type { Db } from '../db/connection';
import type { Finding } from './breaks';
import { earliestBreak, recordedBreaks } from './breaks';
import type { AuditKey, ChainRow, Head, KeyedHead } from './chain';
import { GENESIS, headVerifies, macLink, plainLink, readHead, rowAt, rowsFrom, sameBytes } from './chain';

/**
 * What an append finds at the end of the chain before it writes, without walking the whole log:
 * the head, the entry it names, and the entries written after it without a key.
 *
 * - `intact`: the entries from `adoptFrom` on were written without a key and check out; the next
 *   session adopts them under the MAC, chained onto `prev`.
 * - `broken`: what was found; the append records it instead of healing it. `convert`: the log was
 *   never keyed (schema 2 and 3); it is adopted whole all the same, the record placed after it.
 * - `other-key`: the head is under another version of the organization key than the one held.
 */
export type TailState =
  | { kind: 'intact'; head: Head; adoptFrom: number; prev: Uint8Array }
  | { kind: 'broken'; head: Head; finding: Finding; convert?: true }
  | { kind: 'other-key'; head: KeyedHead };

const broken = (head: Head, brokenAt: number, reason: string): TailState => ({ kind: 'broken', head, finding: { brokenAt, reason } });

/**
 * Without `key` (status while locked) no MAC is checked and a log not keyed yet is not walked: what
 * remains is what anyone could check, enough to see entries removed from the end.
 */
export function inspectTail(db: Db, key?: AuditKey): TailState {
  const head = readHead(db);
  switch (head.kind) {
    case 'malformed':
      return broken(head, afterLastVouched(db, key), 'the audit head was altered: it is not one Coffer writes');
    case 'keyed': {
      if (key && head.version !== key.version) return { kind: 'other-key', head };
      if (key && !headVerifies(key, head)) return broken(head, afterLastVouched(db, key), 'the audit head was altered or forged');
      const named = checkNamed(db, head, (row) => !key || sameBytes(row.hash, macLink(key.key, row.prev_hash, row)));
      return named ?? checkBreakRecord(db, head, key) ?? checkUnvouched(db, head, head.seq, head.link);
    }
    case 'legacy': {
      if (hasKeyedEntries(db)) return broken(head, afterLastVouched(db, key), HEAD_REPLACED);
      const named = checkNamed(db, head, (row) => sameBytes(row.hash, plainLink(row.prev_hash, row)));
      // Adopted whole at the first keyed append, so every entry is checked first, as schema 2 did.
      return unkeyedLog(named ?? (key ? checkUnvouched(db, head, 0, GENESIS) : checkUnvouched(db, head, head.seq, head.link)));
    }
    case 'none':
      if (hasKeyedEntries(db)) return broken(head, afterLastVouched(db, key), HEAD_REPLACED);
      return unkeyedLog(checkUnvouched(db, head, 0, GENESIS));
  }
}

/** A log never keyed is converted even when broken: the break is recorded after it (product.md §8). */
const unkeyedLog = (state: TailState): TailState => (state.kind === 'broken' ? { ...state, convert: true } : state);

export const HEAD_REPLACED = 'the audit head was removed, or replaced by one of the unkeyed kind';

/** Entries under the key need a keyed head: without one, the head was removed or downgraded. */
export const hasKeyedEntries = (db: Db): boolean => db.stmt("SELECT 1 FROM audit WHERE origin = 'session' LIMIT 1").get() !== undefined;

/** The entry the head names exists, is the one it names, and verifies by itself. */
function checkNamed(db: Db, head: Head & { seq: number; link: Uint8Array }, verifies: (row: ChainRow) => boolean): TailState | undefined {
  if (head.seq === 0) return undefined;
  const row = rowAt(db, head.seq);
  if (!row) {
    const before = db.value<number>('SELECT max(seq) FROM audit WHERE seq < ?', head.seq) ?? 0;
    return broken(head, before + 1, removed(before + 1, head.seq, head.seq));
  }
  if (!sameBytes(row.hash, head.link)) return broken(head, head.seq, `entry ${head.seq} is not the entry the audit head names: it was replaced`);
  if (!verifies(row)) return broken(head, head.seq, `entry ${head.seq} was altered`);
  return undefined;
}

/** The break the head says was recorded is still recorded: removing the record is a break too. */
function checkBreakRecord(db: Db, head: KeyedHead, key: AuditKey | undefined): TailState | undefined {
  if (head.broken === 0 || earliestBreak(recordedBreaks(db, key)) === head.broken) return undefined;
  return broken(head, head.broken, `the record of the break found at entry ${head.broken} was removed`);
}

/** The entries after `seq`, written without a key: contiguous, chained, each link as anyone would compute it. */
function checkUnvouched(db: Db, head: Head, seq: number, link: Uint8Array): TailState {
  let expected = seq + 1;
  let prev = link;
  for (const row of rowsFrom(db, expected)) {
    const found = unvouchedProblem(row, expected, prev, seq);
    if (found) return broken(head, found.brokenAt, found.reason);
    prev = row.hash;
    expected++;
  }
  return { kind: 'intact', head, adoptFrom: seq + 1, prev: link };
}

/** What is wrong with an entry written without a key, after the entry numbered `headSeq`, if anything. */
function unvouchedProblem(row: ChainRow, expected: number, prev: Uint8Array, headSeq: number): Finding | undefined {
  if (row.seq !== expected) return { brokenAt: expected, reason: missing(expected, row.seq - 1) };
  if (row.origin === 'session') return keyedAfterHead(row.seq, headSeq);
  if (!sameBytes(row.prev_hash, prev)) return { brokenAt: row.seq, reason: `entry ${row.seq} does not follow entry ${row.seq - 1}` };
  if (!sameBytes(row.hash, plainLink(prev, row))) return { brokenAt: row.seq, reason: `entry ${row.seq} was altered` };
  return undefined;
}

/** An entry written under the key after the head's: only a head set back (or removed) leaves one there. */
export function keyedAfterHead(seq: number, headSeq: number): Finding {
  return headSeq === 0
    ? { brokenAt: seq, reason: `entry ${seq} was written under the key, yet the log has no keyed head: the head was removed or replaced` }
    : { brokenAt: seq, reason: `entry ${seq} was written under the key after the entry the audit head names (${headSeq}): the head was set back to an older copy` };
}

export const missing = (from: number, to: number): string => (from === to ? `entry ${from} is missing` : `entries ${from} to ${to} are missing`);

export const removed = (from: number, to: number, headSeq: number): string =>
  `${from === to ? `entry ${from} was removed` : `entries ${from} to ${to} were removed`} (the audit head names entry ${headSeq})`;

/** Where a log whose head cannot be trusted stops being vouched for: after its last entry whose MAC verifies. */
function afterLastVouched(db: Db, key: AuditKey | undefined): number {
  const verifies = (row: ChainRow) => (key ? sameBytes(row.hash, macLink(key.key, row.prev_hash, row)) : row.origin === 'session');
  const rows = db.query<ChainRow>('SELECT seq, at, actor, action, target, origin, prev_hash, hash FROM audit ORDER BY seq DESC').iterate();
  for (const row of rows) {
    if (verifies(row)) return row.seq + 1;
  }
  return 1;
}
