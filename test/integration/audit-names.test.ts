import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/access';
import { auditToOutbox, csvCell, renderAudit } from '../../electron/core/audit/export';
import { listAudit } from '../../electron/core/audit/log';
import { Outbox } from '../../electron/core/bundles/outbox';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { deleteNow, scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { sessionPass } from '../../electron/core/lifecycle/passes';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { TOMBSTONE_LIMIT } from '../../electron/core/secrets/tombstones';
import { addMember, removeMember } from '../../electron/core/vault/members';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { Vault } from '../../electron/core/vault/vault';
import content from '../fixtures/vaults/content.json';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { intoOlderFormat } from '../support/older-format';
import { withRawDb } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

const START = Date.parse('2026-11-25T12:00:00Z');
const BOB_PASSWORD = 'bob-password-1';

const apiKey = (name: string, level: 'personal' | 'organization' = 'organization'): RegisterSecretInput => ({
  type: 'api-key',
  name,
  level,
  fields: { headerName: 'X-Key', value: `value-of-${name}` },
});

/**
 * Alice (Account Holder) keeps an organization secret "OpenAI prod" she deletes at once, one
 * "OpenAI staging" the scheduler purges, one "OpenAI live" that stays, and a personal "OpenAI mine"
 * she deletes; Bob, a Sys Admin, reads the log and the organization's secrets, never her personal ones.
 */
async function vaultWithDeletions(dir: string) {
  const clock = fakeClock(START);
  const { vault, session: alice, path } = await newVault(dir, { context: { clock } });
  addMember(alice, { name: 'bob', role: 'sys-admin', password: BOB_PASSWORD });
  const ids: Record<string, string> = {};
  for (const s of [apiKey('OpenAI prod'), apiKey('OpenAI staging'), apiKey('OpenAI live'), apiKey('OpenAI mine', 'personal'), apiKey('=HYPERLINK("x")')]) {
    ids[s.name] = registerSecret(alice, s).id;
    getSecretValue(alice, { name: s.name, level: s.level }, { use: { door: 'cli', how: 'print' } });
  }
  deleteNow(alice, { name: 'OpenAI prod', level: 'organization' }, 'DELETE');
  deleteNow(alice, { name: 'OpenAI mine', level: 'personal' }, 'DELETE');
  deleteNow(alice, { name: '=HYPERLINK("x")', level: 'organization' }, 'DELETE');
  scheduleDeletion(alice, { name: 'OpenAI staging', level: 'organization' }, 'DELETE');
  clock.set(START + 31 * DAY_MS);
  expect(sessionPass(alice).purged).toBe(1);
  alice.lock();
  return { vault, path, ids };
}

describe('the audit log in names', () => {
  const tmp = useTempDir();

  it('names live secrets with their place, deleted ones by their last known name, to a new session reading from the file', async () => {
    const { vault, ids } = await vaultWithDeletions(tmp());
    const alice = await vault.unlock('alice', PASSWORD);
    const entries = readAudit(alice);
    const about = (id: string) => entries.filter((e) => e.target === id);

    expect(about(ids['OpenAI live']!).map((e) => [e.action, e.targetName, e.targetDeleted, e.targetPlace])).toEqual([
      ['secret.get', 'OpenAI live', undefined, { level: 'organization', workspace: null }],
      ['secret.register', 'OpenAI live', undefined, { level: 'organization', workspace: null }],
    ]);
    expect(about(ids['OpenAI prod']!).map((e) => [e.action, e.targetName, e.targetDeleted, e.targetPlace])).toEqual([
      ['secret.delete', 'OpenAI prod', true, undefined],
      ['secret.get', 'OpenAI prod', true, undefined],
      ['secret.register', 'OpenAI prod', true, undefined],
    ]);
    // Purged by the scheduler, whose entry names it too.
    expect(about(ids['OpenAI staging']!).map((e) => [e.actor, e.action, e.targetName, e.targetDeleted])[0]).toEqual(['scheduler', 'secret.purge', 'OpenAI staging', true]);
    expect(about(ids['OpenAI mine']!).every((e) => e.targetName === 'OpenAI mine' && e.targetDeleted)).toBe(true);
    // Other targets are names in the log already.
    expect(entries.find((e) => e.action === 'member.add')?.target).toBe('bob');
    vault.close();
  });

  it('tells a deleted secret’s name only to a reader of its scope', async () => {
    const { vault, ids } = await vaultWithDeletions(tmp());
    const bob = await vault.unlock('bob', BOB_PASSWORD);
    const entries = readAudit(bob);
    const mine = entries.filter((e) => e.target === ids['OpenAI mine']);
    expect(mine.map((e) => e.action)).toEqual(['secret.delete', 'secret.get', 'secret.register']);
    expect(mine.every((e) => e.targetName === undefined && e.targetDeleted === undefined)).toBe(true);
    expect(entries.find((e) => e.target === ids['OpenAI prod'])?.targetName).toBe('OpenAI prod');
    // Bob's search by name finds the organization's secrets, never alice's personal one.
    const found = readAudit(bob, { search: 'openai' });
    expect(new Set(found.map((e) => e.target))).toEqual(new Set([ids['OpenAI prod'], ids['OpenAI staging'], ids['OpenAI live']]));
    vault.close();
  });

  it('keeps names sealed: the file holds no deleted name in clear', async () => {
    const { vault, path } = await vaultWithDeletions(tmp());
    vault.close();
    const rows = withRawDb(path, (db) => db.prepare('SELECT secret_id, scope_id, content FROM secret_tombstones').all() as { content: Buffer }[]);
    expect(rows.length).toBe(4);
    for (const r of rows) expect(Buffer.from(r.content).toString('latin1')).not.toContain('OpenAI');
    for (const table of ['audit', 'secret_tombstones']) {
      const text = JSON.stringify(withRawDb(path, (db) => db.prepare(`SELECT * FROM ${table}`).all()));
      expect(text).not.toContain('OpenAI');
    }
  });

  it('keeps the last known names across a key rotation: re-sealed under the scope’s new key', async () => {
    const { vault, path, ids } = await vaultWithDeletions(tmp());
    const alice = await vault.unlock('alice', PASSWORD);
    const before = withRawDb(path, (db) => db.prepare('SELECT key_version FROM secret_tombstones WHERE secret_id = ?').pluck().get(ids['OpenAI prod']));
    removeMember(alice, 'bob');
    const after = withRawDb(path, (db) => db.prepare('SELECT key_version FROM secret_tombstones WHERE secret_id = ?').pluck().get(ids['OpenAI prod']));
    expect(after).toBe((before as number) + 1);
    alice.lock();
    const again = await vault.unlock('alice', PASSWORD);
    expect(readAudit(again, { search: 'OpenAI prod' }).map((e) => [e.action, e.targetName, e.targetDeleted])[0]).toEqual(['secret.delete', 'OpenAI prod', true]);
    vault.close();
  });

  it('names nothing from a tombstone moved onto another secret, or altered', async () => {
    const { vault, path, ids } = await vaultWithDeletions(tmp());
    vault.close();
    withRawDb(path, (db) => {
      db.prepare('UPDATE secret_tombstones SET secret_id = ? WHERE secret_id = ?').run('moved', ids['OpenAI prod']);
      db.prepare('UPDATE secret_tombstones SET content = zeroblob(length(content)) WHERE secret_id = ?').run(ids['OpenAI staging']);
    });
    const v = await Vault.open(path);
    const alice = await v.unlock('alice', PASSWORD);
    const entries = readAudit(alice);
    expect(entries.filter((e) => e.target === ids['OpenAI prod'] || e.target === ids['OpenAI staging']).every((e) => e.targetName === undefined)).toBe(true);
    expect(entries.find((e) => e.target === ids['OpenAI mine'])?.targetName).toBe('OpenAI mine');
    v.close();
  });

  it('finds entries by a name the reader knows, current or last known, beside ids, actors and actions', async () => {
    const { vault, ids } = await vaultWithDeletions(tmp());
    const alice = await vault.unlock('alice', PASSWORD);
    const found = readAudit(alice, { search: 'OPENAI' });
    expect(new Set(found.map((e) => e.target))).toEqual(new Set([ids['OpenAI prod'], ids['OpenAI staging'], ids['OpenAI live'], ids['OpenAI mine']]));
    expect(readAudit(alice, { search: 'live' }).map((e) => e.action)).toEqual(['secret.get', 'secret.register']);
    expect(readAudit(alice, { search: 'staging', actions: ['secret.purge'] }).map((e) => e.actor)).toEqual(['scheduler']);
    expect(readAudit(alice, { search: ids['OpenAI live']!.slice(-12) }).length).toBe(2);
    expect(readAudit(alice, { search: 'member.add' }).map((e) => e.target)).toEqual(['bob']);
    expect(readAudit(alice, { search: 'nothing is called this' })).toEqual([]);
    // A broad search names more ids than an IN list is worth: the same entries, checked against a set.
    const many = [...Array.from({ length: 1500 }, (_, i) => `no-such-secret-${i}`), ids['OpenAI live']!];
    expect(listAudit(alice.db, { search: 'zzz' }, many).map((e) => e.action)).toEqual(['secret.get', 'secret.register']);
    expect(listAudit(alice.db, { search: 'zzz' }, many.slice(0, 10).concat(ids['OpenAI live']!)).map((e) => e.action)).toEqual(['secret.get', 'secret.register']);
    vault.close();
  });

  it('exports the filtered view as CSV or JSON, the same entries the listing shows, formulas defused', async () => {
    const { vault, ids } = await vaultWithDeletions(tmp());
    const alice = await vault.unlock('alice', PASSWORD);
    const outbox = new Outbox();
    try {
      const query = { search: 'openai', actions: ['secret.delete', 'secret.purge'] };
      const listed = readAudit(alice, query);
      expect(listed.length).toBe(3);

      const json = auditToOutbox(alice, outbox, { ...query, format: 'json' });
      expect(json).toMatchObject({ format: 'json', entries: 3, savedTo: null });
      expect(json.fileName).toMatch(/^acme-audit-\d{4}-\d{2}-\d{2}\.json$/);
      const rows = JSON.parse(readFileSync(outbox.take(json.downloadId!)!.path, 'utf8')) as { seq: number; targetName: string; targetDeleted: boolean }[];
      expect(rows.map((r) => [r.seq, r.targetName, r.targetDeleted])).toEqual(listed.map((e) => [e.seq, e.targetName, true]));

      const csv = auditToOutbox(alice, outbox, { ...query, format: 'csv' });
      const text = readFileSync(outbox.take(csv.downloadId!)!.path, 'utf8');
      expect(text).toBe(renderAudit('csv', listed));
      const lines = text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('seq,at,actor,actorName,action,target,targetName,targetDeleted,origin');
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(listed.map((e) => String(e.seq)));

      const formula = readAudit(alice, { search: 'hyperlink', action: 'secret.delete' });
      expect(formula.map((e) => e.target)).toEqual([ids['=HYPERLINK("x")']]);
      expect(renderAudit('csv', formula)).toContain(`,"'=HYPERLINK(""x"")",true,`);
    } finally {
      outbox.clear();
    }
    vault.close();
  });

  it('keeps cells a spreadsheet would run as text', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', 'plain', 'a,b', 'say "hi"'].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\t=1",
      'plain',
      '"a,b"',
      '"say ""hi"""',
    ]);
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('keeps the newest last known names only, up to the limit', async () => {
    const { vault, path } = await vaultWithDeletions(tmp());
    vault.close();
    // Planting old rows is enough: the bound counts rows, whoever wrote them.
    withRawDb(path, (db) => {
      const scope = db.prepare("SELECT id FROM scopes WHERE kind = 'organization'").pluck().get() as string;
      const plant = db.prepare('INSERT INTO secret_tombstones (secret_id, scope_id, key_version, deleted_at, content) VALUES (?, ?, 1, ?, x\'00\')');
      db.transaction(() => {
        for (let i = 0; i < TOMBSTONE_LIMIT; i++) plant.run(`old-${i}`, scope, i);
      })();
    });
    const v = await Vault.open(path);
    const alice = await v.unlock('alice', PASSWORD);
    registerSecret(alice, apiKey('one more'));
    deleteNow(alice, { name: 'one more', level: 'organization' }, 'DELETE');
    const kept = withRawDb(path, (db) => db.prepare('SELECT count(*) AS n, min(deleted_at) AS oldest FROM secret_tombstones').get() as { n: number; oldest: number });
    expect(kept.n).toBe(TOMBSTONE_LIMIT);
    expect(kept.oldest).toBe(5);
    expect(readAudit(alice, { search: 'one more' }).every((e) => e.targetName === 'one more' && e.targetDeleted)).toBe(true);
    v.close();
  });
});

