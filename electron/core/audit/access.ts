import { CofferError } from '../../../shared/errors';
import type { AuditQuery, AuditEntry } from './log';
import { listAudit } from './log';
import type { AuditVerdict } from './verify';
import { verifyAudit } from './verify';
import type { Level, SecretSummary } from '../../../shared/schemas/secrets';
import { SecretIndex } from '../secrets/secret-index';
import { buriedIdsMatching, lastKnownNames } from '../secrets/tombstones';
import type { Session } from '../vault/session';

/** An entry with its actor and target as people know them (shared/schemas/lifecycle.ts auditEntry). */
export type NamedAuditEntry = AuditEntry & {
  targetName?: string;
  targetDeleted?: true;
  targetPlace?: { level: Level; workspace: string | null };
  actorName?: string;
};

const isSecretAction = (e: AuditEntry) => e.action.startsWith('secret.') && e.target !== null;

/**
 * The audit log through the permission table (Account Holder, Sys Admin and Account Manager read
 * it), in names. The log names secrets by id (a name is a secret too): each is named here from the
 * reader's listing index, or, once deleted, from its tombstone (secrets/tombstones.ts), so a secret
 * the reader cannot read stays an id. A search matches those names too. Other targets are names already.
 */
export function readAudit(s: Session, q: AuditQuery = {}): NamedAuditEntry[] {
  s.authorize('audit.read');
  const search = q.search?.trim();
  const named = search ? [...SecretIndex.of(s).idsNamed(search), ...buriedIdsMatching(s, search)] : [];
  const entries = listAudit(s.db, q, named);
  const secretIds = [...new Set(entries.filter(isSecretAction).map((e) => e.target!))];
  const live = liveSecrets(s, secretIds);
  const buried = lastKnownNames(
    s,
    secretIds.filter((id) => !live.has(id)),
  );
  return entries.map((e) => {
    const actorName = credentialNamed(s, e.actor);
    const named: NamedAuditEntry = actorName === undefined ? e : { ...e, actorName };
    if (!isSecretAction(e)) return named;
    const secret = live.get(e.target!);
    if (secret) return { ...named, targetName: secret.name, targetPlace: { level: secret.level, workspace: secret.workspace } };
    const last = buried.get(e.target!);
    return last === undefined ? named : { ...named, targetName: last, targetDeleted: true };
  });
}

/** The listing rows of these secret ids that the reader can read. */
function liveSecrets(s: Session, ids: readonly string[]): Map<string, SecretSummary> {
  const found = new Map<string, SecretSummary>();
  if (ids.length === 0) return found;
  const index = SecretIndex.of(s);
  const rows = s.db.query<{ id: string; seq: number }>('SELECT id, seq FROM secrets WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids));
  for (const r of rows) {
    const summary = index.get(r.seq);
    if (summary) found.set(r.id, summary);
  }
  return found;
}

/** A failed credential unlock records the Client Id it was tried with; a credential of the roster is named. */
function credentialNamed(s: Session, actor: string): string | undefined {
  if (!actor.startsWith(CREDENTIAL)) return undefined;
  const credential = s.roster.credentials.get(actor.slice(CREDENTIAL.length));
  return credential ? `${CREDENTIAL}${credential.name}` : undefined;
}

const CREDENTIAL = 'credential:';

export function verifyAuditFor(s: Session): AuditVerdict {
  s.authorize('audit.read');
  const key = s.auditKey();
  if (!key) throw new CofferError('FORBIDDEN', 'checking the audit log needs the organization key, and yours could not be opened');
  return verifyAudit(s.db, key);
}
