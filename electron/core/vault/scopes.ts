import type { Db } from '../db/connection';
import type { ScopeRow } from '../db/rows';
import type { CoreContext } from '../context';
import { KEY_BYTES } from '../crypto/aead';

export type ScopeKind = ScopeRow['kind'];

/** A new scope with a fresh random key; the caller seals the key to whoever may read the scope (access/grants.ts). */
export function createScope(
  db: Db,
  ctx: CoreContext,
  kind: ScopeKind,
  at: { created: number; owner?: string; id?: string },
): { id: string; key: Uint8Array; version: number } {
  const id = at.id ?? ctx.random.uuid();
  db.stmt('INSERT INTO scopes (id, kind, owner_id, key_version, created_at) VALUES (?, ?, ?, 1, ?)').run(id, kind, at.owner ?? null, at.created);
  return { id, key: ctx.random.bytes(KEY_BYTES), version: 1 };
}
