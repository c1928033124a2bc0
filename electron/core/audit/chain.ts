import { createHash } from 'node:crypto';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { AuditRow, MetaRow } from '../db/rows';

/**
 * How the audit log is chained (docs/product.md §8, SECURITY.md "Audit log"). Each entry's link
 * covers the previous entry's link and its own fields. Entries an unlocked session vouches for are
 * linked by a MAC under the audit key (keyed BLAKE2b, from the organization key): only a member can
 * extend or rewrite that part. Entries written without a key (a failed unlock, a pass while locked,
 * the unkeyed log of schema 2 and 3) are linked by plain SHA-256 after it, until the next unlocked
 * session adopts them under the MAC. The head names the last entry under the MAC, MACed itself.
 */

export type ChainFields = Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'origin'>;
export type ChainRow = ChainFields & Pick<AuditRow, 'prev_hash' | 'hash'>;

/** The audit MAC key and the organization key version it comes from. */
export interface AuditKey {
  key: Uint8Array;
  version: number;
}

export const GENESIS = new Uint8Array(32);

const utf8 = (s: string) => new TextEncoder().encode(s);
const ENTRY_CONTEXT = utf8('coffer/v1/audit-entry');
const HEAD_CONTEXT = utf8('coffer/v1/audit-head');

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The unkeyed link of schema 2, kept for entries written without a key: anyone can compute it. */
export function plainLink(prev: Uint8Array, e: ChainFields): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update(prev)
      .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target]))
      .digest(),
  );
}

/** The keyed link: the context and the previous link have fixed lengths, the fields are one JSON array. */
export function macLink(key: Uint8Array, prev: Uint8Array, e: ChainFields): Uint8Array {
  const fields = utf8(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.origin]));
  return sodium().crypto_generichash(32, concat(ENTRY_CONTEXT, prev, fields), key);
}

/** Whether both are the same bytes; a link a damaged row holds as NULL or text is not (SQLite checks types on writes only). */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/**
 * The last entry under the MAC and what the chain has recorded against itself: `broken` is the
 * earliest entry an `audit.broken` entry names (0 when none), kept here so that removing that
 * record is itself detected.
 */
export interface KeyedHead {
  kind: 'keyed';
  seq: number;
  link: Uint8Array;
  version: number;
  broken: number;
  mac: Uint8Array;
}

/** What `meta.audit_head` holds: the keyed head, schema 2's `seq:hash`, nothing, or something else. */
export type Head = KeyedHead | { kind: 'legacy'; seq: number; link: Uint8Array } | { kind: 'none' } | { kind: 'malformed' };

function headMac(key: Uint8Array, h: Omit<KeyedHead, 'kind' | 'mac'>): Uint8Array {
  return sodium().crypto_generichash(32, concat(HEAD_CONTEXT, h.link, utf8(JSON.stringify([h.seq, h.version, h.broken]))), key);
}

export function headVerifies(key: AuditKey, h: KeyedHead): boolean {
  return h.version === key.version && sameBytes(h.mac, headMac(key.key, h));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const KEYED = /^keyed:(\d{1,15}):(\d{1,9}):(\d{1,15}):([0-9a-f]{64}):([0-9a-f]{64})$/;
const LEGACY = /^(\d{1,15}):([0-9a-f]{64})$/;

/** `meta.audit_head` as stored. */
export const storedHead = (db: Db): string | undefined => db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'audit_head'");

export function readHead(db: Db): Head {
  const value = storedHead(db);
  if (value === undefined) return { kind: 'none' };
  const k = KEYED.exec(value);
  if (k) return { kind: 'keyed', seq: Number(k[1]), version: Number(k[2]), broken: Number(k[3]), link: bytes(k[4]!), mac: bytes(k[5]!) };
  const l = LEGACY.exec(value);
  if (l) return { kind: 'legacy', seq: Number(l[1]), link: bytes(l[2]!) };
  return { kind: 'malformed' };
}

/** Returns the value stored. */
export function writeHead(db: Db, key: AuditKey, h: { seq: number; link: Uint8Array; broken: number }): string {
  const head = { ...h, version: key.version };
  const value = `keyed:${h.seq}:${key.version}:${h.broken}:${hex(h.link)}:${hex(headMac(key.key, head))}`;
  db.stmt("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(value);
  return value;
}

/** The number a head claims, when it is a number at all: new entries never reuse a removed one's. */
export const claimedSeq = (h: Head): number => (h.kind === 'keyed' || h.kind === 'legacy' ? h.seq : 0);

export const ROW_COLUMNS = 'seq, at, actor, action, target, origin, prev_hash, hash';

export function lastRow(db: Db): ChainRow | undefined {
  return db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1`).get();
}

export function rowAt(db: Db, seq: number): ChainRow | undefined {
  return db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit WHERE seq = ?`).get(seq);
}

export function rowsFrom(db: Db, seq: number): IterableIterator<ChainRow> {
  return db.query<ChainRow>(`SELECT ${ROW_COLUMNS} FROM audit WHERE seq >= ? ORDER BY seq`).iterate(seq);
}

export function insertRow(db: Db, e: ChainFields, prev: Uint8Array, link: Uint8Array): void {
  db.stmt('INSERT INTO audit (seq, at, actor, action, target, origin, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    e.seq,
    e.at,
    e.actor,
    e.action,
    e.target,
    e.origin,
    prev,
    link,
  );
}

export function relink(db: Db, seq: number, prev: Uint8Array, link: Uint8Array): void {
  db.stmt('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, link, seq);
}
