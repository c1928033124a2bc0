import type { Notice } from '../../../shared/schemas/lifecycle';
import type { NoticeRow, Nullable, SecretRow } from '../db/rows';
import { SecretIndex } from '../secrets/secret-index';
import type { Session } from '../vault/session';

/**
 * Notices this member may see: those of secrets they can read, and of purged secrets whose home
 * scope they hold. Names come from the in-memory index; a purged secret's name is gone with it.
 */
export function listNotices(s: Session, opts: { all?: boolean } = {}): Notice[] {
  s.assertUnlocked();
  const index = SecretIndex.of(s);
  const rows = s.db
    .query<NoticeRow & Nullable<Pick<SecretRow, 'seq'>>>(
      `SELECT n.*, s.seq FROM notices n LEFT JOIN secrets s ON s.id = n.secret_id ${opts.all ? '' : 'WHERE n.read_at IS NULL'} ORDER BY n.created_at DESC, n.id DESC LIMIT 1000`,
    )
    .all();
  return rows.flatMap((r) => {
    if (!seesNotice(s, index, r.scope_id, r.seq)) return [];
    const summary = r.seq === null ? undefined : index.get(r.seq);
    const purged = r.seq === null;
    return [
      {
        id: r.id,
        secretId: r.secret_id,
        name: summary?.name ?? null,
        level: summary?.level ?? null,
        workspace: summary?.workspace ?? null,
        kind: r.kind,
        daysBefore: r.days_before,
        dueAt: r.due_at,
        createdAt: r.created_at,
        read: r.read_at !== null,
        gone: purged,
      },
    ];
  });
}

/**
 * How many unread notices this member may see, by the rule listNotices applies, counted over all of
 * them: the list stops at 1,000, and a count taken from it said 1,000 of 13,216 at 100,000 secrets.
 */
export function unreadNoticeCount(s: Session): number {
  s.assertUnlocked();
  const index = SecretIndex.of(s);
  const rows = s.db
    .tuples<[NoticeRow['scope_id'], SecretRow['seq'] | null]>('SELECT n.scope_id, s.seq FROM notices n LEFT JOIN secrets s ON s.id = n.secret_id WHERE n.read_at IS NULL')
    .all();
  let unread = 0;
  for (const [scope, seq] of rows) if (seesNotice(s, index, scope, seq)) unread++;
  return unread;
}

/** A notice of a secret this member reads, or of a purged secret (no listing number) whose home scope they hold. */
function seesNotice(s: Session, index: SecretIndex, scopeId: string, seq: number | null): boolean {
  return seq === null ? s.canRead(scopeId) : index.holds(seq);
}

/** Marks the given notices (or every visible one) read. */
export function markNoticesRead(s: Session, ids?: number[]): number {
  const visible = listNotices(s).map((n) => n.id);
  const chosen = ids ? visible.filter((id) => ids.includes(id)) : visible;
  const now = s.ctx.clock.now();
  s.db.write(() => {
    const mark = s.db.stmt('UPDATE notices SET read_at = ? WHERE id = ?');
    for (const id of chosen) mark.run(now, id);
  });
  return chosen.length;
}
