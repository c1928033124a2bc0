import type { Availability, Level, SecretStatus, SecretType } from '../../../shared/schemas/secrets';
import type { Role } from '../../../shared/schemas/vault';

/** The columns of a LEFT JOIN's optional side: NULL where it found no row. */
export type Nullable<Row> = { [Column in keyof Row]: Row[Column] | null };

/**
 * Each table's row as better-sqlite3 returns it, declared once from the CREATE TABLEs of
 * migrations.ts: a query states which of these columns it selects (`Pick<MemberRow, 'id' | 'role'>`)
 * instead of describing them again. BLOBs arrive as Buffers, which are Uint8Arrays.
 */

export interface MetaRow {
  key: string;
  value: string;
}

export interface MemberRow {
  id: string;
  login: string;
  role: Role;
  created_at: number;
  kdf_alg: string;
  kdf_profile: string;
  kdf_ops: number;
  kdf_mem: number;
  kdf_salt: Uint8Array;
  box_public: Uint8Array;
  sign_public: Uint8Array;
  secret_keys: Uint8Array;
}

export interface CredentialRow {
  id: string;
  name: string;
  creator_id: string;
  created_at: number;
  last_used_at: number | null;
  verifier: Uint8Array;
  sealed_keys: Uint8Array;
}

export interface AccountKeyRow {
  id: string;
  account_id: string;
  created_at: number;
  last_used_at: number | null;
  lookup: Uint8Array;
  verifier: Uint8Array;
  sealed_keys: Uint8Array;
}

export interface ScopeRow {
  id: string;
  kind: 'organization' | 'workspace' | 'team' | 'personal';
  owner_id: string | null;
  key_version: number;
  created_at: number;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  scope_id: string;
  created_at: number;
}

export interface TeamRow {
  id: string;
  name: string;
  scope_id: string;
  created_at: number;
}

export interface TeamMemberRow {
  team_id: string;
  member_id: string;
}

export interface ScopeGrantRow {
  scope_id: string;
  grantee_kind: 'member' | 'credential' | 'account-key';
  grantee_id: string;
  key_version: number;
  sealed_key: Uint8Array;
  /** Added by migration 6: the member who sealed it, and their signature over it (access/grants.ts). NULL before a vault was signed. */
  granter_id: string | null;
  signature: Uint8Array | null;
}

export interface SecretRow {
  id: string;
  /**
   * The listing number name chunks refer to the secret by (migration 3). Nullable in the schema, as
   * a column added by ALTER TABLE, but never NULL: migration 3 numbered every row and each insert takes one.
   */
  seq: number;
  scope_id: string;
  level: Level;
  workspace_id: string | null;
  type: SecretType;
  availability: Availability;
  name_hash: Uint8Array;
  revision: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  inactive_since: number | null;
  deletion_at: number | null;
  status: SecretStatus;
  /** Added by migration 2, which filled it in, and written by every insert since: never NULL either. */
  active_since: number;
  /** Added by migration 6: a MAC of the clear state under the data key (secrets/head.ts); NULL before the vault was signed. */
  head: Uint8Array | null;
}

/** A row of reader_keys (migration 9): a SecretReaderRow with the secret and scope by number. */
export interface ReaderKeyRow {
  secret_seq: number;
  scope_num: number;
  key_version: number;
  chunk_no: number;
  wrapped_key: Uint8Array;
}

/** A row of the view secret_readers: reader_keys with the secret and scope by id. */
export interface SecretReaderRow {
  secret_id: string;
  scope_id: string;
  key_version: number;
  chunk_no: number;
  wrapped_key: Uint8Array;
}

export interface RevisionRow {
  secret_id: string;
  revision: number;
  created_at: number;
  author_id: string | null;
  content: Uint8Array;
  /** Added by migration 6: the signed batch this revision belongs to (revision_signatures); NULL before. */
  signature_id: number | null;
}

export interface RevisionSignatureRow {
  id: number;
  signer_id: string;
  at: number;
  digest: Uint8Array;
  signature: Uint8Array;
}

export interface RosterRow {
  seq: number;
  at: number;
  signer_id: string;
  /** The entry's event as JSON (access/roster.ts). */
  body: string;
  prev_hash: Uint8Array;
  signature: Uint8Array;
}

export interface NameChunkRow {
  scope_id: string;
  chunk_no: number;
  key_version: number;
  entries: number;
  content: Uint8Array;
}

export interface UsageRow {
  id: number;
  secret_id: string;
  at: number;
  consumer: Uint8Array;
}

export interface NoticeRow {
  id: number;
  secret_id: string;
  scope_id: string;
  kind: 'deletion' | 'expiration';
  days_before: number;
  due_at: number;
  created_at: number;
  read_at: number | null;
}

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  /** The previous entry's link, as this entry was chained onto it. */
  prev_hash: Uint8Array;
  /** This entry's link: a MAC under the audit key, or a plain hash until an unlocked session adopts it. */
  hash: Uint8Array;
  /** Added by migration 4: who could vouch for the entry when it was written (audit/chain.ts). */
  origin: AuditOrigin;
}

export type AuditOrigin = 'session' | 'locked' | 'legacy';
