import type { Db } from '../db/connection';
import type { AuditKey, ChainRow } from './chain';
import { ROW_COLUMNS, macLink, sameBytes } from './chain';

/** What was found wrong with the chain: the first entry affected, and how. */
export interface Finding {
  brokenAt: number;
  reason: string;
}

/**
 * A break found by an unlocked session is recorded in the chain itself, as an `audit.broken` entry
 * under the MAC, instead of being healed by the append that found it: from then on the chain
 * verifies again, and every check names this record (docs/product.md §8).
 */
export const BREAK_ACTION = 'audit.broken';

export interface RecordedBreak extends Finding {
  seq: number;
  at: number;
  actor: string;
}

export const breakTarget = (f: Finding): string => `entry ${f.brokenAt}: ${f.reason}`;

const TARGET = /^entry (\d{1,15}): (.+)$/s;

/**
 * The breaks recorded by sessions, oldest first (read through a partial index). With the key, a
 * record whose own MAC fails is not one: a writer without the key cannot raise a false alarm in a
 * member's words. Without it (status while locked) the records are taken as the file states them.
 */
export function recordedBreaks(db: Db, key?: AuditKey): RecordedBreak[] {
  const rows = db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit WHERE action = '${BREAK_ACTION}' AND origin = 'session' ORDER BY seq`).all();
  const found: RecordedBreak[] = [];
  for (const r of rows) {
    if (key && !sameBytes(r.hash, macLink(key.key, r.prev_hash, r))) continue;
    const m = TARGET.exec(r.target ?? '');
    if (m) found.push({ seq: r.seq, at: r.at, actor: r.actor, brokenAt: Number(m[1]), reason: m[2]! });
  }
  return found;
}

/** The earliest entry any record names; the keyed head keeps it, so removing the record shows. */
export function earliestBreak(breaks: readonly RecordedBreak[]): number {
  return breaks.reduce((min, b) => (min === 0 || b.brokenAt < min ? b.brokenAt : min), 0);
}

export function describeBreak(b: RecordedBreak): string {
  return `${b.reason} (found by ${b.actor} on ${new Date(b.at).toISOString().slice(0, 16).replace('T', ' ')} UTC, recorded as entry ${b.seq})`;
}
