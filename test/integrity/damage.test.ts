import { describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { unreadableScopes, unreadableSecrets } from '../../electron/core/vault/damage';
import { addTeam } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { behindIndex, clearScopeOf, flipInFile, flipInTree, leftOutOfIndex, outsideConstraints, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * docs/product.md §1a, "Damage is reported": what an unlocked session cannot read because of
 * damage is named (scope, count) where it is used, and SQLite's own complaints about a damaged
 * file are TAMPERED, never an internal error.
 */
describe('damage the core reports', () => {
  const tempDir = useTempDir();

  async function vaultOfAlice() {
    const { path, vault, session } = await newVault(tempDir());
    for (const name of ['p-1', 'p-2']) registerSecret(session, { type: 'api-key', name, fields: { headerName: 'X-Key', value: `${name}-value` } });
    registerSecret(session, { type: 'api-key', name: 'o-1', level: 'organization', fields: { headerName: 'X-Key', value: 'o-1-value' } });
    vault.close();
    return path;
  }

  /** What alice's listing of the file as it now is shows: each secret's name, and whether it carries the tamper mark. */
  async function aliceLists(path: string): Promise<[string, boolean][]> {
    const vault = await Vault.open(path);
    try {
      return listSecrets(await vault.unlock('alice', PASSWORD)).items.map((i) => [i.name, i.tampered ?? false]);
    } finally {
      vault.close();
    }
  }

  it("a grant that does not open: the app's status names the scope and its secrets; a read by name is TAMPERED, not NOT_FOUND", async () => {
    const path = await vaultOfAlice();
    const grant = withRawDb(path, (db) => db.prepare("SELECT g.sealed_key FROM scope_grants g JOIN scopes s ON s.id = g.scope_id WHERE s.kind = 'personal'").pluck().get() as Buffer);
    flipInFile(path, grant);
    const app = new CofferApp({ vaultPath: path, door: 'desktop' });
    await app.unlock('alice', PASSWORD);
    expect((await app.status()).integrity.unreadable).toEqual([{ scope: 'personal scope of alice', secrets: 2 }]);
    expect(() => getSecretValue(app.session(), { name: 'p-1' }, { use: { door: 'cli', how: 'print' } })).toThrow(
      expect.objectContaining({ code: 'TAMPERED', field: 'name' }),
    );
    app.close();
  });

  /** Damage beside alice's personal grant that could hide what the grant closes from the count: SQLite never checks an index against its table. */
  const SECOND_DAMAGE: [string, (path: string, scope: { id: string; num: number }) => void][] = [
    // The index entry no longer matches the scope's row: a lookup of the scope by its id finds nothing.
    ["the scopes' id index", (path, scope) => flipInTree(path, 'sqlite_autoindex_scopes_1', Buffer.from(scope.id))],
    ["its scope's row", (path, scope) => flipInTree(path, 'scopes', Buffer.from(scope.id))],
    [
      "the wrapped keys' scope index (both keys filed under a number nobody has)",
      (path, scope) => {
        withRawDb(path, (db) => {
          db.pragma('foreign_keys = OFF');
          db.prepare('UPDATE reader_keys SET scope_num = 999 WHERE scope_num = ?').run(scope.num);
        });
        behindIndex(path, 'reader_keys_by_scope', `UPDATE reader_keys SET scope_num = ${scope.num} WHERE scope_num = 999`);
      },
    ],
    ["the wrapped keys' table (both keys gone from it)", (path, scope) => behindIndex(path, 'reader_keys_by_scope', `DELETE FROM reader_keys WHERE scope_num = ${scope.num}`)],
  ];

  it.each(SECOND_DAMAGE)('a grant that does not open, and %s damaged too: its secrets are still counted', async (_, damage) => {
    const path = await vaultOfAlice();
    const { grant, scope } = withRawDb(path, (db) => ({
      grant: db.prepare("SELECT g.sealed_key FROM scope_grants g JOIN scopes s ON s.id = g.scope_id WHERE s.kind = 'personal'").pluck().get() as Buffer,
      scope: db.prepare("SELECT id, num FROM scopes WHERE kind = 'personal'").get() as { id: string; num: number },
    }));
    flipInFile(path, grant);
    damage(path, scope);
    const vault = await Vault.open(path);
    const alice = await vault.unlock('alice', PASSWORD);
    expect(unreadableScopes(alice)).toEqual([{ scope: 'personal scope of alice', secrets: 2 }]);
    expect(unreadableSecrets(alice)).toBe(2);
    vault.close();
  });

  /** A vault whose organization secret `ops-key` only team Ops reads; the file closed, with the team's scope id. */
  async function vaultWithTeamSecret() {
    const { path, vault, session } = await newVault(tempDir());
    addTeam(session, 'Ops');
    registerSecret(session, { type: 'api-key', name: 'ops-key', level: 'organization', teams: ['Ops'], fields: { headerName: 'X-Key', value: 'ops-value' } });
    const teamScope = clearScopeOf(session.db, 'team', 'Ops');
    vault.close();
    return { path, teamScope };
  }

  it("an organization secret only a team reads, behind the team's grant that does not open: named, and TAMPERED by level", async () => {
    const { path, teamScope } = await vaultWithTeamSecret();
    flipInFile(path, withRawDb(path, (db) => db.prepare('SELECT sealed_key FROM scope_grants WHERE scope_id = ?').pluck().get(teamScope) as Buffer));
    const reopened = await Vault.open(path);
    const alice = await reopened.unlock('alice', PASSWORD);
    expect(unreadableScopes(alice)).toEqual([{ scope: 'team Ops', secrets: 1 }]);
    expect(() => getSecretValue(alice, { name: 'ops-key', level: 'organization' }, { use: { door: 'cli', how: 'print' } })).toThrow(
      expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining('your key to team Ops does not open') }),
    );
    // A personal name is not behind a team's key: that one is simply not there.
    expect(() => getSecretValue(alice, { name: 'ops-key', level: 'personal' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    reopened.close();
  });

  it("a grant the grantee index lost: found in its table, and the team's secret still read", async () => {
    const { path, teamScope } = await vaultWithTeamSecret();
    leftOutOfIndex(path, 'scope_grants_by_grantee', `scope_id = '${teamScope}'`);
    const reopened = await Vault.open(path);
    const alice = await reopened.unlock('alice', PASSWORD);
    expect(unreadableScopes(alice)).toEqual([]);
    expect(getSecretValue(alice, { name: 'ops-key' }, { use: { door: 'cli', how: 'print' } })).toMatchObject({ value: 'ops-value' });
    reopened.close();
  });

  /** The second damage beside a roster that stops before team Ops (its entry no longer verifies). */
  const GRANT_LOST: [string, (path: string, teamScope: string) => void][] = [
    ['the grantee index lost its grant', (path, teamScope) => leftOutOfIndex(path, 'scope_grants_by_grantee', `scope_id = '${teamScope}'`)],
    ['its grant row is gone', (path, teamScope) => withRawDb(path, (db) => db.prepare('DELETE FROM scope_grants WHERE scope_id = ?').run(teamScope))],
  ];
  it.each(GRANT_LOST)("a team-only secret whose team the roster lost, and %s: counted unreadable, not missing without a word", async (_, loseGrant) => {
    const { path, teamScope } = await vaultWithTeamSecret();
    flipInFile(path, withRawDb(path, (db) => db.prepare("SELECT signature FROM roster WHERE body LIKE '{\"type\":\"team.add\"%'").pluck().get() as Buffer));
    loseGrant(path, teamScope);
    const reopened = await Vault.open(path);
    const alice = await reopened.unlock('alice', PASSWORD);
    expect(alice.accessFindings.rosterProblem).toBeDefined();
    expect(listSecrets(alice).items.map((i) => i.name)).not.toContain('ops-key');
    expect(unreadableScopes(alice)).toEqual([{ scope: 'team Ops (not on the verified roster)', secrets: 1 }]);
    reopened.close();
  });

  it('a secret behind two grants that do not open: on both lines, counted once in all', async () => {
    const { path, vault, session } = await newVault(tempDir());
    for (const team of ['Ops', 'Dev']) addTeam(session, team);
    registerSecret(session, { type: 'api-key', name: 'shared-key', level: 'organization', teams: ['Ops', 'Dev'], fields: { headerName: 'X-Key', value: 'shared-value' } });
    const scopes = ['Ops', 'Dev'].map((team) => clearScopeOf(session.db, 'team', team));
    vault.close();
    for (const scope of scopes) flipInFile(path, withRawDb(path, (db) => db.prepare('SELECT sealed_key FROM scope_grants WHERE scope_id = ?').pluck().get(scope) as Buffer));
    const reopened = await Vault.open(path);
    const alice = await reopened.unlock('alice', PASSWORD);
    expect(unreadableScopes(alice)).toEqual([
      { scope: expect.stringMatching(/^team (Ops|Dev)$/), secrets: 1 },
      { scope: expect.stringMatching(/^team (Ops|Dev)$/), secrets: 1 },
    ]);
    expect(unreadableSecrets(alice)).toBe(1);
    reopened.close();
  });

  it("a secret's listing number changed in the file: listed nameless as tampered, not dropped", async () => {
    const path = await vaultOfAlice();
    withRawDb(path, (db) => db.prepare("UPDATE secrets SET seq = 77 WHERE seq = 1").run());
    expect(await aliceLists(path)).toEqual([
      ['', true],
      ['o-1', false],
      ['p-2', false],
    ]);
  });

  it('two secrets with one listing number in the file: each listed by its own name as tampered, neither hidden behind the other', async () => {
    const path = await vaultOfAlice();
    // Numbered in the order registered: p-1, p-2, o-1. o-1 takes p-1's number, in the table only.
    const [p1, , o1] = withRawDb(path, (db) => db.prepare('SELECT seq FROM secrets ORDER BY seq').pluck().all() as number[]);
    behindIndex(path, 'secrets_by_seq', `UPDATE secrets SET seq = ${p1} WHERE seq = ${o1}`);
    const vault = await Vault.open(path);
    const items = listSecrets(await vault.unlock('alice', PASSWORD)).items;
    expect(items.map((i) => [i.name, i.level, i.tampered ?? false])).toEqual([
      ['o-1', 'organization', true],
      ['p-1', 'personal', true],
      ['p-2', 'personal', false],
    ]);
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
    vault.close();
  });

  it("a secret's listing number changed out of range in its row only, its wrapped key and the number's index still saying the old one: listed nameless as tampered", async () => {
    const path = await vaultOfAlice();
    behindIndex(path, 'secrets_by_seq', 'UPDATE secrets SET seq = -108 WHERE seq = 2');
    expect(await aliceLists(path)).toEqual([
      ['', true],
      ['o-1', false],
      ['p-1', false],
    ]);
  });

  it("a secret's status changed in the file to a value no status has: listed as tampered, not as another status", async () => {
    const path = await vaultOfAlice();
    withRawDb(path, (db) => {
      db.unsafeMode(true);
      db.pragma('ignore_check_constraints = ON');
      db.prepare("UPDATE secrets SET status = 'aktive' WHERE seq = 1").run();
    });
    expect(await aliceLists(path)).toEqual([
      ['o-1', false],
      ['p-1', true],
      ['p-2', false],
    ]);
  });

  /** Beside the index that finds a scope's name chunk, a second damage to the scope's id: in the scopes' id index, or in its row. */
  const BESIDE_ITS_CHUNK_INDEX: [string, string][] = [
    ["the scopes' id index", 'sqlite_autoindex_scopes_1'],
    ["its scope's row", 'scopes'],
  ];
  it.each(BESIDE_ITS_CHUNK_INDEX)("the index that finds a scope's name chunk and %s both damaged: its secrets listed nameless as tampered, not dropped", async (_, tree) => {
    const path = await vaultOfAlice();
    const scope = withRawDb(path, (db) => db.prepare("SELECT id FROM scopes WHERE kind = 'personal'").pluck().get() as string);
    // No chunk to read by the scope's id; and one of its two trees no longer gives its number by that id.
    flipInTree(path, 'sqlite_autoindex_name_chunks_1', Buffer.from(scope));
    flipInTree(path, tree, Buffer.from(scope));
    expect(await aliceLists(path)).toEqual([
      ['', true],
      ['', true],
      ['o-1', false],
    ]);
  });

  /** Beside its name chunk that does not open, a second damage to the organization secret `id`. */
  const BESIDE_ITS_CHUNK: [string, (path: string, id: string) => void][] = [
    // The row's id no longer matches its entry in the id index: a lookup by id finds no row.
    ['its id', (path, id) => flipInTree(path, 'secrets', Buffer.from(id), 0)],
    // The join of its wrapped key to its row goes through that index, and finds no row.
    ["its listing number's index entry", (path, id) => leftOutOfIndex(path, 'secrets_by_seq', `id = '${id}'`)],
  ];
  it.each(BESIDE_ITS_CHUNK)("a secret's name chunk and %s both damaged in the file: listed nameless as tampered, not dropped", async (_, damage) => {
    const path = await vaultOfAlice();
    const { id, chunk } = withRawDb(path, (db) => ({
      id: db.prepare("SELECT id FROM secrets WHERE level = 'organization'").pluck().get() as string,
      chunk: db.prepare("SELECT c.content FROM name_chunks c JOIN scopes s ON s.id = c.scope_id WHERE s.kind = 'organization'").pluck().get() as Buffer,
    }));
    flipInFile(path, chunk);
    damage(path, id);
    expect(await aliceLists(path)).toEqual([
      ['', true],
      ['p-1', false],
      ['p-2', false],
    ]);
  });

  it("a negative format number in the file's header: TAMPERED, for a read-only open too, not an internal error", async () => {
    const path = await vaultOfAlice();
    withRawDb(path, (db) => db.pragma('user_version = -117440501'));
    for (const readOnly of [false, true]) {
      await expect(Vault.open(path, { readOnly })).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining("the header's format number is -117440501") });
    }
  });

  it("a column renamed in the file's schema: TAMPERED with SQLite's words, not an internal error", async () => {
    const path = await vaultOfAlice();
    const sql = withRawDb(path, (db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'workspaces'").pluck().get() as string);
    // `created_at` becomes `crdated_at`: the schema still parses, and the table's pages are untouched.
    flipInFile(path, Buffer.from(sql), sql.indexOf('created_at') + 2);
    const vault = await Vault.open(path);
    expect(() => vault.info()).toThrow(expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining("no such column: created_at; the file's tables are not the ones Coffer makes") }));
    vault.close();
  });

  it("the listing index's expression changed in the file's schema: TAMPERED with SQLite's words when a write meets it, not an internal error", async () => {
    const path = await vaultOfAlice();
    // A call of a function nobody defined, where a parenthesis was: the schema still parses, and the pages pass SQLite's check.
    withRawDb(path, (db) => {
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'secrets_listing'").pluck().get() as string;
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare("UPDATE sqlite_master SET sql = ? WHERE name = 'secrets_listing'").run(sql.replace('| ((', '| (J('));
    });
    const vault = await Vault.open(path);
    const alice = await vault.unlock('alice', PASSWORD);
    // Read alone, the scan no longer matches the index and SQLite computes the columns from the table; a write must keep the index.
    expect(listSecrets(alice).items).toHaveLength(3);
    expect(() => registerSecret(alice, { type: 'api-key', name: 'p-3', fields: { headerName: 'X-Key', value: 'p-3-value' } })).toThrow(
      expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining("unknown function: J(); the file's tables are not the ones Coffer makes") }),
    );
    vault.close();
  });

  it("a member's column renamed in the file's schema, read by a row's name and not by SQL: TAMPERED at unlock, not a TypeError", async () => {
    const path = await vaultOfAlice();
    const sql = withRawDb(path, (db) => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'members'").pluck().get() as string);
    // `SELECT *` still works: the salt is simply not where unlock looks for it.
    flipInFile(path, Buffer.from(sql), sql.indexOf('kdf_salt'));
    const vault = await Vault.open(path);
    await expect(vault.unlock('alice', PASSWORD)).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining("the file's tables are not the ones Coffer makes") });
    vault.close();
  });

  it("a member's key column holding text where its STRICT table allows only a BLOB: TAMPERED with SQLite's check, quoting no value", async () => {
    const path = await vaultOfAlice();
    const planted = 'planted-text-value';
    outsideConstraints(path, 'members', `UPDATE members SET box_public = '${planted}'`);
    const vault = await Vault.open(path);
    const refused = await vault.unlock('alice', PASSWORD).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('non-BLOB value in members.box_public') });
    expect((refused as Error).message).not.toContain(planted);
    vault.close();
  });

  it("a secret's date holding a BLOB, read by a statement outside any transaction: TAMPERED with SQLite's check, not its JSON error", async () => {
    const path = await vaultOfAlice();
    outsideConstraints(path, 'secrets', "UPDATE secrets SET created_at = x'ffee' WHERE seq = 1");
    const vault = await Vault.open(path);
    const alice = await vault.unlock('alice', PASSWORD);
    expect(() => listSecrets(alice, { sort: 'created' })).toThrow(expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining('non-INTEGER value in secrets.created_at') }));
    vault.close();
  });

  it("an audit entry's link NULL where its column allows none: the log is broken at that entry, not a TypeError", async () => {
    const path = await vaultOfAlice();
    outsideConstraints(path, 'audit', 'UPDATE audit SET prev_hash = NULL WHERE seq = 2');
    const vault = await Vault.open(path);
    expect(verifyAuditFor(await vault.unlock('alice', PASSWORD))).toMatchObject({ ok: false, brokenAt: 2 });
    vault.close();
  });
});
