import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { exportBundle } from '../../electron/core/bundles/export';
import { fingerprint } from '../../electron/core/bundles/format';
import { importBundle } from '../../electron/core/bundles/import';
import { deleteNow, scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { lockedPass, sessionPass } from '../../electron/core/lifecycle/passes';
import { adoptHeads } from '../../electron/core/secrets/head-adoption';
import { getSecretValue, listSecrets, secretUsage, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { editSecret, restoreRevision, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember, removeMember } from '../../electron/core/vault/members';
import { addTeam, addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { errorLine, initVault, ok, useTempDirs } from '../integration/cli/run';
import { auditActions, tablesDigest, withRawDb } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

/**
 * A hostile co-member: write access to the vault file and no password. Each attack edits a
 * secret's clear state (its current revision, dates, deletion, head, or a revision's author) with
 * plain SQL; each must end in TAMPERED or an author shown as unverified, never in an old value
 * served as current, a purge, or a forged name (docs/product.md §1a).
 */

const START = Date.parse('2027-01-01T09:00:00Z');
const tampered = expect.objectContaining({ code: 'TAMPERED' });
const apiKey = (name: string, value: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name, fields: { headerName: 'X-Key', value }, ...place }) as RegisterSecretInput;
const get = (s: Parameters<typeof getSecretValue>[0], name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;

const sql = (path: string, statements: string, ...params: unknown[]) => withRawDb(path, (db) => db.prepare(statements).run(...params));
const count = (path: string, table: string, where = '1', ...params: unknown[]) =>
  withRawDb(path, (db) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...params) as { n: number }).n);
const purges = (path: string) => auditActions(path).filter((a) => a === 'secret.purge').length;
const authorsOf = (h: ReturnType<typeof secretHistory>) => h.map((r) => [r.revision, r.author, r.authorUnverified ?? false]);

/** A vault closed after `build`, then opened again as someone holding the file would leave it for the member. */
async function closed<T>(dir: string, build: (v: Awaited<ReturnType<typeof newVault>>) => T | Promise<T>, clock = fakeClock(START)) {
  const v = await newVault(dir, { context: { clock } });
  const built = await build(v);
  v.session.lock();
  v.vault.close();
  const reopen = async (member = 'alice', password = PASSWORD) => {
    const vault = await Vault.open(v.path, { context: { clock } });
    return { vault, session: await vault.unlock(member, password) };
  };
  return { path: v.path, clock, built, reopen };
}

describe('finding 5: the current revision set back and the later revisions deleted', () => {
  const tmp = useTempDir();

  async function setBack(dir: string) {
    const vault = await closed(dir, ({ session }) => {
      const leaked = registerSecret(session, apiKey('db-password', 'leaked-v1'));
      editSecret(session, { ref: { name: 'db-password' }, fields: { value: 'rotated-v2' } });
      registerSecret(session, apiKey('other', 'other-value'));
      return leaked;
    });
    const id = vault.built.id;
    withRawDb(vault.path, (db) =>
      db.transaction(() => {
        db.prepare('UPDATE secrets SET revision = revision - 1 WHERE id = ?').run(id);
        db.prepare('DELETE FROM revisions WHERE secret_id = ? AND revision > 1').run(id);
      })(),
    );
    return { ...vault, id };
  }

  it('serves no old value: get, show, history, usage, edit and restore are TAMPERED and write nothing', async () => {
    const { path, id, reopen } = await setBack(tmp());
    const { vault, session } = await reopen();
    const before = tablesDigest(path);
    let message = '';
    try {
      get(session, 'db-password');
    } catch (e) {
      expect(e).toMatchObject({ code: 'TAMPERED' });
      expect((e as { field?: string }).field).toBeUndefined();
      message = (e as Error).message;
    }
    expect(message).toContain(id);
    expect(message).not.toMatch(/leaked|rotated|db-password/);
    expect(() => getSecretValue(session, { id }, { use: { door: 'cli', how: 'print' } })).toThrow(tampered);
    expect(() => showSecret(session, { id })).toThrow(tampered);
    expect(() => secretHistory(session, { id })).toThrow(tampered);
    expect(() => secretUsage(session, { id })).toThrow(tampered);
    expect(() => editSecret(session, { ref: { id }, fields: { value: 'new' } })).toThrow(tampered);
    expect(() => restoreRevision(session, { id }, 2)).toThrow(tampered);
    expect(() => scheduleDeletion(session, { id }, 'DELETE')).toThrow(tampered);
    // No use recorded, no revision written, nothing audited.
    expect(tablesDigest(path)).toBe(before);
    // The rest of the vault works, and the listing still shows the secret.
    expect(get(session, 'other')).toBe('other-value');
    expect(listSecrets(session).items.map((s) => s.name).sort()).toEqual(['db-password', 'other']);
    // "Delete now" still clears the damaged secret, by name as by id.
    deleteNow(session, { name: 'db-password' }, 'DELETE');
    expect(listSecrets(session).items.map((s) => s.name)).toEqual(['other']);
    session.lock();
    vault.close();
  });

  describe('through the command line', () => {
    const dirs = useTempDirs();

    it('coffer secret get exits TAMPERED with nothing on stdout', async () => {
      const path = join(dirs(), 'v.coffer');
      const alice = await initVault(path);
      await ok(alice(['secret', 'add', 'api-key', 'db-password', '--header', 'X-Key', '--value-stdin'], 'leaked-v1'));
      await ok(alice(['secret', 'edit', 'db-password', '--value-stdin'], 'rotated-v2'));
      await ok(alice(['secret', 'add', 'api-key', 'other', '--header', 'X-Key', '--value-stdin'], 'other-value'));
      sql(path, "UPDATE secrets SET revision = revision - 1 WHERE revision = 2");
      sql(path, 'DELETE FROM revisions WHERE revision = 2');

      const r = await alice(['secret', 'get', 'db-password']);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(errorLine(r.stderr)).toMatchObject({ code: 'TAMPERED' });
      expect(r.stderr).not.toContain('leaked-v1');
      expect(await ok(alice(['secret', 'get', 'other']))).toBe('other-value\n');
    }, 60_000);

    it('a deletion written into the file: coffer tick purges nothing and warns TAMPERED', async () => {
      const path = join(dirs(), 'v.coffer');
      const alice = await initVault(path);
      await ok(alice(['secret', 'add', 'api-key', 'victim', '--header', 'X-Key', '--value-stdin'], 'victim-value'));
      sql(path, "UPDATE secrets SET status = 'scheduled', deletion_at = 1");
      const tick = await alice(['tick']);
      expect(tick.code).toBe(0);
      expect(tick.stderr).toMatch(/^coffer: warning: TAMPERED: a secret due for deletion did not match its head and was not purged \(/m);
      expect(count(path, 'secrets')).toBe(1);
      expect(purges(path)).toBe(0);
    }, 60_000);
  });
});

describe('lifecycle state edited with SQL', () => {
  const tmp = useTempDir();

  it('a deletion scheduled with SQL, or an Inactive secret dated back, is never purged; the head failures are reported', async () => {
    const { path, clock, built, reopen } = await closed(tmp(), ({ session }) => ({
      scheduled: registerSecret(session, apiKey('scheduled-by-sql', 'a')).id,
      inactive: registerSecret(session, apiKey('inactive-by-sql', 'b')).id,
      agedActive: registerSecret(session, apiKey('aged-by-sql', 'c')).id,
    }));
    clock.set(START + 5 * DAY_MS);
    const past = START + DAY_MS;
    sql(path, "UPDATE secrets SET status = 'scheduled', deletion_at = ? WHERE id = ?", past, built.scheduled);
    // Recent active_since, as the head has it: status and dates of an Inactive secret are the scheduler's.
    sql(path, "UPDATE secrets SET status = 'inactive', inactive_since = ?, deletion_at = ? WHERE id = ?", past, past, built.inactive);
    // The same with active_since set back too, which the head covers.
    sql(path, "UPDATE secrets SET status = 'inactive', active_since = ?, inactive_since = ?, deletion_at = ? WHERE id = ?", START - 90 * DAY_MS, past, past, built.agedActive);

    const vault = await Vault.open(path, { context: { clock } });
    expect(lockedPass(vault).purged).toBe(0);
    vault.close();
    const { vault: v, session } = await reopen();
    const pass = sessionPass(session);
    expect(pass).toMatchObject({ purged: 0, tampered: [] });
    expect(pass.tamperedSecrets.sort()).toEqual([built.scheduled, built.agedActive].sort());
    expect(count(path, 'secrets')).toBe(3);
    expect(purges(path)).toBe(0);
    // The Inactive one with a recent active_since was not due: the pass made it Active again, and it reads.
    expect(get(session, 'inactive-by-sql')).toBe('b');
    expect(() => get(session, 'scheduled-by-sql')).toThrow(tampered);
    expect(() => get(session, 'aged-by-sql')).toThrow(tampered);
    // Months later the one read on day 5 is due for real and goes; the other two are still reported, never purged.
    clock.set(START + 200 * DAY_MS);
    const later = sessionPass(session);
    expect(later.purged).toBe(1);
    expect(later.tamperedSecrets.sort()).toEqual([built.scheduled, built.agedActive].sort());
    expect(count(path, 'secrets')).toBe(2);
    session.lock();
    v.close();
  });

  it('the unlocked app says how many due secrets it did not purge because their state did not verify', async () => {
    const { path, clock, built } = await closed(tmp(), ({ session }) => registerSecret(session, apiKey('scheduled-by-sql', 'a')).id);
    clock.set(START + 5 * DAY_MS);
    sql(path, "UPDATE secrets SET status = 'scheduled', deletion_at = ? WHERE id = ?", START + DAY_MS, built);
    const app = new CofferApp({ vaultPath: path, door: 'desktop', context: { clock } });
    expect((await app.status()).integrity.purgesWithheld).toBeUndefined();
    await app.unlock(undefined, PASSWORD);
    expect((await app.status()).integrity.purgesWithheld).toBe(1);
    expect(count(path, 'secrets')).toBe(1);
    app.lock();
    expect((await app.status()).integrity.purgesWithheld).toBeUndefined();
    app.close();
  });

  it('a secret legitimately due is still purged: Inactive after 30 + 30 days, or scheduled', async () => {
    const { path, clock, reopen } = await closed(tmp(), ({ session }) => {
      registerSecret(session, apiKey('unused', 'a'));
      registerSecret(session, apiKey('scheduled', 'b'));
      scheduleDeletion(session, { name: 'scheduled' }, 'DELETE');
      registerSecret(session, apiKey('kept', 'c'));
    });
    clock.set(START + 45 * DAY_MS);
    const { vault, session } = await reopen();
    get(session, 'kept');
    expect(sessionPass(session)).toMatchObject({ purged: 1, tamperedSecrets: [] });
    clock.set(START + 61 * DAY_MS);
    expect(sessionPass(session)).toMatchObject({ purged: 1, tamperedSecrets: [] });
    expect(listSecrets(session).items.map((s) => s.name)).toEqual(['kept']);
    expect(purges(path)).toBe(2);
    session.lock();
    vault.close();
  });

  it('a secret is purged by the first unlocked pass of someone who can open it', async () => {
    const { path, clock, reopen } = await closed(tmp(), async ({ vault, session }) => {
      addMember(session, { name: 'bob', role: 'member', password: PASSWORD });
      const bob = await vault.unlock('bob', PASSWORD);
      registerSecret(bob, apiKey('bob-own', 'x'));
      scheduleDeletion(bob, { name: 'bob-own' }, 'DELETE');
      bob.lock();
    });
    clock.set(START + 31 * DAY_MS);
    const alice = await reopen('alice');
    expect(sessionPass(alice.session)).toMatchObject({ purged: 0, tamperedSecrets: [] });
    expect(count(path, 'secrets')).toBe(1);
    alice.session.lock();
    alice.vault.close();
    const bob = await reopen('bob');
    expect(sessionPass(bob.session).purged).toBe(1);
    expect(count(path, 'secrets')).toBe(0);
    bob.session.lock();
    bob.vault.close();
  });
});

describe('revision authors', () => {
  const tmp = useTempDir();

  /** alice registers a workspace secret, bob edits it: revision 1 by alice, revision 2 by bob. */
  async function twoAuthors(dir: string) {
    return closed(dir, async ({ vault, session }) => {
      addWorkspace(session, 'Backend');
      addMember(session, { name: 'bob', role: 'member', password: PASSWORD });
      const s = registerSecret(session, apiKey('shared', 'v1', { level: 'workspace', workspace: 'Backend' }));
      const bob = await vault.unlock('bob', PASSWORD);
      editSecret(bob, { ref: { id: s.id }, fields: { value: 'v2' } });
      bob.lock();
      return { id: s.id, alice: session.member.id, bob: bob.member.id };
    });
  }

  it('are shown when their signatures verify', async () => {
    const { built, reopen } = await twoAuthors(tmp());
    const { vault, session } = await reopen();
    expect(authorsOf(secretHistory(session, { id: built.id }))).toEqual([
      [2, 'bob', false],
      [1, 'alice', false],
    ]);
    session.lock();
    vault.close();
  });

  it('an author_id changed with SQL shows the revision unverified, never the forged name', async () => {
    const { path, built, reopen } = await twoAuthors(tmp());
    sql(path, 'UPDATE revisions SET author_id = ? WHERE secret_id = ? AND revision = 2', built.alice, built.id);
    const { vault, session } = await reopen();
    expect(authorsOf(secretHistory(session, { id: built.id }))).toEqual([
      [2, null, true],
      [1, 'alice', false],
    ]);
    session.lock();
    vault.close();
  });

  it('a signature_id swapped to another batch, or a revision time edited, shows it unverified', async () => {
    const { path, built, reopen } = await twoAuthors(tmp());
    sql(path, 'UPDATE revisions SET signature_id = (SELECT signature_id FROM revisions WHERE secret_id = ? AND revision = 1), author_id = ? WHERE secret_id = ? AND revision = 2', built.id, built.alice, built.id);
    sql(path, 'UPDATE revisions SET created_at = created_at - 1 WHERE secret_id = ? AND revision = 1', built.id);
    const { vault, session } = await reopen();
    expect(authorsOf(secretHistory(session, { id: built.id }))).toEqual([
      [2, null, true],
      [1, null, true],
    ]);
    session.lock();
    vault.close();
  });

  it('a batch re-signed by someone without the signer key, or a revision without a signature (older vaults), is unverified', async () => {
    const { path, built, reopen } = await twoAuthors(tmp());
    // The batch of revision 2 keeps its leaves; the signature is replaced by one of alice's own batches.
    withRawDb(path, (db) => {
      const sigOf = (rev: number) => db.prepare('SELECT signature_id FROM revisions WHERE secret_id = ? AND revision = ?').pluck().get(built.id, rev) as number;
      const alices = db.prepare('SELECT signature FROM revision_signatures WHERE id = ?').pluck().get(sigOf(1));
      db.prepare('UPDATE revision_signatures SET signature = ? WHERE id = ?').run(alices, sigOf(2));
      db.prepare('UPDATE revisions SET signature_id = NULL WHERE secret_id = ? AND revision = 1').run(built.id);
    });
    const { vault, session } = await reopen();
    expect(authorsOf(secretHistory(session, { id: built.id }))).toEqual([
      [2, null, true],
      [1, null, true],
    ]);
    session.lock();
    vault.close();
  });

  it('one signature per bulk import, and the authors of the other secrets stay verified after a purge and a rotation', async () => {
    const { path, reopen } = await closed(tmp(), async ({ vault, session }) => {
      addMember(session, { name: 'bob', role: 'member', password: PASSWORD });
      await registerSecrets(session, [apiKey('one', '1', { level: 'organization' }), apiKey('two', '2', { level: 'organization' }), apiKey('three', '3', { level: 'organization' })]);
      (await vault.unlock('bob', PASSWORD)).lock();
    });
    expect(count(path, 'revision_signatures')).toBe(1);
    const { vault, session } = await reopen();
    deleteNow(session, { name: 'two' }, 'DELETE');
    removeMember(session, 'bob');
    for (const name of ['one', 'three']) {
      expect(authorsOf(secretHistory(session, { name, level: 'organization' }))).toEqual([[1, 'alice', false]]);
      expect(get(session, name)).toBe(name === 'one' ? '1' : '3');
    }
    session.lock();
    vault.close();
  });
});

describe('a bundle', () => {
  const tmp = useTempDir();

  it('export checks heads and leaves verified ones behind; an import signs all its revisions once', async () => {
    const clock = fakeClock(START);
    const a = await newVault(tmp(), { context: { clock } });
    registerSecret(a.session, apiKey('kept', 'theirs-kept', { level: 'organization' }));
    registerSecret(a.session, apiKey('new', 'theirs-new', { level: 'organization' }));
    const b = await newVault(tmp(), { context: { clock }, member: 'bob' });
    registerSecret(b.session, apiKey('kept', 'ours-kept', { level: 'organization' }));
    clock.advance(DAY_MS);
    const out = join(tmp(), 'x.cofferbundle');
    exportBundle(a.session, { door: 'cli', out, selection: { kind: 'all' }, recipients: [{ kind: 'key', name: 'bob', boxPublic: b.session.keyPairs().boxPublic }] });
    // Each export read was a use, its head rewritten with it.
    a.session.acceptsLegacyHeads = false;
    expect(get(a.session, 'new')).toBe('theirs-new');

    const before = count(b.path, 'revision_signatures');
    await importBundle(b.session, out, { trustedSigners: [fingerprint(a.session.keyPairs().signPublic)], strategy: 'theirs' });
    expect(count(b.path, 'revision_signatures')).toBe(before + 1);
    b.session.acceptsLegacyHeads = false;
    expect(get(b.session, 'kept')).toBe('theirs-kept');
    expect(authorsOf(secretHistory(b.session, { name: 'kept' }))).toEqual([
      [2, 'bob', false],
      [1, 'bob', false],
    ]);
    expect(authorsOf(secretHistory(b.session, { name: 'new' }))).toEqual([[1, 'bob', false]]);

    // A head edited in the exporting vault stops the export, naming the secret, and writes nothing.
    sql(a.path, "UPDATE secrets SET updated_at = updated_at + 1 WHERE rowid = (SELECT min(rowid) FROM secrets)");
    const digest = tablesDigest(a.path);
    expect(() => exportBundle(a.session, { door: 'cli', out: join(tmp(), 'y.cofferbundle'), selection: { kind: 'all' }, recipients: [{ kind: 'key', name: 'bob', boxPublic: b.session.keyPairs().boxPublic }] })).toThrow(tampered);
    expect(tablesDigest(a.path)).toBe(digest);
  });
});

describe('heads edited with SQL', () => {
  const tmp = useTempDir();

  it('a head set to NULL is TAMPERED once the session no longer accepts legacy heads, and read as legacy before', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => registerSecret(session, apiKey('nulled', 'value')).id);
    sql(path, 'UPDATE secrets SET head = NULL WHERE id = ?', built);
    const { vault, session } = await reopen();
    session.acceptsLegacyHeads = false;
    expect(() => get(session, 'nulled')).toThrow(tampered);
    expect(adoptHeads(session)).toBe(0);
    session.acceptsLegacyHeads = true;
    expect(get(session, 'nulled')).toBe('value');
    session.lock();
    vault.close();
  });

  it('the head of one secret copied onto another is TAMPERED; the first still reads', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => ({
      a: registerSecret(session, apiKey('a', 'value-a')).id,
      b: registerSecret(session, apiKey('b', 'value-b')).id,
    }));
    sql(path, 'UPDATE secrets SET head = (SELECT head FROM secrets WHERE id = ?) WHERE id = ?', built.a, built.b);
    const { vault, session } = await reopen();
    expect(() => get(session, 'b')).toThrow(tampered);
    expect(get(session, 'a')).toBe('value-a');
    session.lock();
    vault.close();
  });

  it('swapped name hashes make both secrets TAMPERED, by name and by id', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => ({
      a: registerSecret(session, apiKey('a', 'value-a')).id,
      b: registerSecret(session, apiKey('b', 'value-b')).id,
    }));
    withRawDb(path, (db) =>
      db.transaction(() => {
        const hashOf = db.prepare('SELECT name_hash FROM secrets WHERE id = ?').pluck();
        const [ha, hb] = [hashOf.get(built.a), hashOf.get(built.b)];
        const set = db.prepare('UPDATE secrets SET name_hash = ? WHERE id = ?');
        set.run(Buffer.alloc(32), built.a);
        set.run(ha, built.b);
        set.run(hb, built.a);
      })(),
    );
    const { vault, session } = await reopen();
    for (const id of [built.a, built.b]) expect(() => getSecretValue(session, { id }, { use: { door: 'cli', how: 'print' } })).toThrow(tampered);
    expect(() => get(session, 'a')).toThrow(tampered);
    session.lock();
    vault.close();
  });

  it('a name hash or home scope written into the file hides no secret: asked by the name the listing shows, it is TAMPERED', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => {
      addWorkspace(session, 'Backend');
      return {
        hashed: registerSecret(session, apiKey('rehashed', 'value-1')).id,
        moved: registerSecret(session, apiKey('moved', 'value-2', { level: 'workspace', workspace: 'Backend' })).id,
        kept: registerSecret(session, apiKey('kept', 'value-3')).id,
      };
    });
    sql(path, 'UPDATE secrets SET name_hash = randomblob(32) WHERE id = ?', built.hashed);
    sql(path, "UPDATE secrets SET scope_id = (SELECT id FROM scopes WHERE kind = 'organization') WHERE id = ?", built.moved);
    const { vault, session } = await reopen();
    expect(() => get(session, 'rehashed')).toThrow(expect.objectContaining({ code: 'TAMPERED', field: 'name' }));
    expect(() => getSecretValue(session, { name: 'moved', workspace: 'Backend' }, { use: { door: 'cli', how: 'print' } })).toThrow(tampered);
    // A name nobody has is still just not found, and the others read.
    expect(() => get(session, 'never-registered')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(get(session, 'kept')).toBe('value-3');
    session.lock();
    vault.close();
  });

  it('a current revision renumbered or removed is TAMPERED, not "no such revision"', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => registerSecret(session, apiKey('renumbered', 'value')).id);
    sql(path, 'UPDATE revisions SET revision = 7 WHERE secret_id = ?', built);
    const { vault, session } = await reopen();
    expect(() => get(session, 'renumbered')).toThrow(tampered);
    session.lock();
    vault.close();
  });

  it('a rotation keeps a tampered head tampered, and makes verified ones anew (new data key, new name hash)', async () => {
    const { path, built, reopen } = await closed(tmp(), ({ session }) => {
      addMember(session, { name: 'bob', role: 'member', password: PASSWORD });
      addTeam(session, 'Risk');
      return {
        good: registerSecret(session, apiKey('good', 'value-good', { level: 'organization' })).id,
        bad: registerSecret(session, apiKey('bad', 'value-bad', { level: 'organization' })).id,
        // Homed in the organization, read by a team bob is not in: its name hash changes, its data key stays.
        team: registerSecret(session, apiKey('team-only', 'value-team', { level: 'organization', teams: ['Risk'] })).id,
      };
    });
    sql(path, 'UPDATE secrets SET expires_at = 1 WHERE id = ?', built.bad);
    const hashes = () => withRawDb(path, (db) => db.prepare('SELECT name_hash FROM secrets ORDER BY id').pluck().all() as Buffer[]);
    const before = hashes();
    const { vault, session } = await reopen();
    removeMember(session, 'bob');
    expect(hashes()).not.toEqual(before);
    session.acceptsLegacyHeads = false;
    expect(get(session, 'good')).toBe('value-good');
    expect(get(session, 'team-only')).toBe('value-team');
    expect(() => get(session, 'bad')).toThrow(tampered);
    session.lock();
    vault.close();
  });

  it('adoption gives every NULL head a head, in one pass, and changes nothing else', async () => {
    const { path, reopen } = await closed(tmp(), async ({ session }) => {
      await registerSecrets(session, Array.from({ length: 50 }, (_, i) => apiKey(`s${i}`, `v${i}`)));
    });
    sql(path, 'UPDATE secrets SET head = NULL');
    const { vault, session } = await reopen();
    // As a member of a vault made before heads, who has not adopted them yet.
    session.acceptsLegacyHeads = true;
    expect(adoptHeads(session)).toBe(50);
    expect(count(path, 'secrets', 'head IS NULL')).toBe(0);
    session.acceptsLegacyHeads = false;
    expect(get(session, 's7')).toBe('v7');
    session.lock();
    vault.close();
  });
});
