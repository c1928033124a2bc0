import { copyFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { verifyAuditFor } from '../../electron/core/audit/access';
import type { AuditKey } from '../../electron/core/audit/chain';
import { insertRow, macLink, readHead, writeHead } from '../../electron/core/audit/chain';
import { appendAudit, listAudit } from '../../electron/core/audit/log';
import { rekeyAudit } from '../../electron/core/audit/rekey';
import { auditProblem, verifyAudit } from '../../electron/core/audit/verify';
import { CofferApp } from '../../electron/core/app';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { Vault } from '../../electron/core/vault/vault';
import content from '../fixtures/vaults/content.json';
import { withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * The audit log against whoever can write the file (docs/product.md §8, SECURITY.md): someone with
 * no key, and a co-member who holds the audit key. Every change is detected and reported, none is
 * healed by a later append, and the rest of the vault stays usable.
 */

const VALUE = 'integrity-audit-value';
const BOB = 'bob-password-1';

/** Five entries under the key: unlock, register, get, member.add (bob), edit. */
async function vaultWithLog(dir: string) {
  const { vault, session, path } = await newVault(dir);
  registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: VALUE } });
  getSecretValue(session, { name: 'k' }, { use: { door: 'cli', how: 'print' } });
  addMember(session, { name: 'bob', role: 'account-manager', password: BOB });
  editSecret(session, { ref: { name: 'k' }, name: 'k2' });
  session.lock();
  vault.close();
  return path;
}

/** A vault with that log, unlocked once by an app that remembers the heads it sees in `dataDir`. */
async function seenByApp(dir: string): Promise<{ path: string; dataDir: string }> {
  const path = await vaultWithLog(dir);
  const dataDir = join(dir, 'data');
  const app = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
  await app.unlock('alice', PASSWORD);
  app.close();
  return { path, dataDir };
}

const headValue = (db: Database) => (db.prepare("SELECT value FROM meta WHERE key = 'audit_head'").get() as { value: string }).value;
const sha256Link = (prev: Uint8Array, r: { seq: number; at: number; actor: string; action: string; target: string | null }) =>
  createHash('sha256').update(prev).update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.target])).digest();

/** Opens, unlocks as alice, runs `fn`, closes. Opened for writing, the unlock itself appends. */
async function asAlice<T>(path: string, readOnly: boolean, fn: (v: Vault, s: Awaited<ReturnType<Vault['unlock']>>) => T): Promise<T> {
  const vault = await Vault.open(path, { readOnly });
  try {
    return fn(vault, await vault.unlock('alice', PASSWORD));
  } finally {
    vault.close();
  }
}

const verdict = (path: string, readOnly: boolean) => asAlice(path, readOnly, (_v, s) => verifyAuditFor(s));
const valueOf = (path: string) => asAlice(path, true, (_v, s) => getSecretValue(s, { name: 'k2' }, { use: { door: 'cli', how: 'print' } }).value);

/**
 * Changes made with plain SQL by someone who holds the file and no key. `atTheEnd`: the change touches the end of the chain, which status and `coffer info` check on every
 * look; a change further in is found by `audit verify`, which walks the whole log.
 */
