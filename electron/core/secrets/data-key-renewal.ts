import { CofferError } from '../../../shared/errors';
import type { Alloc } from '../crypto/aead';
import { KEY_BYTES, open, seal, slabs } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { ReaderKeyRow, RevisionRow, SecretReaderRow, SecretRow, UsageRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { Headed } from './head';
import { HEAD_SELECT, checkHead, headOf } from './head';
import { dataKeyContext, openDataKey, revisionContext } from './sealing';
import { usageContext } from './usage';

/**
 * New data keys for the secrets a rotation takes away from someone (docs/product.md §1): whoever
 * kept a secret's data key must not open what is written to it afterwards, edits included. Each
 * secret readable through a rotated scope gets a fresh data key, wrapped for every one of its reader
 * scopes, and everything sealed under the old one (every revision, every usage consumer) is
 * re-encrypted under the new one, so nothing in the file stays under a key the departed could hold.
 *
 * Each secret's head (secrets/head.ts) is made under its data key and covers its name hash, which
 * the rotation may have just recomputed: a head that matched the secret before the rotation is made
 * anew over the new state, under the new key. One that did not match is left as it is, so it does
 * not match afterwards either: a rotation never vouches for a row someone altered (docs/product.md §1a).
 */

/** A reader scope's key as it will be once the rotation commits: the new key of a rotated scope, the current key of any other. */
export type KeyAfterRotation = (scopeId: string) => { key: Uint8Array; version: number };

/** Secrets renewed per round of reads and writes: SQLite cannot write while a statement iterates, and this bounds what is held. */
const BATCH = 256;

/** The ids of a batch's secrets, given as a JSON array of their rowids. */
const IN_BATCH = '(SELECT id FROM secrets WHERE rowid IN (SELECT value FROM json_each(?)))';

type ReaderTuple = [
  secretId: SecretRow['id'],
  homeScope: SecretRow['scope_id'],
  type: SecretRow['type'],
  seq: ReaderKeyRow['secret_seq'],
  scopeNum: ReaderKeyRow['scope_num'],
  scopeId: SecretReaderRow['scope_id'],
  version: SecretReaderRow['key_version'],
  wrapped: SecretReaderRow['wrapped_key'],
];
type RevisionTuple = [rowid: number, secretId: RevisionRow['secret_id'], revision: RevisionRow['revision'], content: RevisionRow['content']];
type UsageTuple = [id: UsageRow['id'], secretId: UsageRow['secret_id'], consumer: UsageRow['consumer']];

/** One secret's old and new data keys, for the duration of its batch. */
interface Renewal {
  row: Pick<SecretRow, 'id' | 'scope_id' | 'type'>;
  previous: Uint8Array;
  next: Uint8Array;
}

/** The name hashes heads were made over, by secret, for the secrets whose name hash a rotation recomputed. */
export type PreviousNameHashes = ReadonlyMap<string, Uint8Array>;

/**
 * Gives every secret readable through `scopeIds` a new data key, inside the caller's write
 * transaction, and every secret in `previous` whose key stays (a team-only organization secret of
 * a team that did not rotate) a head over its new name hash. A record that fails verification
 * throws `TAMPERED` (the caller's transaction then leaves everything as it was).
 */
export function renewDataKeys(s: Session, scopeIds: readonly string[], keyAfter: KeyAfterRotation, previous: PreviousNameHashes = new Map()): void {
  const rowids = s.db
    .tuples<[number]>(
      `SELECT DISTINCT s.rowid FROM reader_keys r JOIN secrets s ON s.seq = r.secret_seq
       WHERE r.scope_num IN (SELECT num FROM scopes WHERE id IN (SELECT value FROM json_each(?))) ORDER BY 1`,
    )
    .all(JSON.stringify(scopeIds))
    .map((t) => t[0]);
  // The new ciphertexts live only until SQLite has copied them: carve them out of shared buffers.
  const alloc = slabs();
  const renewed = new Set<string>();
  for (let at = 0; at < rowids.length; at += BATCH) renewBatch(s, JSON.stringify(rowids.slice(at, at + BATCH)), keyAfter, alloc, previous, renewed);
  for (const [id, nameHash] of previous) if (!renewed.has(id)) reheadRenamed(s, id, nameHash);
}

/**
 * Gives one secret a new data key inside the caller's write transaction, wrapped for each of its
 * reader scopes under their current keys, everything sealed under the old one re-sealed (a reader
 * scope was taken away from it: secrets/availability.ts). Its head is made anew under the new key
 * if it matched under the old one. `TAMPERED` as renewDataKeys.
 */
export function renewDataKey(s: Session, secretId: string): void {
  const rowid = s.db.value<number>('SELECT rowid FROM secrets WHERE id = ?', secretId);
  if (rowid === undefined) throw new CofferError('INTERNAL', `secret ${secretId} vanished inside its own transaction`);
  renewBatch(s, JSON.stringify([rowid]), (scopeId) => s.scopeKey(scopeId), slabs(), new Map(), new Set());
}

/** The head of a row as it was before the rotation changed its name hash. */
const before = (row: Headed, previous: PreviousNameHashes): Headed => ({ ...row, name_hash: previous.get(row.id) ?? row.name_hash });

/** A secret whose name hash changed and whose data key stays: the head is made anew under the same key, if it matched before. */
function reheadRenamed(s: Session, id: string, previousHash: Uint8Array): void {
  const row = s.db.query<Headed>(`SELECT ${HEAD_SELECT}, head FROM secrets WHERE id = ?`).get(id);
  const dataKey = row && openDataKey(s, id);
  if (!row || !dataKey) return;
  try {
    if (checkHead(s, before(row, new Map([[id, previousHash]])), dataKey) === 'ok') {
      s.db.stmt('UPDATE secrets SET head = ? WHERE id = ?').run(headOf(s.vaultId, dataKey, row), id);
    }
  } finally {
    wipe(dataKey);
  }
}

function renewBatch(s: Session, batch: string, keyAfter: KeyAfterRotation, alloc: Alloc, previous: PreviousNameHashes, renewed: Set<string>): void {
  const db = s.db;
  const renewals = new Map<string, Renewal>();
  try {
    const readers = db
      .tuples<ReaderTuple>(
        `SELECT s.id, s.scope_id, s.type, r.secret_seq, r.scope_num, sc.id, r.key_version, r.wrapped_key
         FROM secrets s JOIN reader_keys r ON r.secret_seq = s.seq JOIN scopes sc ON sc.num = r.scope_num
         WHERE s.rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(batch);
    for (const [id, homeScope, type, , , scopeId, version, wrapped] of readers) {
      if (renewals.has(id) || !s.canRead(scopeId)) continue;
      const previous = open(s.scopeKey(scopeId).key, wrapped, dataKeyContext(s, id, scopeId, version), `the data key of secret ${id}`);
      renewals.set(id, { row: { id, scope_id: homeScope, type }, previous, next: s.ctx.random.bytes(KEY_BYTES) });
    }

    const rewrap = db.stmt('UPDATE reader_keys SET key_version = ?, wrapped_key = ? WHERE secret_seq = ? AND scope_num = ?');
    for (const [id, , , seq, scopeNum, scopeId] of readers) {
      const after = keyAfter(scopeId);
      rewrap.run(after.version, seal(after.key, renewalOf(renewals, id).next, dataKeyContext(s, id, scopeId, after.version), s.ctx.random, alloc), seq, scopeNum);
    }

    // Contents are re-sealed byte for byte: the associated data names no key, so it does not change.
    const revisions = db
      .tuples<RevisionTuple>(
        `SELECT r.rowid, s.id, r.revision, r.content FROM secrets s JOIN secret_revisions r ON r.secret_seq = s.seq
         WHERE s.rowid IN (SELECT value FROM json_each(?))`,
      )
      .all(batch);
    const reseal = db.stmt('UPDATE secret_revisions SET content = ? WHERE rowid = ?');
    for (const [rowid, id, revision, content] of revisions) {
      const r = renewalOf(renewals, id);
      const context = revisionContext(s, r.row, revision);
      const plain = open(r.previous, content, context, `revision ${revision} of secret ${id}`);
      try {
        reseal.run(seal(r.next, plain, context, s.ctx.random, alloc), rowid);
      } finally {
        wipe(plain);
      }
    }

    const states = db.query<Headed & { rowid: number }>(`SELECT rowid, ${HEAD_SELECT}, head FROM secrets WHERE rowid IN (SELECT value FROM json_each(?))`).all(batch);
    const rehead = db.stmt('UPDATE secrets SET head = ? WHERE rowid = ?');
    for (const row of states) {
      const r = renewalOf(renewals, row.id);
      renewed.add(row.id);
      if (checkHead(s, before(row, previous), r.previous) === 'ok') rehead.run(headOf(s.vaultId, r.next, row), row.rowid);
    }

    const uses = db.tuples<UsageTuple>(`SELECT id, secret_id, consumer FROM usage WHERE secret_id IN ${IN_BATCH}`).all(batch);
    const relabel = db.stmt('UPDATE usage SET consumer = ? WHERE id = ?');
    for (const [usageId, id, consumer] of uses) {
      const r = renewalOf(renewals, id);
      const context = usageContext(s, id);
      const plain = open(r.previous, consumer, context, `a usage record of secret ${id}`);
      try {
        relabel.run(seal(r.next, plain, context, s.ctx.random, alloc), usageId);
      } finally {
        wipe(plain);
      }
    }
  } finally {
    for (const r of renewals.values()) wipe(r.previous, r.next);
  }
}

/** Every secret of a batch is readable through a rotated scope, whose key the rotating session holds. */
function renewalOf(renewals: Map<string, Renewal>, secretId: string): Renewal {
  const r = renewals.get(secretId);
  if (!r) throw new CofferError('INTERNAL', `no data key was renewed for secret ${secretId}`);
  return r;
}