describe('the last known names across the upgrade to schema version 8', () => {
  const tmp = useTempDir();

  it('upgrades a version 7 vault: its secrets named in the log, a secret deleted afterwards by its last known name', async () => {
    const path = join(tmp(), 'v7.coffer');
    copyFileSync(join(__dirname, '..', 'fixtures', 'vaults', 'v7.sqlite'), path);
    const vault = await Vault.open(path);
    expect(withRawDb(path, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    const alice = await vault.unlock('alice', content.password);
    const stripe = readAudit(alice, { search: 'stripe' });
    expect(stripe.map((e) => e.action).sort()).toEqual(['secret.edit', 'secret.get', 'secret.register']);
    expect(stripe.every((e) => e.targetName === 'stripe' && e.targetPlace?.level === 'personal')).toBe(true);
    deleteNow(alice, { name: 'stripe', level: 'personal' }, 'DELETE');
    const after = readAudit(alice, { search: 'stripe' });
    expect(after.map((e) => [e.action, e.targetName, e.targetDeleted])[0]).toEqual(['secret.delete', 'stripe', true]);
    vault.close();
  });

  it('shows a secret deleted before the upgrade by its id, and fails nothing', async () => {
    const { vault, session, path } = await newVault(tmp());
    const gone = registerSecret(session, apiKey('deleted before'));
    registerSecret(session, apiKey('kept'));
    deleteNow(session, { name: 'deleted before', level: 'organization' }, 'DELETE');
    session.lock();
    vault.close();
    // The file as the Coffer of version 7 left it: the same deletion, with no tombstone table.
    const v7 = join(tmp(), 'as-v7.coffer');
    intoOlderFormat(path, v7, 7);
    const v = await Vault.open(v7);
    const alice = await v.unlock('alice', PASSWORD);
    const about = readAudit(alice).filter((e) => e.target === gone.id);
    expect(about.map((e) => [e.action, e.targetName])).toEqual([
      ['secret.delete', undefined],
      ['secret.register', undefined],
    ]);
    expect(readAudit(alice, { search: 'deleted before' })).toEqual([]);
    expect(readAudit(alice, { search: 'kept' }).map((e) => e.targetName)).toEqual(['kept']);
    v.close();
  });
});