const tamperings: { what: string; brokenAt: number; atTheEnd?: true; sql: (db: Database) => void }[] = [
  { what: 'the newest entries removed, the head kept', brokenAt: 4, atTheEnd: true, sql: (db) => db.exec('DELETE FROM audit WHERE seq >= 4') },
  {
    what: 'the newest entries removed and the head rewritten as schema 2 wrote it',
    brokenAt: 4,
    atTheEnd: true,
    sql: (db) => {
      db.exec('DELETE FROM audit WHERE seq >= 4');
      const h = (db.prepare('SELECT hash FROM audit WHERE seq = 3').get() as { hash: Buffer }).hash.toString('hex');
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(`3:${h}`);
    },
  },
  { what: 'the newest entries and the head removed', brokenAt: 4, atTheEnd: true, sql: (db) => db.exec("DELETE FROM audit WHERE seq >= 4; DELETE FROM meta WHERE key = 'audit_head'") },
  { what: 'an entry in the middle removed', brokenAt: 3, sql: (db) => db.exec('DELETE FROM audit WHERE seq = 3') },
  { what: 'an altered action', brokenAt: 3, sql: (db) => db.exec("UPDATE audit SET action = 'secret.register' WHERE seq = 3") },
  { what: 'an entry marked as written without a key', brokenAt: 2, sql: (db) => db.exec("UPDATE audit SET origin = 'locked' WHERE seq = 2") },
  {
    what: 'two entries swapped',
    brokenAt: 2,
    sql: (db) => db.exec('UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1;'),
  },
  {
    what: 'an entry forged and every later SHA-256 link and the head recomputed',
    brokenAt: 3,
    sql: (db) => {
      db.exec("UPDATE audit SET target = 'someone-else' WHERE seq = 3");
      const rows = db.prepare('SELECT seq, at, actor, action, target, prev_hash FROM audit WHERE seq >= 3 ORDER BY seq').all() as {
        seq: number;
        at: number;
        actor: string;
        action: string;
        target: string | null;
        prev_hash: Buffer;
      }[];
      let prev: Uint8Array = rows[0]!.prev_hash;
      for (const r of rows) {
        const link = sha256Link(prev, r);
        db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, link, r.seq);
        prev = link;
      }
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(`${rows.at(-1)!.seq}:${Buffer.from(prev).toString('hex')}`);
    },
  },
  {
    what: 'the head set back to an older copy, the entries after it kept',
    brokenAt: 4,
    atTheEnd: true,
    sql: (db) => {
      // What the head said after entry 3 is not in the file any more; a MAC of it is needed, so the
      // test takes it from the copy saved by `savedHead` below.
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(savedHead.value);
    },
  },
];

/** The head as it was after entry 3, kept by an attacker who copied the file then. */
const savedHead = { value: '' };

async function vaultWithSavedHead(dir: string) {
  const { vault, session, path } = await newVault(dir);
  registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: VALUE } });
  getSecretValue(session, { name: 'k' }, { use: { door: 'cli', how: 'print' } });
  savedHead.value = withRawDb(path, headValue);
  addMember(session, { name: 'bob', role: 'account-manager', password: BOB });
  editSecret(session, { ref: { name: 'k' }, name: 'k2' });
  session.lock();
  vault.close();
  return path;
}

