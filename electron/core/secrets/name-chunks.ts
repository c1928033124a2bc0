import { ad, open, seal } from '../crypto/aead';
import type { NameChunkRow, ReaderKeyRow } from '../db/rows';
import type { Session } from '../vault/session';
import { seqOfId } from './listing-seq';

/**
 * Secret names are encrypted in a few chunks per reader scope (docs/product.md §3), so unlock decrypts a
 * handful of blobs instead of one ciphertext per secret, and a write rewrites one chunk.
 */
export const CHUNK_CAPACITY = 1000;

/**
 * One secret's name in a chunk. `seq` is the secret's listing number (migration 3); chunks written
 * before it carry none until they are next rewritten.
 */
export type NameEntry = [id: string, name: string, seq?: number];

type ChunkRow = Pick<NameChunkRow, 'chunk_no' | 'key_version' | 'entries' | 'content'>;

/** The wrapped keys for a scope that point at one of its chunks: one per secret the chunk should name. */
const LIVE_IN_CHUNK = 'FROM reader_keys WHERE scope_num = (SELECT num FROM scopes WHERE id = ?) AND chunk_no = ?';

/** One of a scope's chunks, by its number. */
const CHUNK = 'SELECT chunk_no, key_version, entries, content FROM name_chunks WHERE scope_id = ? AND chunk_no = ?';

const context = (session: Session, scopeId: string, chunkNo: number, version: number) =>
  ad('coffer/v1/names', session.vaultId, scopeId, chunkNo, version);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decrypt(session: Session, scopeId: string, row: ChunkRow): NameEntry[] {
  const key = session.scopeKey(scopeId);
  const plain = open(key.key, row.content, context(session, scopeId, row.chunk_no, row.key_version), 'a name chunk');
  return JSON.parse(decoder.decode(plain)) as NameEntry[];
}

/**
 * Decrypts every chunk of a scope, handing each one's entries to `onChunk`; returns the numbers of
 * the chunks that failed verification, or whose clear entry count is not the one sealed inside
 * (their secrets are listed as tampered).
 */
export function readScopeChunks(session: Session, scopeId: string, onChunk: (entries: NameEntry[], chunkNo: number) => void): number[] {
  const tamperedChunks: number[] = [];
  const db = session.db;
  // One chunk's ciphertext at a time, let go before the next is read: all of a scope's at once were
  // ~85 MB of buffers at 1,000,000 secrets, each page of it memory the process had not touched yet.
  const numbers = db.tuples<[NameChunkRow['chunk_no']]>('SELECT chunk_no FROM name_chunks WHERE scope_id = ?').all(scopeId);
  const chunk = db.query<ChunkRow>(CHUNK);
  for (const [chunkNo] of numbers) {
    const row = chunk.get(scopeId, chunkNo);
    // Gone since the numbers were read: another connection's write, outside a read transaction.
    if (!row) continue;
    let entries: NameEntry[];
    try {
      entries = decrypt(session, scopeId, row);
    } catch {
      tamperedChunks.push(row.chunk_no);
      continue;
    }
    if (entries.length !== row.entries) {
      tamperedChunks.push(row.chunk_no);
      continue;
    }
    onChunk(entries, row.chunk_no);
  }
  return tamperedChunks;
}

/** Decrypts a scope's chunks into `names` (shared across scopes by callers reading several). */
export function readScopeNames(session: Session, scopeId: string, names = new Map<string, string>()): Map<string, string> {
  readScopeChunks(session, scopeId, (entries) => {
    for (const [id, name] of entries) names.set(id, name);
  });
  return names;
}

/**
 * Collects name changes inside one write transaction and writes each touched chunk once, so a bulk
 * import of N secrets costs N/CHUNK_CAPACITY chunk encryptions, not N.
 */
interface OpenChunk {
  chunkNo: number;
  entries: NameEntry[];
  fresh: boolean;
  dirty: boolean;
}

export class NameBatch {
  private readonly chunks = new Map<string, OpenChunk>();
  /** The chunk being filled per scope. */
  private readonly tail = new Map<string, number>();

  constructor(private readonly session: Session) {}

  private key(scopeId: string, chunkNo: number): string {
    return `${scopeId}\u0000${chunkNo}`;
  }

