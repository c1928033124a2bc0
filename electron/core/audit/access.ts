import type { AuditQuery, AuditEntry, AuditVerdict } from './log';
import { listAudit, verifyAudit } from './log';
import type { Session } from '../vault/session';

/** The audit log through the permission table: Account Holder, Sys Admin and Account Manager read it. */
export function readAudit(s: Session, q: AuditQuery = {}): AuditEntry[] {
  s.authorize('audit.read');
  return listAudit(s.db, q);
}

export function verifyAuditFor(s: Session): AuditVerdict {
  s.authorize('audit.read');
  return verifyAudit(s.db);
}
