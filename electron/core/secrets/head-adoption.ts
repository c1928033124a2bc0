import { CofferError } from '../../../shared/errors';
import { open } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { SecretReaderRow, SecretRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { HeadState } from './head';
import { HEAD_COLUMNS, PendingHeads, headOf } from './head';
import { dataKeyContext } from './sealing';

/**
 * Heads for a vault made before they existed (docs/product.md §1a): every secret without one that
 * this session can open gets one over its row as it stands. That trusts the row once, as the
 * member's unlock trusts the legacy vault; from then on the row is checked. Called at unlock by
 * the roster's adoption, while the session still accepts legacy heads; a session that no longer
 * does adopts nothing, since a head missing then was removed from the file.
 */

/** One row per reader scope: the secret's rowid, its covered state (in HEAD_COLUMNS order), then the reader. */
type AdoptTuple = [
  rowid: number,
  id: SecretRow['id'],
  seq: SecretRow['seq'],
  scope_id: SecretRow['scope_id'],
  level: SecretRow['level'],
  workspace_id: SecretRow['workspace_id'],
  type: SecretRow['type'],
  availability: SecretRow['availability'],
  name_hash: SecretRow['name_hash'],
  revision: SecretRow['revision'],
  created_at: SecretRow['created_at'],
  updated_at: SecretRow['updated_at'],
  expires_at: SecretRow['expires_at'],
  last_used_at: SecretRow['last_used_at'],
  active_since: SecretRow['active_since'],
  status: SecretRow['status'],
  deletion_at: SecretRow['deletion_at'],
  scopeId: SecretReaderRow['scope_id'],
  version: SecretReaderRow['key_version'],
  wrapped: SecretReaderRow['wrapped_key'],
];

const STATE = HEAD_COLUMNS.map((c) => `s.${c}`).join(', ');

/** Writes the missing heads this session can write, in one transaction; returns how many. */
export function adoptHeads(s: Session): number {
  s.assertUnlocked();
  if (!s.acceptsLegacyHeads || s.vault.readOnly) return 0;
  return s.db.write(() => {
    // A secret readable through several scopes comes once per scope, on consecutive rows.
    const rows = s.db
      .tuples<AdoptTuple>(
        `SELECT s.rowid, ${STATE}, r.scope_id, r.key_version, r.wrapped_key
         FROM secrets s JOIN secret_readers r ON r.secret_id = s.id WHERE s.head IS NULL ORDER BY s.rowid`,
      )
      .iterate();
    const heads = new PendingHeads();
    let done = -1;
    for (const t of rows) {
      const [rowid, id, seq, scope_id, level, workspace_id, type, availability, name_hash, revision, created_at, updated_at, expires_at, last_used_at, active_since, status, deletion_at, scopeId, version, wrapped] = t;
      if (rowid === done || !s.canRead(scopeId)) continue;
      let dataKey: Uint8Array;
      try {
        dataKey = open(s.scopeKey(scopeId).key, wrapped, dataKeyContext(s, id, scopeId, version), 'this secret');
      } catch (e) {
        // A wrapped key that fails is that secret's damage, reported when it is opened; the others adopt.
        if (e instanceof CofferError && e.code === 'TAMPERED') continue;
        throw e;
      }
      try {
        const st: HeadState = { id, seq, scope_id, level, workspace_id, type, availability, name_hash, revision, created_at, updated_at, expires_at, last_used_at, active_since, status, deletion_at };
        heads.push(rowid, headOf(s.vaultId, dataKey, st));
      } finally {
        wipe(dataKey);
      }
      done = rowid;
    }
    heads.write(s);
    return heads.size;
  });
}
