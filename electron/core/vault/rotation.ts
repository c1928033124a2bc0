import { CofferError } from '../../../shared/errors';
import { KEY_BYTES, ad, open, seal } from '../crypto/aead';
import { blindHash, blindIndexKey, sealTo, wipe } from '../crypto/keys';
import type { MemberRow, NameChunkRow, ScopeGrantRow, SecretReaderRow, SecretRow } from '../db/rows';
import { readScopeNames } from '../secrets/name-chunks';
import type { Session } from './session';

export interface RotatedKey {
  scopeId: string;
  key: Uint8Array;
  version: number;
}

/**
 * Rotates a scope key (docs/product.md §1, member removal): a new key is sealed to the remaining grantees,
 * every data key and name chunk of the scope is re-wrapped, and blind-index hashes of the secrets
 * living in it are recomputed. Old key material then opens nothing written afterwards.
 * Runs inside the caller's write transaction; the caller adopts the new key only after commit.
 */
export function rotateScopes(session: Session, scopeIds: string[], dropGranteeId: string): RotatedKey[] {
  // Names first, while every chunk is still under the keys this session holds. Names of secrets
  // living in one scope may sit in another's chunks (team-only organization secrets).
  const names = new Map<string, string>();
  for (const s of session.readableScopes()) readScopeNames(session, s, names);
  return scopeIds.map((id) => rotateScope(session, id, dropGranteeId, names));
}

function rotateScope(session: Session, scopeId: string, dropGranteeId: string, names: Map<string, string>): RotatedKey {
  const db = session.db;
  const old = session.scopeKey(scopeId);
  const key = session.ctx.random.bytes(KEY_BYTES);
  const version = old.version + 1;
  const vaultId = session.vaultId;

  db.stmt("DELETE FROM scope_grants WHERE scope_id = ? AND grantee_id = ?").run(scopeId, dropGranteeId);
  const grants = db
    .query<Pick<ScopeGrantRow, 'grantee_kind' | 'grantee_id'>>('SELECT grantee_kind, grantee_id FROM scope_grants WHERE scope_id = ?')
    .all(scopeId);
  for (const g of grants) {
    if (g.grantee_kind !== 'member') throw new CofferError('INTERNAL', `cannot rotate a scope granted to a ${g.grantee_kind}`);
    const m = db.query<Pick<MemberRow, 'box_public'>>('SELECT box_public FROM members WHERE id = ?').get(g.grantee_id)!;
    db.stmt('UPDATE scope_grants SET key_version = ?, sealed_key = ? WHERE scope_id = ? AND grantee_kind = ? AND grantee_id = ?').run(
      version,
      sealTo(m.box_public, key),
      scopeId,
      g.grantee_kind,
      g.grantee_id,
    );
  }

  const dataKeyContext = (secretId: string, v: number) => ad('coffer/v1/data-key', vaultId, secretId, scopeId, v);
  const readers = db
    .query<Pick<SecretReaderRow, 'secret_id' | 'key_version' | 'wrapped_key'>>(
      'SELECT secret_id, key_version, wrapped_key FROM secret_readers WHERE scope_id = ?',
    )
    .all(scopeId);
  const rewrap = db.stmt('UPDATE secret_readers SET key_version = ?, wrapped_key = ? WHERE secret_id = ? AND scope_id = ?');
  for (const r of readers) {
    const dataKey = open(old.key, r.wrapped_key, dataKeyContext(r.secret_id, r.key_version), 'a data key');
    rewrap.run(version, seal(key, dataKey, dataKeyContext(r.secret_id, version), session.ctx.random), r.secret_id, scopeId);
    wipe(dataKey);
  }

  const chunks = db
    .query<Pick<NameChunkRow, 'chunk_no' | 'key_version' | 'content'>>('SELECT chunk_no, key_version, content FROM name_chunks WHERE scope_id = ?')
    .all(scopeId);
  const chunkContext = (no: number, v: number) => ad('coffer/v1/names', vaultId, scopeId, no, v);
  for (const c of chunks) {
    const plain = open(old.key, c.content, chunkContext(c.chunk_no, c.key_version), 'a name chunk');
    db.stmt('UPDATE name_chunks SET key_version = ?, content = ? WHERE scope_id = ? AND chunk_no = ?').run(
      version,
      seal(key, plain, chunkContext(c.chunk_no, version), session.ctx.random),
      scopeId,
      c.chunk_no,
    );
  }

  const homed = db.query<Pick<SecretRow, 'id'>>('SELECT id FROM secrets WHERE scope_id = ?').all(scopeId);
  if (homed.length) {
    const indexKey = blindIndexKey(key);
    const rehash = db.stmt('UPDATE secrets SET name_hash = ? WHERE id = ?');
    for (const { id } of homed) {
      const name = names.get(id);
      if (name === undefined) throw new CofferError('TAMPERED', 'a secret name could not be read while rotating keys; nothing was changed');
      rehash.run(blindHash(indexKey, name), id);
    }
    wipe(indexKey);
  }

  db.stmt('UPDATE scopes SET key_version = ? WHERE id = ?').run(version, scopeId);
  return { scopeId, key, version };
}
