import { CofferError } from '../../../shared/errors';
import { ad } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import { sameBytes } from '../crypto/same-bytes';
import { sodium } from '../crypto/sodium';
import type { SecretRow } from '../db/rows';
import type { Session } from '../vault/session';

/**
 * A secret's head (docs/product.md §1a): a MAC over the clear state Coffer acts on (its place, its
 * name's blind hash, its current revision, its dates and a manual deletion date), under a key
 * derived from the secret's data key. Anyone who can write the file can edit those columns; only
 * someone who can open the secret can make a head that matches them. So a revision set back with
 * the later revisions deleted, a name hash swapped between two rows, a date edited or a deletion
 * scheduled with SQL no longer matches, and Coffer reports TAMPERED for that secret instead of
 * acting on it (reading, writing, purging).
 *
 * Not covered: the status, `inactive_since` and `deletion_at` of a secret that is not scheduled.
 * The scheduler derives them without any key, from `active_since` (covered) and the settings, while
 * the vault is locked (docs/product.md §4); a pass that purges checks them against the covered
 * `active_since` and the verified settings instead (lifecycle/passes.ts). Whether a secret is
 * scheduled is covered, through its deletion date, which only a member's action sets.
 */

/** The columns a head covers, besides the vault id. */
export const HEAD_COLUMNS = [
  'id',
  'seq',
  'scope_id',
  'level',
  'workspace_id',
  'type',
  'availability',
  'name_hash',
  'revision',
  'created_at',
  'updated_at',
  'expires_at',
  'last_used_at',
  'active_since',
  'status',
  'deletion_at',
] as const satisfies readonly (keyof SecretRow)[];

/** A secret's state as its head covers it. */
export type HeadState = Pick<SecretRow, (typeof HEAD_COLUMNS)[number]>;

/** That state with the head stored beside it. */
export type Headed = HeadState & Pick<SecretRow, 'head'>;

export const HEAD_SELECT = HEAD_COLUMNS.join(', ');

const HEAD_BYTES = 32;
const KEY_CONTEXT = ad('coffer/v1/secret-head-key');

