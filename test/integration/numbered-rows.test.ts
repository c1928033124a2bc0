import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { checkVaultFile } from '../../electron/core/db/connection';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { addTeam, addTeamMember, addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { intoOlderFormat } from '../support/older-format';
import { withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * Migration 9 ("readers and revisions by number") moves every wrapped data key into reader_keys and
 * every revision into secret_revisions, naming the secret (and the scope) by number, each behind a
 * view with the old table's name and columns; opening the upgraded file then gives the freed pages
 * back. Every row must come out as it went in.
 */

const BOB_PASSWORD = 'bob-password-1';

/** alice and bob; a workspace; teams Ops (bob) and Dev; secrets at each level, one read by two teams, two with history. */
async function populated(dir: string): Promise<string> {
  const { path, vault, session } = await newVault(dir);
  addMember(session, { name: 'bob', role: 'member', password: BOB_PASSWORD });
  addWorkspace(session, 'Backend');
  addTeam(session, 'Ops');
  addTeam(session, 'Dev');
  addTeamMember(session, 'Ops', 'bob');
  registerSecret(session, { type: 'api-key', name: 'p-key', expires: '2030-01-01', fields: { headerName: 'X-Key', value: 'personal-1' } });
  editSecret(session, { ref: { name: 'p-key' }, fields: { value: 'personal-2' } });
  registerSecret(session, { type: 'bearer-token', name: 'w-token', level: 'workspace', workspace: 'Backend', fields: { headerName: 'Authorization', headerValue: 'Bearer w-1' } });
  registerSecret(session, { type: 'key-value', name: 'o-env', level: 'organization', fields: { pairs: [{ key: 'A', value: 'alpha' }] } });
  registerSecret(session, {
    type: 'client-credentials',
    name: 'o-cc',
    level: 'organization',
    teams: ['Ops', 'Dev'],
    fields: { clientId: 'client', url: 'https://auth.example/t', clientSecret: 'cs-1' },
  });
  session.lock();
  const bob = await vault.unlock('bob', BOB_PASSWORD);
  registerSecret(bob, { type: 'api-key', name: 'b-key', fields: { headerName: 'X-Bob', value: 'bob-value' } });
  bob.lock();
  vault.close();
  return path;
}

/** Every row of every table or view named, in a fixed order; scopes without the number migration 9 adds. */
function rowsOf(db: Database, names: readonly string[]): Record<string, unknown[][]> {
  const columns = (t: string) => (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t) as string[]).filter((c) => !(t === 'scopes' && c === 'num'));
  return Object.fromEntries(
    names.map((t) => {
      const cs = columns(t).map((c) => `"${c}"`);
      return [t, db.prepare(`SELECT ${cs.join(', ')} FROM "${t}" ORDER BY ${cs.map((_, i) => i + 1).join(', ')}`).raw().all() as unknown[][]];
    }),
  );
}

describe('migration 9, readers and revisions by number', () => {
  const tempDir = useTempDir();

  it('keeps every reader and every other row, gives the freed pages back, and the vault reads as before', async () => {
    const dir = tempDir();
    const old = join(dir, 'v8.coffer');
    intoOlderFormat(await populated(dir), old, 8);
    const tables = withRawDb(old, (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]);
    expect(tables).toContain('secret_readers');
    const before = withRawDb(old, (db) => rowsOf(db, tables));
    // Personal, workspace and organization secrets, one of them read by two teams: what the numbers must carry over.
    expect(before.secret_readers).toHaveLength(6);
    expect(before.revisions).toHaveLength(6);

    const vault = await Vault.open(old);
    try {
      withRawDb(old, (db) => {
        expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
        expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'secret_readers'").pluck().get()).toBe('view');
        expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'revisions'").pluck().get()).toBe('view');
        expect(db.prepare('SELECT count(*) FROM reader_keys').pluck().get()).toBe(6);
        expect(db.prepare('SELECT count(*) FROM secret_revisions').pluck().get()).toBe(6);
        expect(db.pragma('freelist_count', { simple: true })).toBe(0);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(rowsOf(db, tables)).toEqual(before);
      });

      const alice = await vault.unlock('alice', PASSWORD);
      const value = (name: string) => getSecretValue(alice, { name }, { use: { door: 'cli', how: 'print' } }).value;
      expect(['p-key', 'w-token', 'o-env', 'o-cc'].map(value)).toEqual(['personal-2', 'Bearer w-1', 'A=alpha', 'cs-1']);
      expect(secretHistory(alice, { name: 'p-key' }).map((r) => r.revision)).toEqual([2, 1]);
      // A write after the upgrade: a new scope is numbered after the others, and its secret read back.
      addWorkspace(alice, 'Frontend');
      registerSecret(alice, { type: 'api-key', name: 'f-key', level: 'workspace', workspace: 'Frontend', fields: { headerName: 'X-F', value: 'front' } });
      expect(value('f-key')).toBe('front');
      alice.lock();
      const bob = await vault.unlock('bob', BOB_PASSWORD);
      expect(getSecretValue(bob, { name: 'o-cc' }, { use: { door: 'cli', how: 'print' } }).value).toBe('cs-1');
      expect(getSecretValue(bob, { name: 'b-key' }, { use: { door: 'cli', how: 'print' } }).value).toBe('bob-value');
      bob.lock();
    } finally {
      vault.close();
    }
    withRawDb(old, (db) => {
      const nums = db.prepare('SELECT num FROM scopes ORDER BY created_at, rowid').pluck().all() as number[];
      expect(new Set(nums).size).toBe(nums.length);
      expect(Math.max(...nums)).toBe(nums[nums.length - 1]);
    });
  });

  it('a scope renumbered behind SQLite (foreign keys off, its wrapped keys left behind): its secrets are listed as tampered', async () => {
    const { path, vault, session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    registerSecret(session, { type: 'api-key', name: 'w-key', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X', value: 'w' } });
    registerSecret(session, { type: 'api-key', name: 'p-key', fields: { headerName: 'X', value: 'p' } });
    session.lock();
    withRawDb(path, (db) => {
      db.pragma('foreign_keys = OFF');
      db.exec("UPDATE scopes SET num = num + 40 WHERE id = (SELECT scope_id FROM workspaces WHERE name = 'Backend')");
    });
    const alice = await vault.unlock(undefined, PASSWORD);
    expect(listSecrets(alice, {}).items.map((i) => [i.name, i.tampered ?? false]).sort()).toEqual([
      ['p-key', false],
      ['w-key', true],
    ]);
    vault.close();
  });

  it('a view or trigger altered or added in the file: the vault does not open, TAMPERED, and the doctor says so', async () => {
    const { path, vault, session } = await newVault(tempDir());
    registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X', value: 'v' } });
    session.lock();
    vault.close();
    const edits = [
      "UPDATE sqlite_schema SET sql = replace(sql, 's.id, sc.id', 's.id, s.scope_id') WHERE name = 'secret_readers'",
      "INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'copy_out', 'secrets', 0, 'CREATE TRIGGER copy_out AFTER INSERT ON secrets BEGIN SELECT 1; END')",
    ];
    for (const [i, edit] of edits.entries()) {
      const copy = join(tempDir(), `altered-${i}.coffer`);
      copyFileSync(path, copy);
      withRawDb(copy, (db) => {
        db.unsafeMode(true);
        db.pragma('writable_schema = ON');
        db.prepare(edit).run();
      });
      await expect(Vault.open(copy)).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('views or triggers') });
      expect(checkVaultFile(copy)).toContain("the file's tables are not the ones Coffer makes");
    }
  });

  it('the views take the writes made through them: insert, update and delete reach reader_keys and secret_revisions', async () => {
    const { path, vault, session } = await newVault(tempDir());
    registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X', value: 'v' } });
    session.lock();
    vault.close();
    withRawDb(path, (db) => {
      const row = db.prepare('SELECT * FROM secret_readers').get() as { secret_id: string; scope_id: string; wrapped_key: Uint8Array };
      db.prepare('UPDATE secret_readers SET key_version = 7 WHERE secret_id = ?').run(row.secret_id);
      expect(db.prepare('SELECT key_version FROM reader_keys').pluck().all()).toEqual([7]);
      db.prepare('DELETE FROM secret_readers WHERE secret_id = ?').run(row.secret_id);
      expect(db.prepare('SELECT count(*) FROM reader_keys').pluck().get()).toBe(0);
      db.prepare('INSERT INTO secret_readers (secret_id, scope_id, key_version, chunk_no, wrapped_key) VALUES (?, ?, 1, 1, ?)').run(row.secret_id, row.scope_id, row.wrapped_key);
      expect(db.prepare('SELECT secret_id, scope_id FROM secret_readers').get()).toEqual({ secret_id: row.secret_id, scope_id: row.scope_id });

      const rev = db.prepare('SELECT * FROM revisions').get() as { secret_id: string; content: Uint8Array };
      db.prepare('UPDATE revisions SET created_at = 5 WHERE secret_id = ? AND revision = 1').run(rev.secret_id);
      expect(db.prepare('SELECT created_at FROM secret_revisions').pluck().all()).toEqual([5]);
      db.prepare('INSERT INTO revisions (secret_id, revision, created_at, author_id, content, signature_id) VALUES (?, 2, 6, NULL, ?, NULL)').run(rev.secret_id, rev.content);
      expect(db.prepare('SELECT revision FROM revisions ORDER BY revision').pluck().all()).toEqual([1, 2]);
      db.prepare('DELETE FROM revisions WHERE secret_id = ? AND revision = 2').run(rev.secret_id);
      expect(db.prepare('SELECT revision FROM secret_revisions').pluck().all()).toEqual([1]);
    });
  });
});
