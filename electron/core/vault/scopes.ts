import { CofferError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { ScopeRow } from '../db/rows';
import type { CoreContext } from '../context';
import { KEY_BYTES } from '../crypto/aead';

export type ScopeKind = ScopeRow['kind'];

/**
 * Scope numbers by scope id, each looked up once: what writes reader_keys by the thousand names a
 * scope by its number (migration 9). A scope that does not exist is a bug in the caller.
 */
export function scopeNumbers(db: Db): (scopeId: string) => number {
  const known = new Map<string, number>();
  return (scopeId) => {
    let num = known.get(scopeId);
    if (num === undefined) {
      num = db.value<number>('SELECT num FROM scopes WHERE id = ?', scopeId);
      if (num === undefined) throw new CofferError('INTERNAL', `scope ${scopeId} has no number`);
      known.set(scopeId, num);
    }
    return num;
  };
}

/**
 * Every scope's number by its id, read from the scopes table itself and not through its id index:
 * for the listing and the damage count, which a damaged page of that index must not blind
 * (docs/product.md §1a, "Damage is reported"). A vault has a few scopes per member.
 */
export function scopeNumbersOfTable(db: Db): Map<string, number> {
  return new Map(db.tuples<[id: ScopeRow['id'], num: number]>('SELECT id, num FROM scopes NOT INDEXED').all());
}

/** A new scope with a fresh random key; the caller seals the key to whoever may read the scope (access/grants.ts). */
export function createScope(
  db: Db,
  ctx: CoreContext,
  kind: ScopeKind,
  at: { created: number; owner?: string; id?: string },
): { id: string; key: Uint8Array; version: number } {
  const id = at.id ?? ctx.random.uuid();
  // `num` names the scope in reader_keys (migration 9), whose rows go with it (ON DELETE CASCADE).
  db.stmt('INSERT INTO scopes (id, num, kind, owner_id, key_version, created_at) VALUES (?, (SELECT coalesce(max(num), 0) + 1 FROM scopes), ?, ?, 1, ?)').run(
    id,
    kind,
    at.owner ?? null,
    at.created,
  );
  return { id, key: ctx.random.bytes(KEY_BYTES), version: 1 };
}
