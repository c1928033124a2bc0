import { CofferError } from '../../../shared/errors';
import { CONFIRM_WORD } from '../../../shared/schemas/lifecycle';
import { SECRET_WRITE } from '../access/permissions';
import type { SecretRef, SecretSummary } from '../../../shared/schemas/secrets';
import { NameBatch } from '../secrets/name-chunks';
import { buryName, pruneTombstones } from '../secrets/tombstones';
import { writeHead } from '../secrets/head';
import { resolveSecret, secretSummary } from '../secrets/reading';
import { withDataKey } from '../secrets/sealing';
import type { Session } from '../vault/session';
import { checkSettings } from '../vault/settings';
import { DAY_MS } from './clock';
import { purgeSecret } from './scheduler';


function confirm(word: string | undefined): void {
  if (word !== CONFIRM_WORD) throw new CofferError('CONFLICT', `type ${CONFIRM_WORD} to confirm`, 'confirm');
}

/**
 * Any status → Scheduled for deletion, purged after the vault's deletion period (docs/product.md §4).
 * The deletion date is in the secret's head, so only a member who can open the secret schedules it,
 * and a date written into the file is TAMPERED, never purged (§1a).
 */
export function scheduleDeletion(s: Session, ref: SecretRef, word: string | undefined): SecretSummary {
  confirm(word);
  return s.db.write(() => {
    const row = resolveSecret(s, ref);
    s.authorize(SECRET_WRITE[row.level]);
    withDataKey(s, row, (dataKey) => {
      const at = s.ctx.clock.now() + checkSettings(s).values.deletionDays * DAY_MS;
      s.db.stmt("UPDATE secrets SET status = 'scheduled', deletion_at = ? WHERE id = ?").run(at, row.id);
      writeHead(s, row.id, dataKey);
    });
    s.audit('secret.schedule', row.id);
    return secretSummary(s, row.id);
  });
}

/** Scheduled (or Inactive, awaiting its purge) → Active; the inactivity period starts again now, in the head too. */
export function cancelDeletion(s: Session, ref: SecretRef): SecretSummary {
  return s.db.write(() => {
    const row = resolveSecret(s, ref);
    s.authorize(SECRET_WRITE[row.level]);
    if (row.status === 'active') throw new CofferError('CONFLICT', 'this secret is not scheduled for deletion', 'status');
    withDataKey(s, row, (dataKey) => {
      s.db.stmt("UPDATE secrets SET status = 'active', deletion_at = NULL, inactive_since = NULL, active_since = ? WHERE id = ?").run(s.ctx.clock.now(), row.id);
      writeHead(s, row.id, dataKey);
    });
    s.audit('secret.cancel', row.id);
    return secretSummary(s, row.id);
  });
}

/** Purged at once: every revision, wrapped key, usage row and its name, which only its last known name outlives (secrets/tombstones.ts). Irreversible. */
export function deleteNow(s: Session, ref: SecretRef, word: string | undefined): void {
  confirm(word);
  const seq = s.db.write(() => {
    const row = resolveSecret(s, ref);
    s.authorize(SECRET_WRITE[row.level]);
    const names = new NameBatch(s);
    for (const r of buryName(s, names, row.id)) names.remove(r.scope_id, r.chunk_no, row.id);
    names.flush();
    purgeSecret(s.db, row.id);
    pruneTombstones(s.db);
    s.audit('secret.delete', row.id);
    return row.seq;
  });
  s.index?.remove(seq);
  s.db.checkpoint();
}