describe('the audit log, written by someone with no key', () => {
  const tmp = useTempDir();

  describe.each(tamperings)('$what', ({ brokenAt, atTheEnd, sql }) => {
    it.each([
      ['read-only', true],
      ['unlocked for writing', false],
    ])('is reported (%s), and the vault stays usable', async (_mode, readOnly) => {
      const path = await vaultWithSavedHead(tmp());
      withRawDb(path, sql);
      expect(await verdict(path, readOnly)).toMatchObject({ ok: false, brokenAt });
      expect(await valueOf(path)).toBe(VALUE);
    });

    it('is never healed by the appends that follow; status and info say so when it is at the end', async () => {
      const path = await vaultWithSavedHead(tmp());
      withRawDb(path, sql);
      const dataDir = join(tmp(), 'data');
      const app = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
      await app.unlock('alice', PASSWORD);
      registerSecret(app.session(), { type: 'api-key', name: 'after', fields: { headerName: 'X-Key', value: 'after-value' } });
      expect(app.verifyAudit()).toMatchObject({ ok: false, brokenAt });
      const unlocked = await app.status();
      app.lock();
      const locked = await app.status();
      app.close();
      expect(await verdict(path, true)).toMatchObject({ ok: false, brokenAt });
      if (!atTheEnd) return;
      // Once recorded, the break is named the same way with or without the key.
      for (const status of [unlocked, locked]) expect(status.integrity.auditBroken?.brokenAt).toBe(brokenAt);
      await asAlice(path, true, (v) => expect(auditProblem(v.db)?.brokenAt).toBe(brokenAt));
    });
  });

  it('the break is recorded as an audit.broken entry naming who found it; removing that record is itself detected', async () => {
    const path = await vaultWithLog(tmp());
    withRawDb(path, (db) => db.exec('DELETE FROM audit WHERE seq >= 4'));
    const recorded = await asAlice(path, false, (v) => listAudit(v.db, { action: 'audit' }));
    expect(recorded).toEqual([expect.objectContaining({ actor: 'alice', action: 'audit.broken', origin: 'session', target: expect.stringMatching(/^entry 4: entries 4 to 5 were removed/) })]);
    const v = await verdict(path, true);
    expect(v).toMatchObject({ ok: false, brokenAt: 4, reason: expect.stringContaining('found by alice') });
    withRawDb(path, (db) => db.exec("DELETE FROM audit WHERE action = 'audit.broken'"));
    expect(await verdict(path, true)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('a forged audit.broken entry cannot put words in a member\'s mouth', async () => {
    const path = await vaultWithLog(tmp());
    withRawDb(path, (db) => db.exec("UPDATE audit SET action = 'audit.broken', target = 'entry 1: call this number' WHERE seq = 3"));
    const v = await verdict(path, true);
    expect(v).toMatchObject({ ok: false, brokenAt: 3, reason: 'entry 3 was altered' });
  });
});

describe('entries written without a key', () => {
  const tmp = useTempDir();

  it('are chained by plain hash, adopted under the MAC by the next unlock, and stay marked as unauthenticated', async () => {
    const path = await vaultWithLog(tmp());
    const vault = await Vault.open(path);
    await expect(vault.unlock('alice', 'wrong password')).rejects.toMatchObject({ code: 'AUTH' });
    vault.db.write(() => appendAudit(vault.db, Date.now(), 'scheduler', 'secret.purge', 'some-id'));
    expect(listAudit(vault.db).slice(0, 2).map((e) => [e.action, e.origin])).toEqual([
      ['secret.purge', 'locked'],
      ['unlock.failed', 'locked'],
    ]);
    // While locked, what anyone can check holds.
    expect(auditProblem(vault.db)).toBeUndefined();
    const session = await vault.unlock('alice', PASSWORD);
    const key = session.auditKey()!;
    const rows = withRawDb(path, (db) => db.prepare('SELECT seq, at, actor, action, target, origin, prev_hash, hash FROM audit WHERE seq IN (6, 7) ORDER BY seq').all()) as Parameters<
      typeof macLink
    >[2][] &
      { prev_hash: Buffer; hash: Buffer }[];
    for (const r of rows) expect(Buffer.from(macLink(key.key, r.prev_hash, r)).equals(r.hash)).toBe(true);
    expect(verifyAuditFor(session)).toEqual({ ok: true, entries: 8, unauthenticated: 2 });
    expect(readHead(vault.db)).toMatchObject({ kind: 'keyed', seq: 8 });
    vault.close();
  });

  it('once adopted, are protected like any other entry', async () => {
    const path = await vaultWithLog(tmp());
    const vault = await Vault.open(path);
    await expect(vault.unlock('alice', 'wrong password')).rejects.toMatchObject({ code: 'AUTH' });
    (await vault.unlock('alice', PASSWORD)).lock();
    vault.close();
    withRawDb(path, (db) => db.exec("UPDATE audit SET actor = 'mallory' WHERE seq = 6"));
    expect(await verdict(path, true)).toMatchObject({ ok: false, brokenAt: 6, reason: 'entry 6 was altered' });
  });

  it('while still pending, can be removed or added unseen: nobody vouched for them (the documented limit)', async () => {
    const path = await vaultWithLog(tmp());
    const vault = await Vault.open(path);
    await expect(vault.unlock('alice', 'wrong password')).rejects.toMatchObject({ code: 'AUTH' });
    vault.close();
    withRawDb(path, (db) => db.exec('DELETE FROM audit WHERE seq = 6'));
    expect(await verdict(path, true)).toEqual({ ok: true, entries: 5, unauthenticated: 0 });
  });
});

describe('rollback, seen from outside the file', () => {
  const tmp = useTempDir();

  /** A vault, a copy of it as it is now, and an app (remembering heads in `dataDir`) that then unlocks it. */
  async function copiedThenSeen() {
    const dir = tmp();
    const path = await vaultWithLog(dir);
    const older = join(dir, 'older.coffer');
    copyFileSync(path, older);
    const dataDir = join(dir, 'data');
    const app = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
    await app.unlock('alice', PASSWORD);
    return { path, older, dataDir, app };
  }

  it('a whole file replaced by an older copy is reported by the app that saw the newer head, and stays usable', async () => {
    const { path, older, dataDir, app } = await copiedThenSeen();
    getSecretValue(app.session(), { name: 'k2' }, { use: { door: 'desktop', how: 'copy' } });
    expect((await app.status()).integrity).toEqual({});
    app.close();

    copyFileSync(older, path);
    const again = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
    expect((await again.status()).integrity.rolledBack).toEqual({ seen: 7, now: 5 });
    await again.unlock('alice', PASSWORD);
    expect(getSecretValue(again.session(), { name: 'k2' }, { use: { door: 'desktop', how: 'copy' } }).value).toBe(VALUE);
    expect((await again.status()).integrity).toEqual({ rolledBack: { seen: 7, now: 5 } });
    expect(again.verifyAudit()).toMatchObject({ ok: false, brokenAt: 6, reason: expect.stringContaining('older copy') });
    again.close();
    // Without that memory the older copy is consistent: nothing in the file can tell.
    expect(await verdict(path, true)).toMatchObject({ ok: true });
  });

  it('a copy set back and written to since is reported too', async () => {
    const { path, older, dataDir, app } = await copiedThenSeen();
    app.close();
    copyFileSync(older, path);
    // Written to by someone else since: as many entries as the app saw, different ones.
    await asAlice(path, false, () => undefined);
    const again = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
    expect((await again.status()).integrity.rolledBack).toEqual({ seen: 6, now: 6 });
    again.close();
  });
});

describe('a hostile co-member, who holds the audit key', () => {
  const tmp = useTempDir();

  /** Bob rewrites the chain from entry `from` with the key every member holds. */
  async function bobRewrites(path: string, edit: (db: Database) => void) {
    const vault = await Vault.open(path);
    const bob = await vault.unlock('bob', BOB);
    const key = bob.auditKey()!;
    vault.close();
    withRawDb(path, edit);
    const again = await Vault.open(path, { readOnly: false });
    again.db.write(() => {
      const rows = again.db.query<Parameters<typeof macLink>[2] & { prev_hash: Uint8Array }>('SELECT seq, at, actor, action, target, origin, prev_hash FROM audit ORDER BY seq').all();
      let prev: Uint8Array = new Uint8Array(32);
      for (const r of rows) {
        const link = macLink(key.key, prev, r);
        again.db.stmt('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, link, r.seq);
        prev = link;
      }
      writeHead(again.db, key, { seq: rows.at(-1)!.seq, link: prev, broken: 0 });
    });
    again.close();
  }

  /** An app that saw the log, then bob's consistent rewrite: what the chain says, and what that app says. */
  async function seenThenRewritten(rewrite: (db: Database) => void) {
    const { path, dataDir } = await seenByApp(tmp());
    await bobRewrites(path, rewrite);
    const chain = await verdict(path, true);
    const again = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
    const rolledBack = (await again.status()).integrity.rolledBack;
    again.close();
    return { chain, rolledBack };
  }

  it('can rewrite the file consistently, and the app that saw the log before reports it', async () => {
    // Removes the last entries (bob's own addition among them) and re-MACs the rest.
    const seen = await seenThenRewritten((db) => db.exec('DELETE FROM audit WHERE seq >= 4'));
    expect(seen.chain).toMatchObject({ ok: true });
    expect(seen.rolledBack).toEqual({ seen: 6, now: 3 });
  });

  it('an entry altered in place, every link after it re-MACed, is reported by the app that saw it', async () => {
    const seen = await seenThenRewritten((db) => db.exec("UPDATE audit SET target = 'carol' WHERE action = 'member.add'"));
    // Bob's own unlock is entry 7: the log is longer, yet entry 6 is not the one the app saw.
    expect(seen.rolledBack).toEqual({ seen: 6, now: 7 });
  });
});

describe('appends within one transaction (the REST reads committed together)', () => {
  const tmp = useTempDir();
  const now = Date.now();

  it('stay chained when a savepoint between them is rolled back or an entry without the key comes between', async () => {
    const path = await vaultWithLog(tmp());
    await asAlice(path, false, (v, s) => {
      const key = s.auditKey()!;
      v.db.write(() => {
        appendAudit(v.db, now, 'alice', 'secret.get', 'a', key);
        const undone = () =>
          v.db.write(() => {
            appendAudit(v.db, now, 'alice', 'secret.get', 'undone', key);
            throw new Error('undo');
          });
        expect(undone).toThrow('undo');
        // Numbered as the entry rolled back was: only the head tells the two apart.
        appendAudit(v.db, now, 'scheduler', 'secret.purge', 'b');
        appendAudit(v.db, now, 'alice', 'secret.get', 'c', key);
        appendAudit(v.db, now, 'alice', 'secret.get', 'd', key);
      });
      expect(listAudit(v.db, { limit: 4 }).map((e) => [e.seq, e.target, e.origin])).toEqual([
        [10, 'd', 'session'],
        [9, 'c', 'session'],
        [8, 'b', 'locked'],
        [7, 'a', 'session'],
      ]);
      expect(verifyAudit(v.db, key)).toEqual({ ok: true, entries: 10, unauthenticated: 1 });
    });
  });

  it('check the end of the chain again in the next transaction: an entry removed between two is recorded as a break', async () => {
    const path = await vaultWithLog(tmp());
    await asAlice(path, false, (v, s) => {
      const key = s.auditKey()!;
      v.db.write(() => appendAudit(v.db, now, 'alice', 'secret.get', 'a', key));
      withRawDb(path, (raw) => raw.exec('DELETE FROM audit WHERE seq = 7'));
      v.db.write(() => appendAudit(v.db, now, 'alice', 'secret.get', 'b', key));
      expect(listAudit(v.db, { limit: 2 }).map((e) => [e.action, e.target])).toEqual([
        ['secret.get', 'b'],
        ['audit.broken', expect.stringContaining('entry 7')],
      ]);
      expect(verifyAudit(v.db, key)).toMatchObject({ ok: false, brokenAt: 7 });
    });
  });
});

describe('rekeyAudit', () => {
  const tmp = useTempDir();
  const newKey = (): AuditKey => ({ key: new Uint8Array(32).fill(7), version: 2 });

  it('moves the whole chain to the new key: it verifies under it, and not under the old one', async () => {
    const path = await vaultWithLog(tmp());
    await asAlice(path, false, (v, s) => {
      const old = s.auditKey()!;
      const next = newKey();
      v.db.write(() => rekeyAudit(v.db, old.key, next.key, next.version));
      expect(verifyAudit(v.db, next)).toEqual({ ok: true, entries: 6, unauthenticated: 0 });
      expect(verifyAudit(v.db, old)).toMatchObject({ ok: false, reason: expect.stringContaining('version 2 of the organization key') });
      expect(verifyAudit(v.db, { key: old.key, version: 2 })).toMatchObject({ ok: false, brokenAt: 1 });
      // A session still holding the old key can only write entries nobody vouches for.
      v.db.write(() => appendAudit(v.db, Date.now(), 'bob', 'secret.get', 'x', old));
      expect(listAudit(v.db, { limit: 1 })).toEqual([expect.objectContaining({ actor: 'bob', origin: 'locked' })]);
      expect(verifyAudit(v.db, next)).toEqual({ ok: true, entries: 7, unauthenticated: 1 });
      // And an entry forged under it (by a removed member) does not verify.
      v.db.write(() => {
        const last = v.db.query<{ hash: Uint8Array }>('SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get()!;
        const forged = { seq: 8, at: Date.now(), actor: 'alice', action: 'secret.get', target: 'x', origin: 'session' as const };
        insertRow(v.db, forged, last.hash, macLink(old.key, last.hash, forged));
      });
      expect(verifyAudit(v.db, next)).toMatchObject({ ok: false, brokenAt: 8 });
    });
  });

  it('carries a break over instead of healing it', async () => {
    const path = await vaultWithLog(tmp());
    withRawDb(path, (db) => db.exec("UPDATE audit SET target = 'x' WHERE seq = 3"));
    await asAlice(path, false, (v, s) => {
      const old = s.auditKey()!;
      const next = newKey();
      v.db.write(() => rekeyAudit(v.db, old.key, next.key, next.version));
      expect(verifyAudit(v.db, next)).toMatchObject({ ok: false, brokenAt: 3, reason: 'entry 3 was altered' });
    });
  });

  it('keeps entries written without a key unauthenticated, re-chained after the new links', async () => {
    const path = await vaultWithLog(tmp());
    await asAlice(path, false, (v, s) => {
      v.db.write(() => appendAudit(v.db, Date.now(), 'scheduler', 'secret.purge', 'id'));
      const old = s.auditKey()!;
      const next = newKey();
      v.db.write(() => rekeyAudit(v.db, old.key, next.key, next.version));
      expect(verifyAudit(v.db, next)).toEqual({ ok: true, entries: 7, unauthenticated: 1 });
    });
  });

  it('refuses a head that does not verify under the old key: nothing is changed', async () => {
    const path = await vaultWithLog(tmp());
    await asAlice(path, true, () => undefined);
    const before = withRawDb(path, (db) => db.prepare('SELECT hash FROM audit ORDER BY seq').all());
    const vault = await Vault.open(path);
    expect(() => vault.db.write(() => rekeyAudit(vault.db, new Uint8Array(32), newKey().key, 2))).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    vault.close();
    expect(withRawDb(path, (db) => db.prepare('SELECT hash FROM audit ORDER BY seq').all())).toEqual(before);
  });
});

describe('a vault whose log was not keyed yet (schema 3)', () => {
  const tmp = useTempDir();
  const fixture = join(__dirname, '..', 'fixtures', 'vaults', 'v3.sqlite');

  const copy = () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'v3.coffer');
    copyFileSync(fixture, path);
    return path;
  };

  it('is verified and converted at the first unlock; its old entries stay marked as unauthenticated', async () => {
    const path = copy();
    const legacy = withRawDb(path, (db) => (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n);
    const vault = await Vault.open(path);
    expect(readHead(vault.db).kind).toBe('legacy');
    const session = await vault.unlock('alice', content.password);
    expect(readHead(vault.db)).toMatchObject({ kind: 'keyed' });
    const v = verifyAuditFor(session);
    expect(v.ok).toBe(true);
    expect(v.unauthenticated).toBeGreaterThanOrEqual(legacy);
    expect(listAudit(vault.db).filter((e) => e.origin === 'legacy')).toHaveLength(legacy);
    vault.close();
  });

  it('a broken old chain is recorded when it is converted, not converted silently', async () => {
    const path = copy();
    withRawDb(path, (db) => db.exec("UPDATE audit SET actor = 'mallory' WHERE seq = 5"));
    const vault = await Vault.open(path);
    const session = await vault.unlock('alice', content.password);
    expect(verifyAuditFor(session)).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/^entry 5 was altered \(found by alice/) });
    vault.close();
  });

  it('a keyed log turned back into an unkeyed one is reported by the app that saw it keyed', async () => {
    const { path, dataDir } = await seenByApp(tmp());
    withRawDb(path, (db) => {
      const rows = db.prepare('SELECT seq, at, actor, action, target FROM audit ORDER BY seq').all() as Parameters<typeof sha256Link>[1][];
      let prev: Uint8Array = new Uint8Array(32);
      for (const r of rows) {
        const link = sha256Link(prev, r);
        db.prepare("UPDATE audit SET origin = 'legacy', prev_hash = ?, hash = ? WHERE seq = ?").run(prev, link, r.seq);
        prev = link;
      }
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(`${rows.at(-1)!.seq}:${Buffer.from(prev).toString('hex')}`);
    });
    const again = new CofferApp({ vaultPath: path, door: 'desktop', dataDir });
    expect((await again.status()).integrity.rolledBack).toEqual({ seen: 6, now: 6 });
    again.close();
  });
});

describe('the status of a locked app', () => {
  const tmp = useTempDir();

  it('reports a change another process made to the log after an earlier status', async () => {
    const path = await vaultWithLog(tmp());
    const app = new CofferApp({ vaultPath: path, door: 'desktop', dataDir: join(tmp(), 'data') });
    try {
      expect((await app.status()).integrity.auditBroken).toBeUndefined();
      // The same file: the finding is the one found before (the unlock screen asks often).
      expect((await app.status()).integrity.auditBroken).toBeUndefined();
      withRawDb(path, (db) => db.exec('DELETE FROM audit WHERE seq >= 4'));
      expect((await app.status()).integrity.auditBroken).toMatchObject({ brokenAt: 4 });
    } finally {
      app.close();
    }
  });
});
