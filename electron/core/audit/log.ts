import { createHash } from 'node:crypto';
import type { Db } from '../db/connection';
import type { AuditRow, MetaRow } from '../db/rows';

/** What is audited (docs/product.md §8); values never appear, only who did what to which id, and when. */
export type AuditAction =
  | 'unlock'
  | 'unlock.failed'
  | 'password.change'
  | 'secret.register'
  | 'secret.import'
  | 'secret.get'
  | 'secret.reveal'
  | 'secret.copy'
  | 'secret.edit'
  | 'secret.restore'
  | 'secret.schedule'
  | 'secret.cancel'
  | 'secret.delete'
  | 'secret.purge'
  | 'member.add'
  | 'member.role'
  | 'member.remove'
  | 'team.add'
  | 'team.rename'
  | 'team.delete'
  | 'team.member.add'
  | 'team.member.remove'
  | 'workspace.add'
  | 'workspace.rename'
  | 'settings.update'
  | 'bundle.export'
  | 'bundle.import';

export type AuditEntry = Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'target'>;

const GENESIS = new Uint8Array(32);

/** The chained hash: SHA-256 over the previous hash and this entry's fields, unambiguously framed. */
export function entryHash(prev: Uint8Array, e: AuditEntry): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update(prev)
      .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target]))
      .digest(),
  );
}

/** Appends one entry inside the caller's transaction, so the action and its record commit together. */
export function appendAudit(db: Db, at: number, actor: string, action: AuditAction, target: string | null = null): void {
  if (db.readOnly) return;
  const last = db.query<Pick<AuditRow, 'seq' | 'hash'>>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
  const entry: AuditEntry = { seq: (last?.seq ?? 0) + 1, at, actor, action, target };
  const prev = last?.hash ?? GENESIS;
  const hash = entryHash(prev, entry);
  db.stmt('INSERT INTO audit (seq, at, actor, action, target, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(entry.seq, at, actor, action, target, prev, hash);
  // The head is kept beside the chain, so removing the newest entries is detected too.
  db.stmt("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
    `${entry.seq}:${Buffer.from(hash).toString('hex')}`,
  );
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  since?: number;
  until?: number;
  search?: string;
  limit?: number;
}

export function listAudit(db: Db, q: AuditQuery = {}): AuditEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const when = (test: unknown, sql: string, ...values: (string | number)[]) => {
    if (test === undefined || test === '') return;
    where.push(sql);
    args.push(...values);
  };
  const like = q.search === undefined ? '' : `%${q.search.replace(/[\\%_]/g, '\\$&')}%`;
  when(q.actor, 'actor = ? COLLATE NOCASE', q.actor ?? '');
  when(q.action, '(action = ? OR action LIKE ?)', q.action ?? '', `${q.action}.%`);
  when(q.since, 'at >= ?', q.since ?? 0);
  when(q.until, 'at < ?', q.until ?? 0);
  when(q.search, "(actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\')", like, like, like);
  const sql = `SELECT seq, at, actor, action, target FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return db.raw.prepare<unknown[], AuditEntry>(sql).all(...args, q.limit ?? 1000);
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

/** Walks the chain from the first entry: the first entry altered, removed or moved is named. */
export function verifyAudit(db: Db): AuditVerdict {
  const rows = db.query<AuditRow>('SELECT seq, at, actor, action, target, prev_hash, hash FROM audit ORDER BY seq').iterate();
  let prev: Uint8Array = GENESIS;
  let expected = 1;
  let count = 0;
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  for (const r of rows) {
    count++;
    if (r.seq !== expected) return { ok: false, entries: count, brokenAt: expected, reason: `entry ${expected} is missing` };
    if (!same(r.prev_hash, prev)) return { ok: false, entries: count, brokenAt: r.seq, reason: `entry ${r.seq} does not follow entry ${r.seq - 1}` };
    if (!same(r.hash, entryHash(prev, r))) return { ok: false, entries: count, brokenAt: r.seq, reason: `entry ${r.seq} was altered` };
    prev = r.hash;
    expected++;
  }
  const head = db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'audit_head'");
  const last = count === 0 ? undefined : `${count}:${Buffer.from(prev).toString('hex')}`;
  if (head !== last) return { ok: false, entries: count, brokenAt: count + 1, reason: `entries after ${count} were removed` };
  return { ok: true, entries: count };
}
