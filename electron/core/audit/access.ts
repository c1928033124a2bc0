import { CofferError } from '../../../shared/errors';
import type { AuditQuery, AuditEntry } from './log';
import { listAudit } from './log';
import type { AuditVerdict } from './verify';
import { verifyAudit } from './verify';
import type { Session } from '../vault/session';

/** The audit log through the permission table: Account Holder, Sys Admin and Account Manager read it. */
export function readAudit(s: Session, q: AuditQuery = {}): AuditEntry[] {
  s.authorize('audit.read');
  return listAudit(s.db, q);
}

export function verifyAuditFor(s: Session): AuditVerdict {
  s.authorize('audit.read');
  const key = s.auditKey();
  if (!key) throw new CofferError('FORBIDDEN', 'checking the audit log needs the organization key, and yours could not be opened');
  return verifyAudit(s.db, key);
}
