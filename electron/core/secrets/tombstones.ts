import { ad, open, seal } from '../crypto/aead';
import { normalizeName } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { SecretReaderRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { NameBatch } from './name-chunks';

/**
 * How many last known names are kept, newest first: enough for the audit log to name what was
 * deleted over years of ordinary use, and a bound on what a search decrypts (~10 ms at the limit).
 */
export const TOMBSTONE_LIMIT = 10_000;

interface TombstoneRow {
  secret_id: string;
  scope_id: string;
  key_version: number;
  content: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bound to the secret and the scope: a tombstone moved onto another id, or into another scope, does not open. */
const context = (s: Session, scopeId: string, secretId: string, version: number) => ad('coffer/v1/tombstone', s.vaultId, scopeId, secretId, version);

type Reader = Pick<SecretReaderRow, 'scope_id' | 'chunk_no'>;

/**
 * Keeps the name of a secret about to be purged (docs/product.md §8), sealed under each of its
 * reader scopes this session can read, so the audit log names it to those who could see it, and
 * to nobody else. Call in the purge's transaction, before the secret's rows go; `names` is the
 * batch the caller opens the chunks with. Returns those readers: the chunks whose copy of the name
 * the caller takes out, already open in `names`.
 */
export function buryName(s: Session, names: NameBatch, secretId: string): Reader[] {
  const readers = s.db
    .query<Reader>('SELECT scope_id, chunk_no FROM secret_readers WHERE secret_id = ?')
    .all(secretId)
    .filter((r) => s.canRead(r.scope_id));
  let name: string | undefined;
  for (const r of readers) {
    try {
      name ??= names.nameOf(r.scope_id, r.chunk_no, secretId);
    } catch {
      // A chunk that does not open names nothing; the purge goes on without a tombstone.
    }
  }
  if (name === undefined) return readers;
  const plain = encoder.encode(name);
  const write = s.db.stmt(
    `INSERT INTO secret_tombstones (secret_id, scope_id, key_version, deleted_at, content) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (secret_id, scope_id) DO UPDATE SET key_version = excluded.key_version, deleted_at = excluded.deleted_at, content = excluded.content`,
  );
  for (const r of readers) {
    const key = s.scopeKey(r.scope_id);
    write.run(secretId, r.scope_id, key.version, s.ctx.clock.now(), seal(key.key, plain, context(s, r.scope_id, secretId, key.version), s.ctx.random));
  }
  return readers;
}

/** Drops all but the newest TOMBSTONE_LIMIT; once per purging transaction. */
export function pruneTombstones(db: Db): void {
  const oldestKept = db.value<number>('SELECT deleted_at FROM secret_tombstones ORDER BY deleted_at DESC LIMIT 1 OFFSET ?', TOMBSTONE_LIMIT - 1);
  if (oldestKept !== undefined) db.stmt('DELETE FROM secret_tombstones WHERE deleted_at < ?').run(oldestKept);
}

/**
 * Re-seals a rotated scope's tombstones under its new key, in the rotation's transaction. One that
 * does not open is dropped: it only ever named something, and a planted row must not block a rotation.
 */
export function resealTombstones(s: Session, scopeId: string, next: { key: Uint8Array; version: number }): void {
  const rows = s.db.query<TombstoneRow>('SELECT secret_id, scope_id, key_version, content FROM secret_tombstones WHERE scope_id = ?').all(scopeId);
  const update = s.db.stmt('UPDATE secret_tombstones SET key_version = ?, content = ? WHERE secret_id = ? AND scope_id = ?');
  const drop = s.db.stmt('DELETE FROM secret_tombstones WHERE secret_id = ? AND scope_id = ?');
  for (const r of rows) {
    const name = openTombstone(s, r);
    if (name === undefined) drop.run(r.secret_id, scopeId);
    else update.run(next.version, seal(next.key, encoder.encode(name), context(s, scopeId, r.secret_id, next.version), s.ctx.random), r.secret_id, scopeId);
  }
}

function openTombstone(s: Session, r: TombstoneRow): string | undefined {
  if (!s.canRead(r.scope_id)) return undefined;
  const key = s.scopeKey(r.scope_id);
  if (key.version !== r.key_version) return undefined;
  try {
    return decoder.decode(open(key.key, r.content, context(s, r.scope_id, r.secret_id, r.key_version), 'a deleted secret name'));
  } catch {
    // Informational: an altered tombstone names nothing, and the entry shows its id.
    return undefined;
  }
}

/** The last known names of these deleted secrets that this session may learn. */
export function lastKnownNames(s: Session, ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const rows = s.db
    .query<TombstoneRow>('SELECT secret_id, scope_id, key_version, content FROM secret_tombstones WHERE secret_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids));
  for (const r of rows) {
    if (names.has(r.secret_id)) continue;
    const name = openTombstone(s, r);
    if (name !== undefined) names.set(r.secret_id, name);
  }
  return names;
}

/** Every readable tombstone opened once per state of the file, for searches typed letter by letter. */
const opened = new WeakMap<Session, { writes: number; dataVersion: number; names: Map<string, string> }>();

/** Ids of deleted secrets whose last known name contains `search`, compared as the listing's search compares. */
export function buriedIdsMatching(s: Session, search: string): string[] {
  const needle = normalizeName(search);
  if (!needle) return [];
  let cache = opened.get(s);
  if (!cache || cache.writes !== s.db.writes || cache.dataVersion !== s.db.dataVersion()) {
    const names = new Map<string, string>();
    for (const r of s.db.query<TombstoneRow>('SELECT secret_id, scope_id, key_version, content FROM secret_tombstones').all()) {
      if (names.has(r.secret_id)) continue;
      const name = openTombstone(s, r);
      if (name !== undefined) names.set(r.secret_id, normalizeName(name));
    }
    cache = { writes: s.db.writes, dataVersion: s.db.dataVersion(), names };
    opened.set(s, cache);
  }
  const ids: string[] = [];
  for (const [id, name] of cache.names) if (name.includes(needle)) ids.push(id);
  return ids;
}
