import type { Db } from '../db/connection';
import type { AuditRow } from '../db/rows';

export type { AuditAction } from '../../../shared/audit-actions';

export type AuditEntry = Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'origin'>;

// The write path, where every caller has always imported it from.
export { appendAudit } from './append';

export interface AuditQuery {
  actor?: string;
  /** An action, or a prefix of them (`secret` for every `secret.*`). */
  action?: string;
  /** Any of these actions or prefixes: a category of the app's that spans several. */
  actions?: string[];
  since?: number;
  until?: number;
  search?: string;
  limit?: number;
}

/**
 * Entries newest first. `namedTargets` are the ids the search text names (secrets whose name the
 * reader knows contains it, audit/access.ts): an entry about one of them matches as if its target did.
 */
export function listAudit(db: Db, q: AuditQuery = {}, namedTargets: readonly string[] = []): AuditEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const when = (test: unknown, sql: string, ...values: (string | number)[]) => {
    if (test === undefined || test === '') return;
    where.push(sql);
    args.push(...values);
  };
  const like = q.search === undefined ? '' : `%${q.search.replace(/[\\%_]/g, '\\$&')}%`;
  const named = namedTargetsClause(db, namedTargets);
  const anyAction = (q.actions ?? []).filter((a) => a !== '');
  when(q.actor, 'actor = ? COLLATE NOCASE', q.actor ?? '');
  when(q.action, '(action = ? OR action LIKE ?)', q.action ?? '', `${q.action}.%`);
  when(anyAction.length || undefined, `(${anyAction.map(() => '(action = ? OR action LIKE ?)').join(' OR ')})`, ...anyAction.flatMap((a) => [a, `${a}.%`]));
  when(q.since, 'at >= ?', q.since ?? 0);
  when(q.until, 'at < ?', q.until ?? 0);
  when(
    q.search,
    `(actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\' OR target LIKE ? ESCAPE '\\'${named.sql})`,
    like,
    like,
    like,
    ...named.args,
  );
  const sql = `SELECT seq, at, actor, action, target, origin FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return db.raw.prepare<unknown[], AuditEntry>(sql).all(...args, q.limit ?? 1000);
}

/**
 * A few ids are one `IN` over a list SQLite indexes once per query; a broad search (a letter
 * matches most names) is a set the rows are checked against instead, since indexing 100,000 ids
 * costs SQLite ~0.2 s where the check costs a function call per entry scanned.
 */
const IN_LIST_MAX = 1000;

function namedTargetsClause(db: Db, ids: readonly string[]): { sql: string; args: string[] } {
  if (ids.length === 0) return { sql: '', args: [] };
  if (ids.length <= IN_LIST_MAX) return { sql: ' OR target IN (SELECT value FROM json_each(?))', args: [JSON.stringify(ids)] };
  const set = new Set(ids);
  db.raw.function('coffer_named_target', (target: unknown) => (typeof target === 'string' && set.has(target) ? 1 : 0));
  return { sql: ' OR coffer_named_target(target)', args: [] };
}
