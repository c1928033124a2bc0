import type { Database } from 'better-sqlite3';
import { LISTING_FLAGS } from './listing-flags';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /** Moves enough rows that their old pages are best given back: the file is vacuumed once it has run. */
  compacts?: boolean;
}

/**
 * Migration 9's views, each with the INSTEAD OF triggers that make it writable: the rows of
 * reader_keys and secret_revisions as the code names them, by secret and scope id. What reads or
 * changes one secret's rows goes through them; what reads them all at unlock, or writes them by the
 * thousand, uses the tables. One statement each, as SQLite keeps its text (LATEST_VIEWS).
 */
const NUMBERED_ROWS_VIEWS = [
  `CREATE VIEW secret_readers (secret_id, scope_id, key_version, chunk_no, wrapped_key) AS
  SELECT s.id, sc.id, r.key_version, r.chunk_no, r.wrapped_key
  FROM reader_keys r JOIN secrets s ON s.seq = r.secret_seq JOIN scopes sc ON sc.num = r.scope_num`,
  `CREATE TRIGGER secret_readers_insert INSTEAD OF INSERT ON secret_readers BEGIN
  INSERT INTO reader_keys (secret_seq, scope_num, key_version, chunk_no, wrapped_key)
  VALUES ((SELECT seq FROM secrets WHERE id = NEW.secret_id), (SELECT num FROM scopes WHERE id = NEW.scope_id), NEW.key_version, NEW.chunk_no, NEW.wrapped_key);
END`,
  `CREATE TRIGGER secret_readers_update INSTEAD OF UPDATE ON secret_readers BEGIN
  UPDATE reader_keys SET
    secret_seq = (SELECT seq FROM secrets WHERE id = NEW.secret_id),
    scope_num = (SELECT num FROM scopes WHERE id = NEW.scope_id),
    key_version = NEW.key_version, chunk_no = NEW.chunk_no, wrapped_key = NEW.wrapped_key
  WHERE secret_seq = (SELECT seq FROM secrets WHERE id = OLD.secret_id) AND scope_num = (SELECT num FROM scopes WHERE id = OLD.scope_id);
END`,
  `CREATE TRIGGER secret_readers_delete INSTEAD OF DELETE ON secret_readers BEGIN
  DELETE FROM reader_keys
  WHERE secret_seq = (SELECT seq FROM secrets WHERE id = OLD.secret_id) AND scope_num = (SELECT num FROM scopes WHERE id = OLD.scope_id);
END`,
  `CREATE VIEW revisions (secret_id, revision, created_at, author_id, content, signature_id) AS
  SELECT s.id, r.revision, r.created_at, r.author_id, r.content, r.signature_id
  FROM secret_revisions r JOIN secrets s ON s.seq = r.secret_seq`,
  `CREATE TRIGGER revisions_insert INSTEAD OF INSERT ON revisions BEGIN
  INSERT INTO secret_revisions (secret_seq, revision, created_at, author_id, content, signature_id)
  VALUES ((SELECT seq FROM secrets WHERE id = NEW.secret_id), NEW.revision, NEW.created_at, NEW.author_id, NEW.content, NEW.signature_id);
END`,
  `CREATE TRIGGER revisions_update INSTEAD OF UPDATE ON revisions BEGIN
  UPDATE secret_revisions SET
    secret_seq = (SELECT seq FROM secrets WHERE id = NEW.secret_id),
    revision = NEW.revision, created_at = NEW.created_at, author_id = NEW.author_id, content = NEW.content, signature_id = NEW.signature_id
  WHERE secret_seq = (SELECT seq FROM secrets WHERE id = OLD.secret_id) AND revision = OLD.revision;
END`,
  `CREATE TRIGGER revisions_delete INSTEAD OF DELETE ON revisions BEGIN
  DELETE FROM secret_revisions WHERE secret_seq = (SELECT seq FROM secrets WHERE id = OLD.secret_id) AND revision = OLD.revision;
END`,
] as const;

/**
 * The views and triggers a vault of the latest format has, as SQLite keeps their text: what a file
 * is checked against when it is opened (db/connection.ts), without making a schema to compare. A
 * migration that changes one changes this list; the migrations test checks it against a new vault.
 */