/** The head key of a secret: derived, so the data key itself serves one purpose (sealing). */
export function headKey(dataKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(HEAD_BYTES, KEY_CONTEXT, dataKey);
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * What a head is computed over. Every value is clear already; the parts are joined as associated
 * data is (U+001F), which is unambiguous here: legitimate values never hold the separator, so a
 * row whose values do cannot encode like a legitimate one. NULL is the empty string: no covered
 * column where NULL is allowed can hold an empty string that means something else.
 */
export function headMessage(vaultId: string, st: HeadState): Uint8Array {
  return ad(
    'coffer/v1/secret-head',
    vaultId,
    st.id,
    st.seq,
    st.scope_id,
    st.level,
    st.workspace_id ?? '',
    st.type,
    st.availability,
    hex(st.name_hash),
    st.revision,
    st.created_at,
    st.updated_at,
    st.expires_at ?? '',
    st.last_used_at ?? '',
    st.active_since,
    // The manual deletion date. An Inactive secret's date is the scheduler's, derived without a key.
    st.status === 'scheduled' ? (st.deletion_at ?? '') : '',
  );
}

/** The head of `st` under a head key (bulk writers derive the key once per secret and wipe it). */
export function headWithKey(vaultId: string, key: Uint8Array, st: HeadState): Uint8Array {
  return sodium().crypto_generichash(HEAD_BYTES, headMessage(vaultId, st), key);
}

/** The head of `st` under a secret's data key. */
export function headOf(vaultId: string, dataKey: Uint8Array, st: HeadState): Uint8Array {
  const key = headKey(dataKey);
  try {
    return headWithKey(vaultId, key, st);
  } finally {
    wipe(key);
  }
}

/**
 * `ok`: the head matches. `legacy`: there is none, and this session accepts that (a vault made
 * before heads existed, until the member adopts them). `tampered`: anything else.
 */
export type HeadVerdict = 'ok' | 'legacy' | 'tampered';

export function checkHead(s: Session, row: Headed, dataKey: Uint8Array): HeadVerdict {
  if (row.head === null) return s.acceptsLegacyHeads ? 'legacy' : 'tampered';
  const key = headKey(dataKey);
  try {
    return checkHeadWithKey(s, row, key);
  } finally {
    wipe(key);
  }
}

/** The same under a head key already derived (an export checks the head and writes the next one under one key). */
export function checkHeadWithKey(s: Session, row: Headed, key: Uint8Array): HeadVerdict {
  if (row.head === null) return s.acceptsLegacyHeads ? 'legacy' : 'tampered';
  return sameBytes(row.head, headWithKey(s.vaultId, key, row)) ? 'ok' : 'tampered';
}

/** Where a secret lives, as people write it, without its name (the row's name index is what failed). */
function placeOf(s: Session, row: Pick<SecretRow, 'id' | 'level' | 'workspace_id'>): string {
  if (row.level !== 'workspace') return `${row.level} secret ${row.id}`;
  const ws = row.workspace_id === null ? undefined : s.db.value<string>('SELECT name FROM workspaces WHERE id = ?', row.workspace_id);
  return `workspace secret ${row.id}${ws === undefined ? '' : ` in ${ws}`}`;
}

/** The error of a head that does not match: names the secret's place, never a value or a field. */
export function headTampered(s: Session, row: Pick<SecretRow, 'id' | 'level' | 'workspace_id'>): CofferError {
  return new CofferError(
    'TAMPERED',
    `the stored state of the ${placeOf(s, row)} (its revision, name index, dates or deletion) was altered in the file: nothing of it was read or written`,
  );
}

/**
 * Rewrites a secret's head from its row as it now stands, inside the caller's write transaction:
 * every writer of a covered column calls it (or computes the head itself, in bulk) after its
 * updates and before committing.
 */
export function writeHead(s: Session, id: string, dataKey: Uint8Array): void {
  const st = s.db.query<HeadState>(`SELECT ${HEAD_SELECT} FROM secrets WHERE id = ?`).get(id);
  if (!st) throw new CofferError('INTERNAL', `secret ${id} vanished inside its own transaction`);
  s.db.stmt('UPDATE secrets SET head = ? WHERE id = ?').run(headOf(s.vaultId, dataKey, st), id);
}

/** Rows per statement when heads are written in bulk (adoption, an export's uses). */
const HEADS_PER_UPDATE = 4096;

/**
 * Heads computed in bulk and written together: packed 32 bytes apiece (100,000 small arrays kept
 * the garbage collector busy), then set by rowid a few thousand per statement, each row taking its
 * slice of one blob (a statement per row spent more time in the calls than in SQLite).
 */
export class PendingHeads {
  private readonly rowids: number[] = [];
  private packed = new Uint8Array(HEAD_BYTES * 256);

  get size(): number {
    return this.rowids.length;
  }

  push(rowid: number, head: Uint8Array): void {
    const at = this.rowids.length * HEAD_BYTES;
    if (at + HEAD_BYTES > this.packed.length) {
      const grown = new Uint8Array(this.packed.length * 2);
      grown.set(this.packed);
      this.packed = grown;
    }
    this.packed.set(head, at);
    this.rowids.push(rowid);
  }

  /** Writes them inside the caller's transaction; `set` is more assignments for the same rows, with `?` for `args`. */
  write(s: Session, set = '', args: unknown[] = []): void {
    const sql = `UPDATE secrets SET ${set}${set ? ', ' : ''}head = substr(?, j.key * ${HEAD_BYTES} + 1, ${HEAD_BYTES}) FROM json_each(?) AS j WHERE secrets.rowid = j.value`;
    for (let at = 0; at < this.rowids.length; at += HEADS_PER_UPDATE) {
      const rowids = this.rowids.slice(at, at + HEADS_PER_UPDATE);
      const heads = this.packed.subarray(at * HEAD_BYTES, (at + rowids.length) * HEAD_BYTES);
      s.db.stmt(sql).run(...args, heads, JSON.stringify(rowids));
    }
  }
}
