import { CofferError } from '../../../shared/errors';
import type { AuditQuery, AuditEntry } from './log';
import { listAudit } from './log';
import type { AuditVerdict } from './verify';
import { verifyAudit } from './verify';
import { SecretIndex } from '../secrets/secret-index';
import type { Session } from '../vault/session';

/** An entry with its target as people know it: a secret's name, where the reader can read that secret. */
export type NamedAuditEntry = AuditEntry & { targetName?: string };

/**
 * The audit log through the permission table (Account Holder, Sys Admin and Account Manager read
 * it). The log names secrets by id (a name is a secret too); each is named here from the reader's
 * listing index, so a secret they cannot read stays an id. Other targets are names already.
 */
export function readAudit(s: Session, q: AuditQuery = {}): NamedAuditEntry[] {
  s.authorize('audit.read');
  const entries = listAudit(s.db, q);
  if (!entries.some((e) => e.action.startsWith('secret.') && e.target)) return entries;
  const index = SecretIndex.of(s);
  const seqOf = s.db.query<{ seq: number }>('SELECT seq FROM secrets WHERE id = ?');
  return entries.map((e) => {
    if (!e.action.startsWith('secret.') || !e.target) return e;
    const seq = seqOf.get(e.target)?.seq;
    const name = seq === undefined ? undefined : index.get(seq)?.name;
    return name === undefined ? e : { ...e, targetName: name };
  });
}

export function verifyAuditFor(s: Session): AuditVerdict {
  s.authorize('audit.read');
  const key = s.auditKey();
  if (!key) throw new CofferError('FORBIDDEN', 'checking the audit log needs the organization key, and yours could not be opened');
  return verifyAudit(s.db, key);
}
