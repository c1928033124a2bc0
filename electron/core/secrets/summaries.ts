import type { SecretSummary } from '../../../shared/schemas/secrets';
import type { Db } from '../db/connection';
import type { SecretRow } from '../db/rows';

const LISTED = [
  'id',
  'seq',
  'scope_id',
  'level',
  'workspace_id',
  'type',
  'availability',
  'revision',
  'created_at',
  'updated_at',
  'expires_at',
  'last_used_at',
  'deletion_at',
  'status',
] as const satisfies readonly (keyof SecretRow)[];

/** A secret as the core reads it from SQLite: the clear columns a listing needs. */
export type ListedSecret = Pick<SecretRow, (typeof LISTED)[number]>;

/** Clear columns a listing needs (SPEC §3); never a ciphertext. */
export const SECRET_COLUMNS = LISTED.join(', ');

/** The teams a secret is available to, by name. */
export function teamNamesOf(db: Db, secretId: string): string[] {
  return (
    db.stmt('SELECT t.name FROM secret_readers r JOIN teams t ON t.scope_id = r.scope_id WHERE r.secret_id = ? ORDER BY t.name COLLATE NOCASE').all(secretId) as { name: string }[]
  ).map((r) => r.name);
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