  /**
   * Opens a chunk once per batch. Names of secrets purged while nobody who reads this chunk was
   * unlocked (another member's pass) are dropped here, so any rewrite of a chunk also cleans it.
   */
  private load(scopeId: string, chunkNo: number): OpenChunk {
    const k = this.key(scopeId, chunkNo);
    let chunk = this.chunks.get(k);
    if (!chunk) {
      const db = this.session.db;
      const row = db
        .query<ChunkRow>(CHUNK)
        .get(scopeId, chunkNo);
      chunk = { chunkNo, entries: row ? decrypt(this.session, scopeId, row) : [], fresh: !row, dirty: false };
      if (this.upgrade(chunk)) chunk.dirty = true;
      if (db.count(`SELECT count(*) ${LIVE_IN_CHUNK}`, scopeId, chunkNo) !== chunk.entries.length) {
        // By listing number, from the index of wrapped keys alone: fetching each secret's id cost a
        // daily pass at 100,000 secrets ~130 ms, one chunk of a thousand at a time.
        const live = new Set(db.query<Pick<ReaderKeyRow, 'secret_seq'>>(`SELECT secret_seq ${LIVE_IN_CHUNK}`).all(scopeId, chunkNo).map((r) => r.secret_seq));
        const kept = chunk.entries.filter((e) => e[2] !== undefined && live.has(e[2]));
        chunk.dirty ||= kept.length !== chunk.entries.length;
        chunk.entries = kept;
      }
      this.chunks.set(k, chunk);
    }
    return chunk;
  }

  /** Gives entries written before migration 3 their listing number, so the rewrite carries it; a purged secret's entry gets none. */
  private upgrade(chunk: OpenChunk): boolean {
    let changed = false;
    for (const e of chunk.entries) {
      if (e[2] !== undefined) continue;
      const seq = seqOfId(this.session.db, e[0]);
      if (seq !== undefined) {
        e[2] = seq;
        changed = true;
      }
    }
    return changed;
  }

  /** Adds a name to the scope's last chunk, or starts a new one; returns the chunk number. */
  add(scopeId: string, id: string, name: string, seq: number): number {
    let chunkNo = this.tail.get(scopeId);
    if (chunkNo === undefined) {
      chunkNo = this.session.db.value<number | null>('SELECT max(chunk_no) AS n FROM name_chunks WHERE scope_id = ?', scopeId) ?? 0;
    }
    let chunk: OpenChunk;
    try {
      chunk = this.load(scopeId, chunkNo);
    } catch {
      // A tampered last chunk must not block new secrets: they go to a fresh chunk.
      chunk = this.load(scopeId, ++chunkNo);
    }
    if (chunk.entries.length >= CHUNK_CAPACITY) {
      // A full chunk is written now rather than at flush: a bulk import would otherwise keep every
      // name as live objects to its end, which each young-generation collection copies again.
      this.write(this.key(scopeId, chunkNo), chunk);
      chunk = this.load(scopeId, ++chunkNo);
    }
    chunk.entries.push([id, name, seq]);
    chunk.dirty = true;
    this.tail.set(scopeId, chunkNo);
    return chunkNo;
  }

  rename(scopeId: string, chunkNo: number, id: string, name: string, seq: number): void {
    const chunk = this.load(scopeId, chunkNo);
    const entry = chunk.entries.find((e) => e[0] === id);
    if (entry) entry[1] = name;
    else chunk.entries.push([id, name, seq]);
    chunk.dirty = true;
  }

  /** A secret's name as its chunk in this scope holds it. */
  nameOf(scopeId: string, chunkNo: number, id: string): string | undefined {
    return this.load(scopeId, chunkNo).entries.find((e) => e[0] === id)?.[1];
  }

  remove(scopeId: string, chunkNo: number, id: string): void {
    const chunk = this.load(scopeId, chunkNo);
    // In place: a pass purging hundreds of secrets from the same chunks copied each chunk per purge.
    const at = chunk.entries.findIndex((e) => e[0] === id);
    if (at >= 0) chunk.entries.splice(at, 1);
    chunk.dirty = true;
  }

  /** Encrypts and writes every touched chunk; call inside the same transaction as the rows. */
  flush(): void {
    // write() lets each chunk go.
    for (const [k, chunk] of this.chunks) this.write(k, chunk);
    this.tail.clear();
  }

  /** Encrypts and writes one chunk if touched, and lets it go: a later change reads it back. */
  private write(k: string, chunk: OpenChunk): void {
    this.chunks.delete(k);
    if (!chunk.dirty) return;
    const db = this.session.db;
    const scopeId = k.slice(0, k.indexOf('\u0000'));
    const scope = this.session.scopeKey(scopeId);
    if (chunk.entries.length === 0) {
      if (!chunk.fresh) db.stmt('DELETE FROM name_chunks WHERE scope_id = ? AND chunk_no = ?').run(scopeId, chunk.chunkNo);
      return;
    }
    const content = seal(scope.key, encoder.encode(JSON.stringify(chunk.entries)), context(this.session, scopeId, chunk.chunkNo, scope.version), this.session.ctx.random);
    db.stmt(
      `INSERT INTO name_chunks (scope_id, chunk_no, key_version, entries, content) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope_id, chunk_no) DO UPDATE SET key_version = excluded.key_version, entries = excluded.entries, content = excluded.content`,
    ).run(scopeId, chunk.chunkNo, scope.version, chunk.entries.length, content);
  }
}
