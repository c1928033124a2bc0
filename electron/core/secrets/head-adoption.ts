import { CofferError } from '../../../shared/errors';
import { open } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { SecretReaderRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { HeadState } from './head';
import { HEAD_COLUMNS, headOf, writeHeads } from './head';
import { dataKeyContext } from './sealing';

/**
 * Heads for a vault made before they existed (docs/product.md §1a): every secret without one that
 * this session can open gets one over its row as it stands. That trusts the row once, as the
 * member's unlock trusts the legacy vault; from then on the row is checked. Called at unlock by
 * the roster's adoption, while the session still accepts legacy heads; a session that no longer
 * does adopts nothing, since a head missing then was removed from the file.
 */

type AdoptTuple = [rowid: number, ...state: unknown[]];

const STATE = HEAD_COLUMNS.map((c) => `s.${c}`).join(', ');

/** Writes the missing heads this session can write, in one transaction; returns how many. */
export function adoptHeads(s: Session): number {
  s.assertUnlocked();
  if (!s.acceptsLegacyHeads || s.vault.readOnly) return 0;
  return s.db.write(() => {
    // One row per reader scope; a secret readable through several comes on consecutive rows.
    const rows = s.db
      .tuples<AdoptTuple>(
        `SELECT s.rowid, ${STATE}, r.scope_id, r.key_version, r.wrapped_key
         FROM secrets s JOIN secret_readers r ON r.secret_id = s.id WHERE s.head IS NULL ORDER BY s.rowid`,
      )
      .all();
    const heads: { rowid: number; head: Uint8Array }[] = [];
    const n = HEAD_COLUMNS.length;
    let done = -1;
    for (const t of rows) {
      const rowid = t[0];
      const [scopeId, version, wrapped] = t.slice(n + 1) as [SecretReaderRow['scope_id'], SecretReaderRow['key_version'], SecretReaderRow['wrapped_key']];
      if (rowid === done || !s.canRead(scopeId)) continue;
      const st = Object.fromEntries(HEAD_COLUMNS.map((c, i) => [c, t[i + 1]])) as unknown as HeadState;
      let dataKey: Uint8Array;
      try {
        dataKey = open(s.scopeKey(scopeId).key, wrapped, dataKeyContext(s, st.id, scopeId, version), 'this secret');
      } catch (e) {
        // A wrapped key that fails is that secret's damage, reported when it is opened; the others adopt.
        if (e instanceof CofferError && e.code === 'TAMPERED') continue;
        throw e;
      }
      try {
        heads.push({ rowid, head: headOf(s.vaultId, dataKey, st) });
      } finally {
        wipe(dataKey);
      }
      done = rowid;
    }
    writeHeads(s, heads);
    return heads.length;
  });
}
