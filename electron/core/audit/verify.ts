import type { Db } from '../db/connection';
import type { Finding } from './breaks';
import { describeBreak, recordedBreaks } from './breaks';
import type { AuditKey, ChainRow, KeyedHead } from './chain';
import { GENESIS, ROW_COLUMNS, headVerifies, macLink, plainLink, readHead, rowAt, sameBytes } from './chain';
import { HEAD_REPLACED, hasKeyedEntries, inspectTail, keyedAfterHead, missing, removed } from './tail';

export type AuditVerdict =
  | { ok: true; entries: number; unauthenticated: number }
  | ({ ok: false; entries: number; unauthenticated: number } & Finding);

const otherKey = (head: KeyedHead, key: AuditKey): Finding => ({
  brokenAt: 1,
  reason:
    `no entry can be checked: the log is under version ${head.version} of the organization key and this session holds version ${key.version}` +
    (head.version > key.version ? ' (the key was rotated since this session unlocked: lock and unlock again)' : ' (it was not re-keyed when the key rotated)'),
});

/**
 * Walks the whole chain under the audit key and names the first entry altered, removed, reordered
 * or forged, entries removed from the end (through the head), and any break recorded earlier. The
 * earliest of these is the verdict. `unauthenticated` counts the entries written without a key.
 */
export function verifyAudit(db: Db, key: AuditKey): AuditVerdict {
  const entries = db.count('SELECT count(*) FROM audit');
  const unauthenticated = db.count("SELECT count(*) FROM audit WHERE origin <> 'session'");
  const head = readHead(db);
  if (head.kind === 'keyed' && head.version !== key.version) return { ok: false, entries, unauthenticated, ...otherKey(head, key) };

  const breaks = recordedBreaks(db, key);
  const found: Finding[] = breaks.map((b) => ({ brokenAt: b.brokenAt, reason: describeBreak(b) }));
  if (head.kind === 'keyed' && headVerifies(key, head) && head.broken > 0 && !breaks.some((b) => b.brokenAt === head.broken)) {
    found.push({ brokenAt: head.broken, reason: `a break was found at entry ${head.broken}, and its record was removed` });
  }
  const trusted = head.kind === 'keyed' ? headVerifies(key, head) : head.kind !== 'malformed' && !hasKeyedEntries(db);
  const walked = walk(db, key, !trusted ? undefined : head.kind === 'keyed' ? head.seq : 0);
  if (walked.problem) found.push(walked.problem);
  else {
    const headProblem = checkHead(db, key, walked);
    if (headProblem) found.push(headProblem);
  }
  // Ties go to a recorded break: it says who found it and when.
  const first = found.reduce<Finding | undefined>((a, f) => (!a || f.brokenAt < a.brokenAt ? f : a), undefined);
  return first ? { ok: false, entries, unauthenticated, ...first } : { ok: true, entries, unauthenticated };
}

interface Walked {
  problem?: Finding;
  last: number;
  lastVouched: number;
}

/**
 * Entries up to `split` (the head's entry) must verify under the MAC, those after it as written
 * without a key. With no trustworthy head (`undefined`) either is accepted, entry by entry.
 */
function walk(db: Db, key: AuditKey, split: number | undefined): Walked {
  let prev: Uint8Array = GENESIS;
  let expected = 1;
  let lastVouched = 0;
  for (const row of db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit ORDER BY seq`).iterate()) {
    const problem = (found: Finding) => ({ problem: found, last: expected - 1, lastVouched });
    if (row.seq !== expected) return problem({ brokenAt: expected, reason: missing(expected, row.seq - 1) });
    if (!sameBytes(row.prev_hash, prev)) return problem({ brokenAt: row.seq, reason: `entry ${row.seq} does not follow entry ${row.seq - 1}` });
    const vouched = sameBytes(row.hash, macLink(key.key, prev, row));
    const plain = !vouched && row.origin !== 'session' && sameBytes(row.hash, plainLink(prev, row));
    if (split !== undefined && row.seq > split && row.origin === 'session') return problem(keyedAfterHead(row.seq, split));
    const intact = split === undefined ? vouched || plain : row.seq <= split ? vouched : plain;
    if (!intact) return problem({ brokenAt: row.seq, reason: `entry ${row.seq} was altered` });
    if (vouched) lastVouched = row.seq;
    prev = row.hash;
    expected++;
  }
  return { last: expected - 1, lastVouched };
}

/** After a walk that found every entry in place: does the head name the end of the part under the MAC? */
function checkHead(db: Db, key: AuditKey, walked: Walked): Finding | undefined {
  const head = readHead(db);
  const after = walked.lastVouched + 1;
  if (head.kind === 'malformed') return { brokenAt: after, reason: 'the audit head was altered: it is not one Coffer writes' };
  if (head.kind !== 'keyed' && walked.lastVouched > 0) return { brokenAt: after, reason: HEAD_REPLACED };
  if (head.kind === 'none') return undefined;
  if (head.kind === 'keyed' && !headVerifies(key, head)) return { brokenAt: after, reason: 'the audit head was altered or forged' };
  // A verified head, or schema 2's, names an entry that must be there.
  if (head.seq > walked.last) return { brokenAt: walked.last + 1, reason: removed(walked.last + 1, head.seq, head.seq) };
  const named = head.seq === 0 ? undefined : rowAt(db, head.seq);
  if (named && !sameBytes(named.hash, head.link)) return { brokenAt: head.seq, reason: `entry ${head.seq} is not the entry the audit head names: it was replaced` };
  return undefined;
}

/**
 * What `app.status` and `coffer info` report, without walking the log: the end of the chain as an
 * append would find it, else the earliest break recorded. Without the key, only what anyone can check.
 */
export function auditProblem(db: Db, key?: AuditKey): Finding | undefined {
  const tail = inspectTail(db, key);
  if (tail.kind === 'other-key') return key && otherKey(tail.head, key);
  if (tail.kind === 'broken') return tail.finding;
  const first = recordedBreaks(db, key).reduce<ReturnType<typeof recordedBreaks>[number] | undefined>(
    (a, b) => (!a || b.brokenAt < a.brokenAt ? b : a),
    undefined,
  );
  return first && { brokenAt: first.brokenAt, reason: describeBreak(first) };
}
