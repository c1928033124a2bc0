import { open } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { RevisionRow, SecretReaderRow, SecretRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { Payload } from './content';
import type { Headed } from './head';
import { PendingHeads, checkHeadWithKey, headKey, headTampered, headWithKey } from './head';
import { dataKeyContext, revisionContext } from './sealing';
import type { UseVia } from './usage';
import { USED_AT, usageLabel, useRecordOf, usedAt } from './usage';

const decoder = new TextDecoder();

const USAGE_ROWS_PER_INSERT = 256;

/** What an export needs of a secret; the rest of its row stays in SQLite. */
export type ExportRow = Pick<SecretRow, 'id' | 'scope_id' | 'level' | 'workspace_id' | 'type' | 'availability' | 'revision' | 'created_at' | 'updated_at'>;

/** One joined row per reader scope, as a tuple: at 100,000 secrets, named-column objects cost ~0.25 s more. */
type ExportTuple = [
  rowid: number,
  id: SecretRow['id'],
  scopeId: SecretRow['scope_id'],
  level: SecretRow['level'],
  workspaceId: SecretRow['workspace_id'],
  type: SecretRow['type'],
  availability: SecretRow['availability'],
  revision: SecretRow['revision'],
  created: SecretRow['created_at'],
  updated: SecretRow['updated_at'],
  content: RevisionRow['content'],
  readerScope: SecretReaderRow['scope_id'],
  readerVersion: SecretReaderRow['key_version'],
  wrappedKey: SecretReaderRow['wrapped_key'],
  // The rest of what the head covers, and the head (secrets/head.ts).
  seq: SecretRow['seq'],
  nameHash: SecretRow['name_hash'],
  expires: SecretRow['expires_at'],
  lastUsed: SecretRow['last_used_at'],
  activeSince: SecretRow['active_since'],
  status: SecretRow['status'],
  deletion: SecretRow['deletion_at'],
  head: SecretRow['head'],
];

/** The secret's state as its head covers it, from its export tuple. */
function stateOf(t: ExportTuple): Headed {
  const [, id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at] = t;
  const [seq, name_hash, expires_at, last_used_at, active_since, status, deletion_at, head] = t.slice(14) as [
    SecretRow['seq'],
    SecretRow['name_hash'],
    SecretRow['expires_at'],
    SecretRow['last_used_at'],
    SecretRow['active_since'],
    SecretRow['status'],
    SecretRow['deletion_at'],
    SecretRow['head'],
  ];
  return { id, seq, scope_id, level, workspace_id, type, availability, name_hash, revision, created_at, updated_at, expires_at, last_used_at, active_since, status, deletion_at, head };
}

/** Which secrets an export reads: a condition on `secrets s`, written by the caller with its arguments. */
export interface ExportFilter {
  where: string;
  args: unknown[];
}

/**
 * Current revisions of the secrets `filter` selects, for an export: one pass in rowid order inside
 * the caller's transaction, each secret handed to `fn` as soon as it is decrypted; those this member
 * holds no key for are skipped. Each read is recorded as a use `via` (docs/product.md §2) unless the vault
 * is read-only, written after the pass: SQLite cannot write while a statement iterates, and
 * interleaving 100,000 scattered writes with the reads cost more than the reads. The CROSS JOINs
 * keep the secrets the outer loop: left to itself SQLite scanned the wrapped keys by scope and
 * sorted 100,000 rows after (1.7 s against 0.8). Each secret's head
 * is checked before its revision is opened (a row set back or edited fails the export with
 * TAMPERED, naming it), and the use's new state gets its head in the same update.
 */
export function readForExport(s: Session, filter: ExportFilter, via: UseVia, fn: (row: ExportRow, payload: Payload, readerScopes: string[]) => void): void {
  s.assertUnlocked();
  const record = !s.vault.readOnly;
  const useRecord = useRecordOf(s, via);
  const uses: { id: string; label: Uint8Array }[] = [];
  const heads = new PendingHeads();
  // The time of the uses, which their heads cover: taken once, before the pass.
  const now = s.ctx.clock.now();
  const tuples = s.db
    .tuples<ExportTuple>(
      `SELECT s.rowid, s.id, s.scope_id, s.level, s.workspace_id, s.type, s.availability, s.revision, s.created_at, s.updated_at,
              r.content, g.id, k.key_version, k.wrapped_key,
              s.seq, s.name_hash, s.expires_at, s.last_used_at, s.active_since, s.status, s.deletion_at, s.head
       FROM secrets s CROSS JOIN secret_revisions r ON r.secret_seq = s.seq AND r.revision = s.revision
       CROSS JOIN reader_keys k ON k.secret_seq = s.seq JOIN scopes g ON g.num = k.scope_num
       WHERE ${filter.where} ORDER BY s.rowid -- export`,
    )
    .iterate(...filter.args);
  // A secret readable by several teams comes once per reader scope, on consecutive rows.
  let group: ExportTuple[] = [];
  const flush = () => {
    const [rowid, id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at, content] = group[0]!;
    const reader = group.find((g) => s.canRead(g[11]));
    if (!reader) return;
    const row: ExportRow = { id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at };
    const dataKey = open(s.scopeKey(reader[11]).key, reader[13], dataKeyContext(s, id, reader[11], reader[12]), `secret ${id}`);
    const key = headKey(dataKey);
    try {
      const state = stateOf(reader);
      if (checkHeadWithKey(s, state, key) === 'tampered') throw headTampered(s, state);
      const plain = open(dataKey, content, revisionContext(s, row, revision), `secret ${id}`);
      const payload = JSON.parse(decoder.decode(plain)) as Payload;
      wipe(plain);
      fn(row, payload, group.map((g) => g[11]));
      if (record) {
        uses.push({ id, label: usageLabel(s, id, dataKey, useRecord) });
        heads.push(rowid, headWithKey(s.vaultId, key, usedAt(state, now)));
      }
    } finally {
      wipe(dataKey, key);
    }
  };
  for (const tuple of tuples) {
    if (group.length && group[0]![0] !== tuple[0]) {
      flush();
      group = [];
    }
    group.push(tuple);
  }
  if (group.length) flush();
  if (record && heads.size) {
    // Many rows per statement: 100,000 single-row inserts spent as long in the calls as in SQLite.
    for (let at = 0; at < uses.length; at += USAGE_ROWS_PER_INSERT) {
      const batch = uses.slice(at, at + USAGE_ROWS_PER_INSERT);
      s.db
        .stmt(`INSERT INTO usage (secret_id, at, consumer) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`)
        .run(batch.flatMap((u) => [u.id, now, u.label]));
    }
    heads.write(s, USED_AT, [now, now]);
    s.index?.invalidate();
  }
}
