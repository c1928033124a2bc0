import { ad, open, seal } from '../crypto/aead';
import type { Session } from '../vault/session';

/**
 * Secret names are encrypted in a few chunks per reader scope (SPEC §3), so unlock decrypts a
 * handful of blobs instead of one ciphertext per secret, and a write rewrites one chunk.
 */
export const CHUNK_CAPACITY = 1000;

type Entry = [id: string, name: string];

interface ChunkRow {
  chunk_no: number;
  key_version: number;
  entries: number;
  content: Uint8Array;
}

const context = (session: Session, scopeId: string, chunkNo: number, version: number) =>
  ad('coffer/v1/names', session.vaultId, scopeId, chunkNo, version);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decrypt(session: Session, scopeId: string, row: ChunkRow): Entry[] {
  const key = session.scopeKey(scopeId);
  const plain = open(key.key, row.content, context(session, scopeId, row.chunk_no, row.key_version), 'a name chunk');
  return JSON.parse(decoder.decode(plain)) as Entry[];
}

export interface ScopeNames {
  names: Map<string, string>;
  /** Chunks that failed verification: their secrets are listed as tampered. */
  tamperedChunks: number[];
}

export function readScopeNames(session: Session, scopeId: string): ScopeNames {
  const names = new Map<string, string>();
  const tamperedChunks: number[] = [];
  const rows = session.db.stmt('SELECT chunk_no, key_version, entries, content FROM name_chunks WHERE scope_id = ?').all(scopeId) as ChunkRow[];
  for (const row of rows) {
    try {
      for (const [id, name] of decrypt(session, scopeId, row)) names.set(id, name);
    } catch {
      tamperedChunks.push(row.chunk_no);
    }
  }
  return { names, tamperedChunks };
}

/**
 * Collects name changes inside one write transaction and writes each touched chunk once, so a bulk
 * import of N secrets costs N/CHUNK_CAPACITY chunk encryptions, not N.
 */
export class NameBatch {
  private readonly chunks = new Map<string, { chunkNo: number; entries: Entry[]; fresh: boolean }>();
  /** The chunk being filled per scope. */
  private readonly tail = new Map<string, number>();

  constructor(private readonly session: Session) {}

  private key(scopeId: string, chunkNo: number): string {
    return `${scopeId}\u0000${chunkNo}`;
  }

  private load(scopeId: string, chunkNo: number): { chunkNo: number; entries: Entry[]; fresh: boolean } {
    const k = this.key(scopeId, chunkNo);
    let chunk = this.chunks.get(k);
    if (!chunk) {
      const row = this.session.db
        .stmt('SELECT chunk_no, key_version, entries, content FROM name_chunks WHERE scope_id = ? AND chunk_no = ?')
        .get(scopeId, chunkNo) as ChunkRow | undefined;
      chunk = { chunkNo, entries: row ? decrypt(this.session, scopeId, row) : [], fresh: !row };
      this.chunks.set(k, chunk);
    }
    return chunk;
  }

  /** Adds a name to the scope's last chunk, or starts a new one; returns the chunk number. */
  add(scopeId: string, id: string, name: string): number {
    let chunkNo = this.tail.get(scopeId);
    if (chunkNo === undefined) {
      const last = this.session.db.stmt('SELECT max(chunk_no) AS n FROM name_chunks WHERE scope_id = ?').get(scopeId) as { n: number | null };
      chunkNo = last.n ?? 0;
    }
    let chunk: { chunkNo: number; entries: Entry[] };
    try {
      chunk = this.load(scopeId, chunkNo);
    } catch {
      // A tampered last chunk must not block new secrets: they go to a fresh chunk.
      chunk = this.load(scopeId, ++chunkNo);
    }
    if (chunk.entries.length >= CHUNK_CAPACITY) chunk = this.load(scopeId, ++chunkNo);
    chunk.entries.push([id, name]);
    this.tail.set(scopeId, chunkNo);
    return chunkNo;
  }

  rename(scopeId: string, chunkNo: number, id: string, name: string): void {
    const chunk = this.load(scopeId, chunkNo);
    const entry = chunk.entries.find((e) => e[0] === id);
    if (entry) entry[1] = name;
    else chunk.entries.push([id, name]);
  }

  remove(scopeId: string, chunkNo: number, id: string): void {
    const chunk = this.load(scopeId, chunkNo);
    chunk.entries = chunk.entries.filter((e) => e[0] !== id);
  }

  /** Encrypts and writes every touched chunk; call inside the same transaction as the rows. */
  flush(): void {
    const db = this.session.db;
    for (const [k, chunk] of this.chunks) {
      const scopeId = k.slice(0, k.indexOf('\u0000'));
      const version = this.session.scopeKey(scopeId).version;
      if (chunk.entries.length === 0) {
        if (!chunk.fresh) db.stmt('DELETE FROM name_chunks WHERE scope_id = ? AND chunk_no = ?').run(scopeId, chunk.chunkNo);
        continue;
      }
      const content = seal(
        this.session.scopeKey(scopeId).key,
        encoder.encode(JSON.stringify(chunk.entries)),
        context(this.session, scopeId, chunk.chunkNo, version),
        this.session.ctx.random,
      );
      db.stmt(
        `INSERT INTO name_chunks (scope_id, chunk_no, key_version, entries, content) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope_id, chunk_no) DO UPDATE SET key_version = excluded.key_version, entries = excluded.entries, content = excluded.content`,
      ).run(scopeId, chunk.chunkNo, version, chunk.entries.length, content);
    }
    this.chunks.clear();
    this.tail.clear();
  }
}
