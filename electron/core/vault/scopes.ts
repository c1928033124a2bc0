import type { Db } from '../db/connection';
import type { MemberRow, ScopeGrantRow, ScopeRow } from '../db/rows';
import type { CoreContext } from '../context';
import { KEY_BYTES } from '../crypto/aead';
import { sealTo } from '../crypto/keys';

export type ScopeKind = ScopeRow['kind'];

export interface Grantee {
  kind: ScopeGrantRow['grantee_kind'];
  id: string;
  boxPublic: Uint8Array;
}

/** A new scope with a fresh random key; the caller seals the key to whoever may read the scope. */
export function createScope(db: Db, ctx: CoreContext, kind: ScopeKind, ownerId: string | null = null): { id: string; key: Uint8Array; version: number } {
  const id = ctx.random.uuid();
  db.stmt('INSERT INTO scopes (id, kind, owner_id, key_version, created_at) VALUES (?, ?, ?, 1, ?)').run(id, kind, ownerId, ctx.clock.now());
  return { id, key: ctx.random.bytes(KEY_BYTES), version: 1 };
}

/** Seals a scope key to one grantee (member or credential) with crypto_box_seal. */
export function grantScope(db: Db, scopeId: string, version: number, key: Uint8Array, grantee: Grantee): void {
  db.stmt(
    `INSERT INTO scope_grants (scope_id, grantee_kind, grantee_id, key_version, sealed_key) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (scope_id, grantee_kind, grantee_id) DO UPDATE SET key_version = excluded.key_version, sealed_key = excluded.sealed_key`,
  ).run(scopeId, grantee.kind, grantee.id, version, sealTo(grantee.boxPublic, key));
}

export function memberGrantee(row: Pick<MemberRow, 'id' | 'box_public'>): Grantee {
  return { kind: 'member', id: row.id, boxPublic: row.box_public };
}
