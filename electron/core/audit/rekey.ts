import { CofferError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { ChainRow } from './chain';
import { GENESIS, ROW_COLUMNS, headVerifies, macLink, plainLink, readHead, relink, sameBytes, writeHead } from './chain';

const PAGE = 1000;

/**
 * Moves the chain to a new audit key when the organization key rotates (member removal), so the
 * removed member's copy of the old key can no longer extend or rewrite it. `oldKey` and `newKey`
 * are audit MAC keys (`integrityKey(orgKey, 'audit')`), not organization keys.
 *
 * Every entry is checked under the old key on the way. One that fails keeps its link and its
 * place, so it fails under the new key exactly as before: a break is carried over, never healed,
 * and a removal is not blocked by it. The head must verify under the old key: call this after the
 * rotation's own audit entry, in the same transaction, and that append will have recorded any
 * break of the head it found.
 */
export function rekeyAudit(db: Db, oldKey: Uint8Array, newKey: Uint8Array, newVersion: number): void {
  const head = readHead(db);
  if (head.kind !== 'keyed' || !headVerifies({ key: oldKey, version: head.version }, head)) {
    throw new CofferError('TAMPERED', 'the audit head does not verify under the current key: the audit log cannot be re-keyed');
  }
  let oldPrev: Uint8Array = GENESIS;
  let newPrev: Uint8Array = GENESIS;
  let headLink = head.link;
  let after = 0;
  for (;;) {
    const page = db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`).all(after, PAGE);
    for (const row of page) {
      const follows = sameBytes(row.prev_hash, oldPrev);
      const underMac = row.seq <= head.seq;
      const intact =
        follows && (underMac ? sameBytes(row.hash, macLink(oldKey, oldPrev, row)) : row.origin !== 'session' && sameBytes(row.hash, plainLink(oldPrev, row)));
      const link = !intact ? row.hash : underMac ? macLink(newKey, newPrev, row) : plainLink(newPrev, row);
      relink(db, row.seq, follows ? newPrev : row.prev_hash, link);
      if (row.seq === head.seq && sameBytes(row.hash, head.link)) headLink = link;
      oldPrev = row.hash;
      newPrev = link;
      after = row.seq;
    }
    if (page.length < PAGE) break;
  }
  writeHead(db, { key: newKey, version: newVersion }, { seq: head.seq, link: headLink, broken: head.broken });
}
