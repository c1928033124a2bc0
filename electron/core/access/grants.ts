import { ad } from '../crypto/aead';
import { sealTo } from '../crypto/keys';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { ScopeGrantRow } from '../db/rows';
import type { RosterState } from './roster-state';

/**
 * Authenticated grants (docs/product.md §1a): a sealed box needs only its grantee's public key, so
 * anyone holding the file could seal a key of their choosing to a member, who would then write
 * secrets they can read. A grant is therefore used only when signed by someone the roster allows to
 * give that scope's key to that grantee (roster-state.ts mayGrant): its grantee, a member manager,
 * or, for workspaces and teams, a role that creates them.
 */

export interface Signer {
  id: string;
  signSecret: Uint8Array;
}

export interface Grantee {
  kind: ScopeGrantRow['grantee_kind'];
  id: string;
  boxPublic: Uint8Array;
}

type SignedFields = Pick<ScopeGrantRow, 'scope_id' | 'grantee_kind' | 'grantee_id' | 'key_version' | 'sealed_key'>;

function grantMessage(vaultId: string, g: SignedFields): Uint8Array {
  const head = ad('coffer/v1/grant', vaultId, g.scope_id, g.grantee_kind, g.grantee_id, g.key_version);
  const message = new Uint8Array(head.length + g.sealed_key.length);
  message.set(head, 0);
  message.set(g.sealed_key, head.length);
  return message;
}

function signGrant(vaultId: string, g: SignedFields, signer: Signer): Uint8Array {
  return sodium().crypto_sign_detached(grantMessage(vaultId, g), signer.signSecret);
}

const UPSERT = `INSERT INTO scope_grants (scope_id, grantee_kind, grantee_id, key_version, sealed_key, granter_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (scope_id, grantee_kind, grantee_id) DO UPDATE SET key_version = excluded.key_version, sealed_key = excluded.sealed_key,
  granter_id = excluded.granter_id, signature = excluded.signature`;

/** Seals a scope key to one grantee (crypto_box_seal) and signs the grant. */
export function grantScope(db: Db, vaultId: string, signer: Signer, scopeId: string, version: number, key: Uint8Array, grantee: Grantee): void {
  const g = { scope_id: scopeId, grantee_kind: grantee.kind, grantee_id: grantee.id, key_version: version, sealed_key: sealTo(grantee.boxPublic, key) };
  db.stmt(UPSERT).run(g.scope_id, g.grantee_kind, g.grantee_id, g.key_version, g.sealed_key, signer.id, signGrant(vaultId, g, signer));
}

export type GrantVerdict = 'signed' | 'unsigned' | 'forged';

/**
 * Whether a grant may be used: `signed` when its signature verifies under a signer the roster allows
 * to make it; `unsigned` for a grant written before the vault was signed (used only by a member who
 * has not yet adopted the signed form); anything else is `forged`.
 */
export function checkGrant(vaultId: string, roster: RosterState, g: SignedFields & Pick<ScopeGrantRow, 'granter_id' | 'signature'>): GrantVerdict {
  if (g.granter_id === null && g.signature === null) return 'unsigned';
  if (g.granter_id === null || g.signature === null) return 'forged';
  if (!roster.mayGrant(g.granter_id, g.scope_id, g.grantee_kind, g.grantee_id)) return 'forged';
  const key = roster.signingKeyOf(g.granter_id)!;
  try {
    return sodium().crypto_sign_verify_detached(g.signature, grantMessage(vaultId, g), key) ? 'signed' : 'forged';
  } catch {
    return 'forged';
  }
}

type StoredGrant = SignedFields & Pick<ScopeGrantRow, 'granter_id' | 'signature'>;
const SELECT_GRANT = 'SELECT scope_id, grantee_kind, grantee_id, key_version, sealed_key, granter_id, signature FROM scope_grants';

/**
 * Signs again, as `signer`, the grants `formerId` signed, before the roster stops vouching for
 * `formerId` (removed, or moved to a role that gives no keys). Only grants that verify are signed
 * again: a forged one is not vouched for by anyone, and its grantee never uses it.
 */
export function resignGrantsOf(db: Db, vaultId: string, roster: RosterState, formerId: string, signer: Signer): void {
  const update = db.stmt('UPDATE scope_grants SET granter_id = ?, signature = ? WHERE scope_id = ? AND grantee_kind = ? AND grantee_id = ?');
  for (const g of db.query<StoredGrant>(`${SELECT_GRANT} WHERE granter_id = ?`).all(formerId)) {
    if (checkGrant(vaultId, roster, g) !== 'signed') continue;
    update.run(signer.id, signGrant(vaultId, g, signer), g.scope_id, g.grantee_kind, g.grantee_id);
  }
}

/** A member adopting the signed form vouches for the unsigned grants they hold, as their grantee (trust on first use). */
export function adoptOwnGrants(db: Db, vaultId: string, signer: Signer): void {
  const update = db.stmt('UPDATE scope_grants SET granter_id = ?, signature = ? WHERE scope_id = ? AND grantee_kind = ? AND grantee_id = ?');
  for (const g of db.query<StoredGrant>(`${SELECT_GRANT} WHERE grantee_kind = 'member' AND grantee_id = ? AND granter_id IS NULL`).all(signer.id)) {
    update.run(signer.id, signGrant(vaultId, g, signer), g.scope_id, g.grantee_kind, g.grantee_id);
  }
}

/** Deletes every grant sealed to one grantee (a revoked credential, a renewed or deleted account key). */
export function dropGrantsOf(db: Db, kind: ScopeGrantRow['grantee_kind'], granteeId: string): void {
  db.stmt('DELETE FROM scope_grants WHERE grantee_kind = ? AND grantee_id = ?').run(kind, granteeId);
}

/** A member of the verified roster as a grantee: their box key as the roster says, never a clear column. */
export const memberGrantee = (m: { id: string; boxPublic: Uint8Array }): Grantee => ({ kind: 'member', id: m.id, boxPublic: m.boxPublic });