export const LATEST_VIEWS: readonly string[] = NUMBERED_ROWS_VIEWS;

/**
 * Schema changes in order; each runs in one transaction and sets `user_version`.
 * Only the columns docs/product.md §3 allows are kept in clear: names, values, header names and URLs live
 * inside ciphertexts (revisions.content, name_chunks.content, usage.consumer, secret_tombstones.content).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'vault, members, scopes, secrets',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE members (
          id TEXT PRIMARY KEY,
          login TEXT NOT NULL UNIQUE COLLATE NOCASE,
          role TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          kdf_alg TEXT NOT NULL,
          kdf_profile TEXT NOT NULL,
          kdf_ops INTEGER NOT NULL,
          kdf_mem INTEGER NOT NULL,
          kdf_salt BLOB NOT NULL,
          box_public BLOB NOT NULL,
          sign_public BLOB NOT NULL,
          secret_keys BLOB NOT NULL
        ) STRICT;

        CREATE TABLE scopes (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('organization', 'workspace', 'team', 'personal')),
          owner_id TEXT REFERENCES members(id) ON DELETE CASCADE,
          key_version INTEGER NOT NULL DEFAULT 1,
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE workspaces (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE,
          scope_id TEXT NOT NULL UNIQUE REFERENCES scopes(id),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE teams (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE,
          scope_id TEXT NOT NULL UNIQUE REFERENCES scopes(id),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE team_members (
          team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
          member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
          PRIMARY KEY (team_id, member_id)
        ) STRICT;

        CREATE TABLE scope_grants (
          scope_id TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
          grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('member', 'credential')),
          grantee_id TEXT NOT NULL,
          key_version INTEGER NOT NULL,
          sealed_key BLOB NOT NULL,
          PRIMARY KEY (scope_id, grantee_kind, grantee_id)
        ) STRICT;
        CREATE INDEX scope_grants_by_grantee ON scope_grants (grantee_kind, grantee_id);

        CREATE TABLE secrets (
          id TEXT PRIMARY KEY,
          scope_id TEXT NOT NULL REFERENCES scopes(id),
          level TEXT NOT NULL CHECK (level IN ('organization', 'workspace', 'personal')),
          workspace_id TEXT REFERENCES workspaces(id),
          type TEXT NOT NULL,
          availability TEXT NOT NULL,
          name_hash BLOB NOT NULL,
          revision INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          expires_at INTEGER,
          last_used_at INTEGER,
          inactive_since INTEGER,
          deletion_at INTEGER,
          status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'scheduled')),
          UNIQUE (scope_id, name_hash)
        ) STRICT;

        CREATE TABLE secret_readers (
          secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
          scope_id TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
          key_version INTEGER NOT NULL,
          chunk_no INTEGER NOT NULL,
          wrapped_key BLOB NOT NULL,
          PRIMARY KEY (secret_id, scope_id)
        ) STRICT;
        CREATE INDEX secret_readers_by_scope ON secret_readers (scope_id, chunk_no);

        CREATE TABLE revisions (
          secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
          revision INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          author_id TEXT,
          content BLOB NOT NULL,
          PRIMARY KEY (secret_id, revision)
        ) STRICT;

        CREATE TABLE name_chunks (
          scope_id TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
          chunk_no INTEGER NOT NULL,
          key_version INTEGER NOT NULL,
          entries INTEGER NOT NULL,
          content BLOB NOT NULL,
          PRIMARY KEY (scope_id, chunk_no)
        ) STRICT;

        CREATE TABLE usage (
          id INTEGER PRIMARY KEY,
          secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
          at INTEGER NOT NULL,
          consumer BLOB NOT NULL
        ) STRICT;
        CREATE INDEX usage_by_secret ON usage (secret_id, at);
      `);
    },
  },
  {
    version: 2,
    name: 'lifecycle, notices, audit log',
    up(db) {
      db.exec(`
        -- When the inactivity period starts counting: creation, last use, or a cancelled deletion.
        ALTER TABLE secrets ADD COLUMN active_since INTEGER;
        UPDATE secrets SET active_since = coalesce(last_used_at, created_at);
        CREATE INDEX secrets_by_status ON secrets (status, active_since);
        CREATE INDEX secrets_by_deletion ON secrets (deletion_at) WHERE deletion_at IS NOT NULL;
        CREATE INDEX secrets_by_expiry ON secrets (expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX secrets_by_created ON secrets (created_at);

        -- Kept after a purge (no foreign key): the notice that a secret went is itself worth keeping.
        CREATE TABLE notices (
          id INTEGER PRIMARY KEY,
          secret_id TEXT NOT NULL,
          scope_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('deletion', 'expiration')),
          days_before INTEGER NOT NULL,
          due_at INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          read_at INTEGER,
          UNIQUE (secret_id, kind, days_before, due_at)
        ) STRICT;

        -- Hash-chained: each entry's hash covers the previous entry's hash and its own fields.
        CREATE TABLE audit (
          seq INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT,
          prev_hash BLOB NOT NULL,
          hash BLOB NOT NULL
        ) STRICT;
        CREATE INDEX audit_by_time ON audit (at);
      `);
    },
  },
  {
    version: 3,
    name: 'listing numbers',
    up(db) {
      db.exec(`
        -- Name chunks refer to a secret by this number, so unlock joins them to the clear columns by
        -- array position instead of hashing 100,000 ids. Explicit, because VACUUM may renumber rowids.
        ALTER TABLE secrets ADD COLUMN seq INTEGER;
        UPDATE secrets SET seq = rowid;
        CREATE UNIQUE INDEX secrets_by_seq ON secrets (seq);
        -- Never reused: a purged secret's stale chunk entry must not name a newer secret.
        INSERT INTO meta (key, value) SELECT 'next_secret_seq', coalesce(max(seq), 0) + 1 FROM secrets;
      `);
    },
  },
  {
    version: 4,
    name: 'keyed audit log',
    up(db) {
      db.exec(`
        -- Who could vouch for an entry when it was written: an unlocked session, under the audit key
        -- ('session'); nobody holding a key ('locked': a failed unlock, a pass while locked); or the
        -- unkeyed chain of schema 2 and 3 ('legacy', every entry already here). Only 'session'
        -- entries were authenticated when written; the others are adopted under the key at the next
        -- unlock, which keeps this mark (docs/product.md §8).
        ALTER TABLE audit ADD COLUMN origin TEXT NOT NULL DEFAULT 'legacy' CHECK (origin IN ('session', 'locked', 'legacy'));
        -- The entries recording that the log was found broken: status reads them without a scan.
        CREATE INDEX audit_breaks ON audit (seq) WHERE action = 'audit.broken';
      `);
    },
  },
  {
    version: 5,
    name: 'deletion dates in the status index',
    up(db) {
      db.exec(`
        -- Every unlocked pass checks the deletion dates of all Inactive secrets against the verified
        -- periods (a pass run without a password may have used tampered ones). With the date in the
        -- index that check reads the index alone: at 100,000 secrets it read ~11,000 rows from the
        -- table, ~60 ms in every CLI command that unlocks.
        DROP INDEX secrets_by_status;
        CREATE INDEX secrets_by_status ON secrets (status, active_since, deletion_at);
      `);
    },
  },
  {
    version: 6,
    name: 'signed roster, signed grants, secret heads',
    up(db) {
      db.exec(`
        -- Who is in the vault and what they may do (docs/product.md §1a): a chain of structure changes,
        -- each signed with the Ed25519 key of a member the chain itself authorizes. The clear tables
        -- (members, workspaces, teams, team_members, scopes) stay for the locked views; an unlocked
        -- session reads the verified chain. A vault made before this gets its first entry, listing
        -- what the clear tables say, at the first unlock by an Account Holder.
        CREATE TABLE roster (
          seq INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          signer_id TEXT NOT NULL,
          body TEXT NOT NULL,
          prev_hash BLOB NOT NULL,
          signature BLOB NOT NULL
        ) STRICT;

        -- A sealed box needs only the grantee's public key: who sealed it, signed, is what makes it usable.
        ALTER TABLE scope_grants ADD COLUMN granter_id TEXT;
        ALTER TABLE scope_grants ADD COLUMN signature BLOB;

        -- A MAC, under a key derived from the secret's data key, over the clear state Coffer acts on
        -- (revision, name hash, place, dates): a row set back or edited no longer matches it.
        ALTER TABLE secrets ADD COLUMN head BLOB;

        -- Who wrote a revision: one Ed25519 signature over the digest of a batch of revisions (one for
        -- an edit, thousands for an import), so a bulk import signs once.
        CREATE TABLE revision_signatures (
          id INTEGER PRIMARY KEY,
          signer_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          digest BLOB NOT NULL,
          signature BLOB NOT NULL
        ) STRICT;
        ALTER TABLE revisions ADD COLUMN signature_id INTEGER;
        CREATE INDEX revisions_by_signature ON revisions (signature_id) WHERE signature_id IS NOT NULL;
      `);
    },
  },
  {
    version: 7,
    name: 'service credentials and service accounts',
    up(db) {
      db.exec(`
        -- Service credentials (docs/product.md §6): who they are, their teams and their public key are on
        -- the signed roster; here, what a pipeline's client secret is checked against and opens. The id
        -- is the Client Id. Only a verifier and the wrapped private keys are stored, never the secret.
        CREATE TABLE credentials (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE,
          creator_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_used_at INTEGER,
          verifier BLOB NOT NULL,
          sealed_keys BLOB NOT NULL
        ) STRICT;

        -- Service accounts' keys (docs/product.md §7): the account, its role and its keys' public halves
        -- are on the roster; here, per key, what its secret is found by (lookup: a Bearer token carries
        -- the secret alone), checked against and unwraps. Each key has a key pair of its own, so a
        -- deleted or renewed key's secret opens none of the grants sealed to the others.
        CREATE TABLE account_keys (
          id TEXT PRIMARY KEY,
          account_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_used_at INTEGER,
          lookup BLOB NOT NULL UNIQUE,
          verifier BLOB NOT NULL,
          sealed_keys BLOB NOT NULL
        ) STRICT;

        -- A key grant may now be sealed to a service account's key: the CHECK changes, so the table is
        -- made again with the same rows.
        CREATE TABLE scope_grants_next (
          scope_id TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
          grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('member', 'credential', 'account-key')),
          grantee_id TEXT NOT NULL,
          key_version INTEGER NOT NULL,
          sealed_key BLOB NOT NULL,
          granter_id TEXT,
          signature BLOB,
          PRIMARY KEY (scope_id, grantee_kind, grantee_id)
        ) STRICT;
        INSERT INTO scope_grants_next SELECT scope_id, grantee_kind, grantee_id, key_version, sealed_key, granter_id, signature FROM scope_grants;
        DROP TABLE scope_grants;
        ALTER TABLE scope_grants_next RENAME TO scope_grants;
        CREATE INDEX scope_grants_by_grantee ON scope_grants (grantee_kind, grantee_id);
      `);
    },
  },
  {
    version: 8,
    name: 'last known names of deleted secrets',
    up(db) {
      db.exec(`
        -- A deleted secret's last known name (docs/product.md §8), so the audit log can still name it:
        -- sealed under the key of each scope that listed it, bound to the secret and the scope, never
        -- in clear. Informational; the most recent ones are kept (secrets/tombstones.ts). Secrets
        -- deleted before this migration have none and stay ids.
        CREATE TABLE secret_tombstones (
          secret_id TEXT NOT NULL,
          scope_id TEXT NOT NULL REFERENCES scopes(id) ON DELETE CASCADE,
          key_version INTEGER NOT NULL,
          deleted_at INTEGER NOT NULL,
          content BLOB NOT NULL,
          PRIMARY KEY (secret_id, scope_id)
        ) STRICT;
        CREATE INDEX secret_tombstones_by_time ON secret_tombstones (deleted_at);
        CREATE INDEX secret_tombstones_by_scope ON secret_tombstones (scope_id);
      `);
    },
  },
  {
    version: 9,
    name: 'readers and revisions by number',
    compacts: true,
    up(db) {
      db.exec(`
        -- Bytes per secret (docs/benchmark.md, "Storage"): a secret's wrapped data keys and its
        -- revisions named it by its 36-character id, in each row and again in each key's index
        -- (~320 bytes a secret at 100,000 for the wrapped keys alone). They now name the secret by
        -- its listing number, and a wrapped key its scope by a number of its own; the wrapped keys
        -- live in a table without rowid (its key is its only tree): ~100 bytes. No ciphertext
        -- changes: every context still binds the ids, which the views (NUMBERED_ROWS_VIEWS) read back.
        ALTER TABLE scopes ADD COLUMN num INTEGER;
        UPDATE scopes SET num = rowid;
        CREATE UNIQUE INDEX scopes_by_num ON scopes (num);

        CREATE TABLE reader_keys (
          secret_seq INTEGER NOT NULL REFERENCES secrets(seq) ON DELETE CASCADE ON UPDATE CASCADE,
          scope_num INTEGER NOT NULL REFERENCES scopes(num) ON DELETE CASCADE ON UPDATE CASCADE,
          key_version INTEGER NOT NULL,
          chunk_no INTEGER NOT NULL,
          wrapped_key BLOB NOT NULL,
          PRIMARY KEY (secret_seq, scope_num)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO reader_keys (secret_seq, scope_num, key_version, chunk_no, wrapped_key)
          SELECT s.seq, sc.num, r.key_version, r.chunk_no, r.wrapped_key
          FROM secret_readers r JOIN secrets s ON s.id = r.secret_id JOIN scopes sc ON sc.id = r.scope_id
          ORDER BY s.seq, sc.num;
        DROP TABLE secret_readers;
        CREATE INDEX reader_keys_by_scope ON reader_keys (scope_num, chunk_no);

        -- Revisions keep a rowid: their rows (~500 bytes, the sealed content) are too large for a
        -- key tree, whose interior pages would hold whole rows (measured: larger, not smaller).
        -- revisions_by_signature goes with the old table: no query looks a revision up by its batch.
        CREATE TABLE secret_revisions (
          secret_seq INTEGER NOT NULL REFERENCES secrets(seq) ON DELETE CASCADE ON UPDATE CASCADE,
          revision INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          author_id TEXT,
          content BLOB NOT NULL,
          signature_id INTEGER,
          PRIMARY KEY (secret_seq, revision)
        ) STRICT;
        INSERT INTO secret_revisions (secret_seq, revision, created_at, author_id, content, signature_id)
          SELECT s.seq, r.revision, r.created_at, r.author_id, r.content, r.signature_id
          FROM revisions r JOIN secrets s ON s.id = r.secret_id
          ORDER BY s.seq, r.revision;
        DROP TABLE revisions;
      `);
      for (const sql of NUMBERED_ROWS_VIEWS) db.exec(sql);
    },
  },
  {
    version: 10,
    name: 'inactive secrets by how far ahead their deletion is',
    up(db) {
      db.exec(`
        -- Every authenticated pass, and so every unlock, looks for Inactive secrets whose deletion date
        -- is earlier than their periods allow (lifecycle/scheduler.ts, redateEarly): nearly always
        -- none, but the status index made it read every Inactive secret (~25 ms at 1,000,000). By
        -- that distance, the few dated early are a range at the start.
        CREATE INDEX secrets_inactive_by_lead ON secrets (deletion_at - active_since) WHERE status = 'inactive';
      `);
    },
  },
  {
    version: 11,
    name: 'what the listing reads of every secret, in one covering index',
    up(db) {
      // Every unlock reads each secret's type, level, availability, status and workspace for its
      // listing (secrets/index-columns.ts). From the table that is every page of every row: ~560 ms
      // at 1,000,000, where these entries, ~33 bytes each, take ~160 (docs/decisions.md, "The
      // listing's covering index"). By workspace first, so the scan needs no join.
      db.exec(`CREATE INDEX secrets_listing ON secrets (workspace_id, seq, ${LISTING_FLAGS})`);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
