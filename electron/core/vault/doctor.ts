import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CofferError } from '../../../shared/errors';
import type { SecretSummary } from '../../../shared/schemas/secrets';
import { verifyAuditFor } from '../audit/access';
import { open } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { RevisionRow } from '../db/rows';
import { listSecrets } from '../secrets/reading';
import { revisionContext, withDataKey } from '../secrets/sealing';
import type { ListedSecret } from '../secrets/summaries';
import { SECRET_COLUMNS } from '../secrets/summaries';
import { accessWarnings } from './access-check';
import type { Unreadable } from './damage';
import { unreadableScopes } from './damage';
import type { Session } from './session';
import { checkSettings } from './settings';

/**
 * `coffer doctor` (docs/product.md §1a, "Damage is reported"): everything one session can find
 * unreadable in the vault, checked without writing anything and without showing any value.
 */

/** A secret this session lists but cannot read: its place as people write it, and why. */
export interface DamagedSecret {
  place: string;
  why: string;
}

export interface SessionDamage {
  /** Roster, structure, grants, settings and audit findings, one line each. */
  findings: string[];
  /** Scopes whose key does not open, each with the secrets only it opens. */
  unreadable: Unreadable[];
  /** Secrets listed whose name, state (head), data key or current value does not verify. */
  secrets: DamagedSecret[];
}

const placeOf = (s: SecretSummary) => `${s.level === 'workspace' ? `workspace/${s.workspace ?? '?'}` : s.level}/${s.tampered ? `(unreadable name, id ${s.id})` : s.name}`;

/** Opens the current revision's ciphertext under the checked data key, and wipes it unread. */
function checkSecret(s: Session, id: string): void {
  const row = s.db.query<ListedSecret>(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE id = ?`).get(id);
  if (!row) throw new CofferError('TAMPERED', 'it is listed but its row is gone');
  withDataKey(s, row, (dataKey) => {
    const content = s.db.value<RevisionRow['content']>('SELECT content FROM revisions WHERE secret_id = ? AND revision = ?', row.id, row.revision);
    if (content === undefined) throw new CofferError('TAMPERED', 'its current revision is missing');
    wipe(open(dataKey, content, revisionContext(s, row, row.revision), 'its current value'));
  });
}

function* everyListed(s: Session): Generator<SecretSummary> {
  const page = 100_000;
  for (let offset = 0; ; offset += page) {
    const { items } = listSecrets(s, { offset, limit: page });
    yield* items;
    if (items.length < page) return;
  }
}

/** What one unlocked session finds unreadable. Reads only: no use is recorded, nothing is written. */
export function sessionDamage(s: Session): SessionDamage {
  // Damage only: a vault not signed yet is a state, said by every unlock, not a fault.
  const findings = accessWarnings(s.accessFindings)
    .filter((line) => line.startsWith('TAMPERED: '))
    .map((line) => line.slice('TAMPERED: '.length));
  const tampered = checkSettings(s).tampered;
  if (tampered.length) findings.push(`settings that do not verify: ${tampered.join(', ')}`);
  if (s.may('audit.read') && s.auditKey()) {
    const audit = verifyAuditFor(s);
    if (!audit.ok) findings.push(`the audit log is broken at entry ${audit.brokenAt}: ${audit.reason}`);
  }
  const secrets: DamagedSecret[] = [];
  for (const item of everyListed(s)) {
    if (item.tampered) {
      secrets.push({ place: placeOf(item), why: 'its name does not verify' });
      continue;
    }
    try {
      checkSecret(s, item.id);
    } catch (e) {
      if (!(e instanceof CofferError) || e.code === 'INTERNAL') throw e;
      secrets.push({ place: placeOf(item), why: e.message });
    }
  }
  return { findings, unreadable: unreadableScopes(s), secrets };
}

/** Copies of the vault beside it, newest first: those made before each upgrade (`VAULT.pre-vN.bak`) and any `VAULT.*.bak`. */
export function backupsBeside(path: string): { path: string; modified: number }[] {
  const name = basename(path);
  let files: string[];
  try {
    files = readdirSync(dirname(path));
  } catch {
    return [];
  }
  return files
    .filter((f) => f.startsWith(`${name}.`) && f.endsWith('.bak'))
    .map((f) => join(dirname(path), f))
    .map((p) => ({ path: p, modified: statSync(p).mtimeMs }))
    .sort((a, b) => b.modified - a.modified);
}
