import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { PAGE_BYTES, migrate, openDb } from '../../electron/core/db/connection';
import type { Migration } from '../../electron/core/db/migrations';
import { LATEST_VERSION, LATEST_VIEWS, MIGRATIONS } from '../../electron/core/db/migrations';
import { Vault } from '../../electron/core/vault/vault';
import { withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const schemaOf = (db: Database) =>
  db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
    type: string;
    name: string;
    sql: string;
  }[];

const userVersion = (db: Database) => db.pragma('user_version', { simple: true }) as number;

describe('migrations', () => {
  const tempDir = useTempDir();

  it('bring an empty file to the latest version with the full schema', () => {
    const path = join(tempDir(), 'empty.coffer');
    writeFileSync(path, '');
    const db = openDb(path, { create: true });
    expect(userVersion(db.raw)).toBe(LATEST_VERSION);
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.raw.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.raw.pragma('page_size', { simple: true })).toBe(PAGE_BYTES);
    const tables = schemaOf(db.raw).filter((o) => o.type === 'table').map((o) => o.name);
    expect(tables).toEqual(['account_keys', 'audit', 'credentials', 'members', 'meta', 'name_chunks', 'notices', 'reader_keys', 'revision_signatures', 'roster', 'scope_grants', 'scopes', 'secret_revisions', 'secret_tombstones', 'secrets', 'team_members', 'teams', 'usage', 'workspaces']);
    db.close();
  });

  it('leave the page size of a vault made with 16 KiB pages, as new vaults were before 4 KiB, as it was', () => {
    const path = join(tempDir(), 'large-pages.coffer');
    const raw = new BetterSqlite3(path);
    raw.pragma('page_size = 16384');
    raw.pragma('journal_mode = WAL');
    migrate(raw);
    raw.close();
    const db = openDb(path);
    expect(db.raw.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });

  it('keep the schema as snapshotted (a change needs a new migration, not an edit)', () => {
    const path = join(tempDir(), 'schema.coffer');
    const db = openDb(path, { create: true });
    expect(schemaOf(db.raw).map((o) => `${o.type} ${o.name}\n${o.sql}`).join('\n\n')).toMatchSnapshot();
    db.close();
  });

  it('leave the views and triggers LATEST_VIEWS lists, text for text (what every open checks a file against)', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db);
    const made = (db.prepare("SELECT sql FROM sqlite_master WHERE type IN ('view', 'trigger')").pluck().all() as string[]).sort();
    db.close();
    expect(made).toEqual([...LATEST_VIEWS].sort());
  });

  it('are numbered 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('upgrade an older vault, each step in its own transaction', () => {
    const path = join(tempDir(), 'old.coffer');
    openDb(path, { create: true, migrations: MIGRATIONS }).close();
    const next: Migration = { version: LATEST_VERSION + 1, name: 'notes', up: (db) => db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY) STRICT') };
    // A read-only open cannot upgrade, so it refuses.
    expect(() => openDb(path, { readOnly: true, migrations: [...MIGRATIONS, next] })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    const db = openDb(path, { migrations: [...MIGRATIONS, next] });
    expect(userVersion(db.raw)).toBe(LATEST_VERSION + 1);
    expect(schemaOf(db.raw).map((o) => o.name)).toContain('notes');
    db.close();
  });

  it('leave nothing of a step that fails: the version and the schema stay where they were', () => {
    const path = join(tempDir(), 'failing.coffer');
    openDb(path, { create: true }).close();
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (id TEXT) STRICT');
        throw new Error('disk full halfway');
      },
    };
    expect(() => openDb(path, { migrations: [...MIGRATIONS, broken] })).toThrow('disk full halfway');
    withRawDb(path, (db) => {
      expect(userVersion(db)).toBe(LATEST_VERSION);
      expect(schemaOf(db).map((o) => o.name)).not.toContain('half_done');
    });
  });

  it('refuse a gap in the versions', () => {
    const path = join(tempDir(), 'gap.coffer');
    const skipping: Migration = { version: LATEST_VERSION + 2, name: 'skips one', up: () => undefined };
    expect(() => openDb(path, { create: true, migrations: [...MIGRATIONS, skipping] })).toThrow(/does not follow/);
  });
});

describe('a vault from a newer Coffer', () => {
  const tempDir = useTempDir();

  it('is refused with UNSUPPORTED_VERSION and left byte-identical', async () => {
    const { path, vault } = await newVault(tempDir());
    vault.close();
    withRawDb(path, (db) => db.pragma(`user_version = ${LATEST_VERSION + 1}`));
    const before = readFileSync(path);
    expect(existsSync(`${path}-wal`)).toBe(false);

    const unsupported = expect.objectContaining({ code: 'UNSUPPORTED_VERSION' });
    expect(() => openDb(path)).toThrow(unsupported);
    expect(() => openDb(path, { readOnly: true })).toThrow(unsupported);
    await expect(Vault.open(path)).rejects.toThrow(unsupported);
    await expect(Vault.open(path, { readOnly: true })).rejects.toThrow(unsupported);

    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    withRawDb(path, (db) => expect(userVersion(db)).toBe(LATEST_VERSION + 1));
  });
});

describe('opening files that are not vaults', () => {
  const tempDir = useTempDir();

  it('a missing file is NOT_FOUND unless creating', () => {
    const path = join(tempDir(), 'missing.coffer');
    expect(() => openDb(path)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'vault' }));
    expect(existsSync(path)).toBe(false);
  });

  it('an empty file or another SQLite database is refused when not creating, and left untouched', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.coffer');
    writeFileSync(empty, '');
    expect(() => openDb(empty)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'vault' }));
    expect(readFileSync(empty).length).toBe(0);

    const other = join(dir, 'other.sqlite');
    const raw = new BetterSqlite3(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    expect(() => openDb(other)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'vault' }));
  });

  it('a file of random bytes is VALIDATION, a folder too', async () => {
    const dir = tempDir();
    const junk = join(dir, 'junk.coffer');
    writeFileSync(junk, Buffer.alloc(8192, 0x5a));
    const before = readFileSync(junk);
    expect(() => openDb(junk)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'vault' }));
    expect(readFileSync(junk).equals(before)).toBe(true);
    expect(() => openDb(dir)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'vault' }));
    await expect(Vault.create(junk, { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' })).rejects.toThrow(
      expect.objectContaining({ code: 'CONFLICT', field: 'vault' }),
    );
  });
});
