import type { SecretSummary } from '../../../shared/schemas/secrets';
import type { Db } from '../db/connection';
import type { SecretRow, TeamRow, WorkspaceRow } from '../db/rows';
import type { Session } from '../vault/session';
import { HEAD_COLUMNS } from './head';

/**
 * The clear columns a listing needs are those a head covers (secrets/head.ts), and the head itself:
 * an operation checks the row it acts on.
 */
const LISTED = [...HEAD_COLUMNS, 'head'] as const;

/** A secret as the core reads it from SQLite: the clear columns a listing needs, and its head with what it covers. */
export type ListedSecret = Pick<SecretRow, (typeof LISTED)[number]>;

/** Clear columns a listing needs (docs/product.md §3) and the head's; never a ciphertext. */
export const SECRET_COLUMNS = LISTED.join(', ');

/** The team names of secrets by listing number, each secret's in name order: one statement for any number of them. */
export function teamNamesBySeq(db: Db, seqs: readonly number[]): Map<number, string[]> {
  const names = new Map<number, string[]>(seqs.map((seq) => [seq, []]));
  const rows = db
    .query<Pick<TeamRow, 'name'> & Pick<SecretRow, 'seq'>>(
      `SELECT r.secret_seq AS seq, t.name FROM reader_keys r JOIN scopes sc ON sc.num = r.scope_num JOIN teams t ON t.scope_id = sc.id
       WHERE r.secret_seq IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`,
    )
    .all(JSON.stringify(seqs));
  for (const row of rows) names.get(row.seq)?.push(row.name);
  return names;
}

/** The teams a secret is available to, by name. */
export const teamNamesOf = (db: Db, seq: number): string[] => teamNamesBySeq(db, [seq]).get(seq)!;

export function workspaceName(s: Session, workspaceId: string | null): string | null {
  if (!workspaceId) return null;
  return s.db.value<WorkspaceRow['name']>('SELECT name FROM workspaces WHERE id = ?', workspaceId) ?? null;
}

/** The listing row of a secret read from SQLite, as every door shows it. */
export function rowSummary(row: ListedSecret, name: string, workspace: string | null, teams: string[]): SecretSummary {
  return {
    id: row.id,
    name,
    type: row.type,
    level: row.level,
    workspace,
    availability: row.availability,
    teams,
    created: row.created_at,
    updated: row.updated_at,
    expires: row.expires_at,
    status: row.status,
    lastUsed: row.last_used_at,
    deletion: row.deletion_at,
    revision: row.revision,
  };
}

/** Keeps the in-memory index (when built) in step with this session's write. */
export function indexed(s: Session, row: ListedSecret, name: string): SecretSummary {
  const summary = { workspace: workspaceName(s, row.workspace_id), teams: teamNamesOf(s.db, row.seq) };
  if (s.index) return s.index.upsert(row, name, summary.workspace, summary.teams);
  return rowSummary(row, name, summary.workspace, summary.teams);
}
