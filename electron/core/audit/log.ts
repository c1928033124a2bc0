import type { Db } from '../db/connection';
import type { AuditRow } from '../db/rows';

export type { AuditAction } from '../../../shared/audit-actions';

export type AuditEntry = Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'origin'>;

// The write path, where every caller has always imported it from.
export { appendAudit } from './append';

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
  const sql = `SELECT seq, at, actor, action, target, origin FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return db.raw.prepare<unknown[], AuditEntry>(sql).all(...args, q.limit ?? 1000);
}
