import type { Db } from '../db/connection';
import type { AuditAction } from './log';
import { BREAK_ACTION, breakTarget, earliestBreak, recordedBreaks } from './breaks';
import type { AuditKey, ChainFields, ChainRow } from './chain';
import { GENESIS, claimedSeq, insertRow, lastRow, macLink, plainLink, readHead, relink, sameBytes, storedHead, writeHead } from './chain';
import { inspectTail } from './tail';

/**
 * Appends one entry inside the caller's transaction, so the action and its record commit together.
 * With the audit key, the end of the chain is checked first: entries written since without a key
 * are adopted under the MAC, and anything else found wrong (entries removed, altered, reordered,
 * the head set back or forged) is recorded as an `audit.broken` entry before this one. The action
 * goes on either way: a member must still reach their secrets after someone cut the log, and the
 * record keeps the break visible to every later check (docs/product.md §8). Without the key (a
 * failed unlock, a pass while locked) the entry is chained by a plain hash, for the next session.
 */
export function appendAudit(db: Db, at: number, actor: string, action: AuditAction, target: string | null = null, key?: AuditKey): void {
  if (db.readOnly) return;
  if (!key) return appendUnkeyed(db, { at, actor, action, target });
  const known = keyedEndOfThisTransaction(db, key);
  if (known) return appendAfter(db, key, known, known.broken, { at, actor, action, target });
  const tail = inspectTail(db, key);
  // A head under another organization key version: this session's key was replaced (another
  // process rotated it) or the log was not re-keyed. It can vouch for nothing; the next can.
  if (tail.kind === 'other-key') return appendUnkeyed(db, { at, actor, action, target });
  let end: { seq: number; link: Uint8Array };
  if (tail.kind === 'intact') {
    end = adopt(db, key, tail.adoptFrom, tail.prev);
  } else {
    const last = lastRow(db);
    const converted = tail.convert ? adopt(db, key, 1, GENESIS) : undefined;
    const after = { seq: Math.max(last?.seq ?? 0, claimedSeq(tail.head)), link: converted?.link ?? last?.hash ?? GENESIS };
    end = appendKeyed(db, key, after, { at, actor, action: BREAK_ACTION, target: breakTarget(tail.finding) });
  }
  appendAfter(db, key, end, earliestBreak(recordedBreaks(db, key)), { at, actor, action, target });
}

/**
 * The end of the chain an append of this same transaction left, when nothing has moved it since:
 * the head is still the one that append wrote and no entry follows it. Then the checks of
 * `inspectTail` already hold (no other connection can write inside this transaction), and a burst
 * of appends, such as the REST reads committed together, checks the tail once instead of each time.
 * A savepoint rolled back since sets the head back, which this sees.
 */
interface KnownEnd {
  transaction: number;
  key: AuditKey;
  head: string;
  seq: number;
  link: Uint8Array;
  broken: number;
}

const knownEnds = new WeakMap<Db, KnownEnd>();

function keyedEndOfThisTransaction(db: Db, key: AuditKey): KnownEnd | undefined {
  const known = knownEnds.get(db);
  if (!known || !db.raw.inTransaction || known.transaction !== db.transactions) return undefined;
  if (known.key.version !== key.version || !sameBytes(known.key.key, key.key)) return undefined;
  if (storedHead(db) !== known.head || lastRow(db)?.seq !== known.seq) return undefined;
  return known;
}

function appendAfter(db: Db, key: AuditKey, after: { seq: number; link: Uint8Array }, broken: number, e: NewEntry): void {
  const end = appendKeyed(db, key, after, e);
  const head = writeHead(db, key, { ...end, broken });
  knownEnds.set(db, { transaction: db.transactions, key, head, ...end, broken });
}

type NewEntry = Pick<ChainFields, 'at' | 'actor' | 'action' | 'target'>;

function appendKeyed(db: Db, key: AuditKey, after: { seq: number; link: Uint8Array }, e: NewEntry): { seq: number; link: Uint8Array } {
  const entry: ChainFields = { ...e, seq: after.seq + 1, origin: 'session' };
  const link = macLink(key.key, after.link, entry);
  insertRow(db, entry, after.link, link);
  return { seq: entry.seq, link };
}

/** Numbered after the head too, so that an entry never takes the number of one that was removed. */
function appendUnkeyed(db: Db, e: NewEntry): void {
  const last = lastRow(db);
  const prev = last?.hash ?? GENESIS;
  const entry: ChainFields = { ...e, seq: Math.max(last?.seq ?? 0, claimedSeq(readHead(db))) + 1, origin: 'locked' };
  insertRow(db, entry, prev, plainLink(prev, entry));
}

const PAGE = 1000;

/** Re-links the entries from `from` on under the MAC, keeping what they say and their origin. */
function adopt(db: Db, key: AuditKey, from: number, prev: Uint8Array): { seq: number; link: Uint8Array } {
  let end = { seq: from - 1, link: prev };
  for (;;) {
    const page = db
      .query<ChainRow>('SELECT seq, at, actor, action, target, origin, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(end.seq, PAGE);
    for (const row of page) {
      const link = macLink(key.key, end.link, row);
      relink(db, row.seq, end.link, link);
      end = { seq: row.seq, link };
    }
    if (page.length < PAGE) return end;
  }
}
