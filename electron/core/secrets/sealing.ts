import { CofferError } from '../../../shared/errors';
import type { Alloc } from '../crypto/aead';
import { ad, open, sealText } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { RevisionRow, SecretReaderRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { Payload } from './content';
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

/** Unwraps a secret's data key through any reader scope whose key is sealed to this member. */
export function unwrapDataKey(s: Session, secretId: string): Uint8Array {
  const reader = readers(s, secretId).find((r) => s.canRead(r.scope_id));
  if (!reader) throw new CofferError('FORBIDDEN', 'you hold no key that opens this secret');
  const scope = s.scopeKey(reader.scope_id);
  return open(scope.key, reader.wrapped_key, dataKeyContext(s, secretId, reader.scope_id, reader.key_version), 'this secret');
}

export function decryptRevision(s: Session, row: ListedSecret, dataKey: Uint8Array, revision: number): Payload {
  const content = s.db.value<RevisionRow['content']>('SELECT content FROM revisions WHERE secret_id = ? AND revision = ?', row.id, revision);
  if (content === undefined) throw new CofferError('NOT_FOUND', `revision ${revision} does not exist`, 'revision');
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

export const INSERT_REVISION = 'INSERT INTO revisions (secret_id, revision, created_at, author_id, content) VALUES (?, ?, ?, ?, ?)';

export function writeRevision(s: Session, row: Pick<ListedSecret, 'id' | 'scope_id' | 'type'>, dataKey: Uint8Array, revision: number, payload: Payload): void {
  s.db.stmt(INSERT_REVISION).run(row.id, revision, s.ctx.clock.now(), s.member.id, sealRevision(s, row, dataKey, revision, payload));
}

/** The current revision, opened for `fn`; the data key is wiped once `fn` returns or throws. */
export function withCurrent<T>(s: Session, row: ListedSecret, fn: (payload: Payload, dataKey: Uint8Array) => T): T {
  const dataKey = unwrapDataKey(s, row.id);
  try {
    return fn(decryptRevision(s, row, dataKey, row.revision), dataKey);
  } finally {
    wipe(dataKey);
  }
}
