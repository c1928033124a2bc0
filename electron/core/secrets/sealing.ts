import { CofferError } from '../../../shared/errors';
import type { Alloc } from '../crypto/aead';
import { ad, open, sealText } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { RevisionRow, SecretReaderRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { Payload } from './content';
import type { Headed } from './head';
import { checkHead, headTampered } from './head';
import type { RevisionBatch } from './revision-signatures';
import type { ListedSecret } from './summaries';

/**
 * A secret's keys and contents: its data key wrapped per reader scope, its revisions sealed under
 * that key, each bound by its context to the secret's place and number so none can be moved.
 * Registration, reading, revisions and export share these.
 */

const decoder = new TextDecoder();

export const dataKeyContext = (s: Session, secretId: string, scopeId: string, version: number) => ad('coffer/v1/data-key', s.vaultId, secretId, scopeId, version);
export const revisionContext = (s: Session, row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>, revision: number) =>
  ad('coffer/v1/revision', s.vaultId, row.id, row.scope_id, row.type, revision);

type Reader = Pick<SecretReaderRow, 'scope_id' | 'key_version' | 'chunk_no' | 'wrapped_key'>;

/** The scopes that can read a secret, each with the secret's data key wrapped under its scope key. */
export function readers(s: Session, secretId: string): Reader[] {
  return s.db.query<Reader>('SELECT scope_id, key_version, chunk_no, wrapped_key FROM secret_readers WHERE secret_id = ?').all(secretId);
}

/** A secret's data key through any reader scope whose key is sealed to this member; undefined when none is. Checks nothing else. */
export function openDataKey(s: Session, secretId: string): Uint8Array | undefined {
  const reader = readers(s, secretId).find((r) => s.canRead(r.scope_id));
  if (!reader) return undefined;
  const scope = s.scopeKey(reader.scope_id);
  return open(scope.key, reader.wrapped_key, dataKeyContext(s, secretId, reader.scope_id, reader.key_version), 'this secret');
}

/**
 * Unwraps a secret's data key to act on `row`, after checking the row against its head: a row set
 * back or edited in the file is TAMPERED before anything of the secret is read or written
 * (docs/product.md §1a). `row` must be the very object the caller goes on to act on.
 */
export function unwrapDataKey(s: Session, row: Headed): Uint8Array {
  const dataKey = openDataKey(s, row.id);
  if (!dataKey) throw new CofferError('FORBIDDEN', 'you hold no key that opens this secret');
  if (checkHead(s, row, dataKey) === 'tampered') {
    wipe(dataKey);
    throw headTampered(s, row);
  }
  return dataKey;
}

/** The data key of `row`, its head checked, for `fn`; wiped once `fn` returns or throws. */
export function withDataKey<T>(s: Session, row: Headed, fn: (dataKey: Uint8Array) => T): T {
  const dataKey = unwrapDataKey(s, row);
  try {
    return fn(dataKey);
  } finally {
    wipe(dataKey);
  }
}

export function decryptRevision(s: Session, row: ListedSecret, dataKey: Uint8Array, revision: number): Payload {
  const content = s.db.value<RevisionRow['content']>('SELECT content FROM secret_revisions WHERE secret_seq = ? AND revision = ?', row.seq, revision);
  if (content === undefined) {
    // The row names its current revision (in its head, too): that one gone is the file altered, not a wrong number asked for.
    if (revision === row.revision) throw new CofferError('TAMPERED', `the current revision of secret ${row.id} is missing from the file: nothing of it was read`);
    throw new CofferError('NOT_FOUND', `revision ${revision} does not exist`, 'revision');
  }
  const plain = open(dataKey, content, revisionContext(s, row, revision), 'this secret');
  try {
    return JSON.parse(decoder.decode(plain)) as Payload;
  } finally {
    wipe(plain);
  }
}

/** A revision's content, sealed under the secret's data key and bound to its place and number. */
export function sealRevision(
  s: Session,
  row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>,
  dataKey: Uint8Array,
  revision: number,
  payload: Payload,
  alloc?: Alloc,
): Uint8Array {
  return sealText(dataKey, JSON.stringify(payload), revisionContext(s, row, revision), s.ctx.random, alloc);
}

/** A revision's row; `signature_id` names the signed batch that vouches for its author (secrets/revision-signatures.ts). */
export const INSERT_REVISION = 'INSERT INTO revisions (secret_id, revision, created_at, author_id, content, signature_id) VALUES (?, ?, ?, ?, ?, ?)';

/** Writes a revision by this session's member, signed in `batch`. */
export function writeRevision(s: Session, row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>, dataKey: Uint8Array, revision: number, payload: Payload, batch: RevisionBatch): void {
  const now = s.ctx.clock.now();
  s.db.stmt(INSERT_REVISION).run(row.id, revision, now, s.member.id, sealRevision(s, row, dataKey, revision, payload), batch.add(row.id, revision, now));
}

/** The current revision, opened for `fn` once the row's head is checked; the data key is wiped once `fn` returns or throws. */
export function withCurrent<T>(s: Session, row: ListedSecret, fn: (payload: Payload, dataKey: Uint8Array) => T): T {
  return withDataKey(s, row, (dataKey) => fn(decryptRevision(s, row, dataKey, row.revision), dataKey));
}
