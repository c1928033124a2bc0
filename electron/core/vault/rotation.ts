import { CofferError } from '../../../shared/errors';
import { KEY_BYTES, ad, open, seal } from '../crypto/aead';
import { grantScope } from '../access/grants';
import { blindHash, blindIndexKey, wipe } from '../crypto/keys';
import type { NameChunkRow, SecretRow } from '../db/rows';
import { renewDataKeys } from '../secrets/data-key-renewal';
import { readScopeNames } from '../secrets/name-chunks';
import { resealTombstones } from '../secrets/tombstones';
import type { Session } from './session';

/**
 * Losing access means losing it (docs/product.md §1): when a member leaves the vault, leaves a team
 * or loses a role that holds every team key, each scope they could open gets a new key, and each
 * secret readable through one of those scopes a new data key. Nothing they could have kept opens
 * anything written afterwards.
 */

/** A scope's key after rotation. */
export interface RotatedKey {
  scopeId: string;
  key: Uint8Array;
  version: number;
}

/**
 * The organization key before and after a rotation, both valid inside the rotating transaction
 * (the old one is wiped when the session adopts the new one). Records MAC'd under keys derived from
 * the organization key (settings, the audit chain: docs/product.md §1a) are re-keyed with these.
 */
export interface OrganizationKeyChange {
  oldKey: Uint8Array;
  newKey: Uint8Array;
  version: number;
}

/** What a rotation wrote, with the new keys the session takes once the transaction has committed. */
export class Rotation {
  constructor(
    private readonly session: Session,
    readonly keys: readonly RotatedKey[],
    /** Set when the organization scope rotated (member removal). */
    readonly organization: OrganizationKeyChange | undefined,
  ) {}

  /** After commit. */
  adopt(): void {
    for (const k of this.keys) this.session.adoptScopeKey(k.scopeId, k.key, k.version);
  }

  /** After a failed transaction: the new keys never existed. */
  discard(): void {
    for (const k of this.keys) wipe(k.key);
  }
}

/**
 * Starts the one rotation of a write transaction. Called after the roster change that takes the
 * scopes away from someone: the new keys go to whoever the roster lets hold them now.
 */
export type Rotate = (scopeIds: readonly string[]) => Rotation;

/**
 * Runs `fn` as one write transaction in which it may rotate scopes once, through `rotate`. The
 * session adopts the new keys only after the commit; if anything throws, the new keys are wiped and
 * the vault and the session are exactly as they were. The WAL is then checkpointed and truncated, so
 * the ciphertexts sealed under the old keys do not survive in the -wal file either.
 */
export function writeRotating<T>(session: Session, fn: (rotate: Rotate) => T): T {
  const pending: { rotation?: Rotation } = {};
  const rotate: Rotate = (scopeIds) => {
    if (pending.rotation) throw new CofferError('INTERNAL', 'one rotation per transaction: the second would start from keys already replaced');
    pending.rotation = rotateScopes(session, scopeIds);
    return pending.rotation;
  };
  let result: T;
  try {
    result = session.write(() => fn(rotate));
  } catch (e) {
    pending.rotation?.discard();
    throw e;
  }
  if (pending.rotation) {
    pending.rotation.adopt();
    session.db.checkpoint();
    session.index?.invalidate();
  }
  return result;
}

/**
 * Rotates `scopeIds` inside the caller's write transaction: each gets a new key sealed to its
 * grantees as the roster now has them (no one else's grant survives), its name chunks re-encrypted and
 * the blind-index hashes of the secrets living in it recomputed; then every secret readable through
 * any of them gets a new data key (secrets/data-key-renewal.ts).
 */
