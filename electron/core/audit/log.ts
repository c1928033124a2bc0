import type { Db } from '../db/connection';
import type { AuditRow } from '../db/rows';

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
  /** Values written in clear to a file (bundles/plain-export.ts). */
  | 'secret.export'
  | 'secret.edit'
  /** Who can read an organization secret changed: the entire organization, or which teams. */
  | 'secret.availability'
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
  | 'workspace.delete'
  | 'role.define'
  | 'role.update'
  | 'role.delete'
  | 'credential.create'
  | 'credential.teams'
  | 'credential.revoke'
  | 'account.create'
  | 'account.delete'
  | 'account.key.add'
  | 'account.key.renew'
  | 'account.key.delete'
  | 'settings.update'
  | 'bundle.export'
  | 'bundle.import'
  /** A KeePass, Bitwarden, 1Password or .env file imported; the target names the format and file. */
  | 'import.foreign'
  /** An Account Holder signed the roster of a vault made before it (vault/adoption.ts). */
  | 'roster.start'
  /** A member pinned the roster in their keys and vouched for the grants they hold. */
  | 'roster.adopt'
  /** Written by the session that found the chain broken, instead of healing it (audit/breaks.ts). */
  | 'audit.broken';

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