function rotateScopes(session: Session, scopeIds: readonly string[]): Rotation {
  const orgScopeId = session.vault.orgScopeId;
  const oldOrgKey = scopeIds.includes(orgScopeId) ? session.scopeKey(orgScopeId).key : undefined;
  const keys = scopeIds.map((scopeId) => ({ scopeId, key: session.ctx.random.bytes(KEY_BYTES), version: session.scopeKey(scopeId).version + 1 }));
  try {
    const next = new Map(keys.map((k) => [k.scopeId, k]));
    const names = namesForRehash(session, scopeIds);
    // The name hashes the secrets' heads were made over, for checking them before they are made anew.
    const previousHashes = new Map<string, Uint8Array>();
    for (const k of keys) {
      resealGrants(session, k);
      reencryptNameChunks(session, k);
      resealTombstones(session, k.scopeId, k);
      rehashNames(session, k, names, previousHashes);
      session.db.stmt('UPDATE scopes SET key_version = ? WHERE id = ?').run(k.version, k.scopeId);
    }
    renewDataKeys(session, scopeIds, (scopeId) => next.get(scopeId) ?? session.scopeKey(scopeId), previousHashes);
  } catch (e) {
    for (const k of keys) wipe(k.key);
    if (e instanceof CofferError && e.code === 'TAMPERED') {
      throw new CofferError('TAMPERED', `${e.message}: the keys were not rotated and nothing was changed`);
    }
    throw e;
  }
  const newOrg = keys.find((k) => k.scopeId === orgScopeId);
  const organization = oldOrgKey && newOrg ? { oldKey: oldOrgKey, newKey: newOrg.key, version: newOrg.version } : undefined;
  return new Rotation(session, keys, organization);
}

/**
 * The scope's new key, sealed and signed to everyone the roster (already without whoever lost it)
 * lets hold it, members and credentials, and to no one else: a grant planted in the file is not carried over.
 */
function resealGrants(session: Session, k: RotatedKey): void {
  const db = session.db;
  db.stmt('DELETE FROM scope_grants WHERE scope_id = ?').run(k.scopeId);
  for (const g of session.roster.granteesOf(k.scopeId)) grantScope(db, session.vaultId, session.signer(), k.scopeId, k.version, k.key, g);
}

function reencryptNameChunks(session: Session, k: RotatedKey): void {
  const db = session.db;
  const old = session.scopeKey(k.scopeId);
  const context = (chunkNo: number, version: number) => ad('coffer/v1/names', session.vaultId, k.scopeId, chunkNo, version);
  const chunks = db
    .query<Pick<NameChunkRow, 'chunk_no' | 'key_version' | 'content'>>('SELECT chunk_no, key_version, content FROM name_chunks WHERE scope_id = ?')
    .all(k.scopeId);
  const update = db.stmt('UPDATE name_chunks SET key_version = ?, content = ? WHERE scope_id = ? AND chunk_no = ?');
  for (const c of chunks) {
    const plain = open(old.key, c.content, context(c.chunk_no, c.key_version), 'a name chunk');
    try {
      update.run(k.version, seal(k.key, plain, context(c.chunk_no, k.version), session.ctx.random), k.scopeId, c.chunk_no);
    } finally {
      wipe(plain);
    }
  }
}

/**
 * Every name this session can read, when a rotated scope is the home of secrets (teams never are):
 * read before any chunk is rewritten, while all are under keys the session holds. A home scope's
 * names may sit in other scopes' chunks (team-only organization secrets).
 */
function namesForRehash(session: Session, scopeIds: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const homesSecrets = session.db.value<number>('SELECT 1 FROM secrets WHERE scope_id IN (SELECT value FROM json_each(?)) LIMIT 1', JSON.stringify(scopeIds));
  if (homesSecrets !== undefined) for (const scopeId of session.readableScopes()) readScopeNames(session, scopeId, names);
  return names;
}

/** Recomputes the blind-index hashes of the secrets homed in a rotated scope; `previous` keeps the old ones, by secret. */
function rehashNames(session: Session, k: RotatedKey, names: Map<string, string>, previous: Map<string, Uint8Array>): void {
  const db = session.db;
  const homed = db
    .tuples<[rowid: number, id: SecretRow['id'], nameHash: SecretRow['name_hash']]>('SELECT rowid, id, name_hash FROM secrets WHERE scope_id = ?')
    .all(k.scopeId);
  if (homed.length === 0) return;
  const indexKey = blindIndexKey(k.key);
  try {
    const rehash = db.stmt('UPDATE secrets SET name_hash = ? WHERE rowid = ?');
    for (const [rowid, id, nameHash] of homed) {
      const name = names.get(id);
      if (name === undefined) throw new CofferError('TAMPERED', `the name of secret ${id} could not be read`);
      previous.set(id, nameHash);
      rehash.run(blindHash(indexKey, name), rowid);
    }
  } finally {
    wipe(indexKey);
  }
}
