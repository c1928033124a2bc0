import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { dispatch } from '../../electron/core/handlers';
import { cancelDeletion, deleteNow, scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { listNotices, unreadNoticeCount } from '../../electron/core/lifecycle/notices';
import { lockedPass, sessionPass } from '../../electron/core/lifecycle/passes';
import { readScopeChunks } from '../../electron/core/secrets/name-chunks';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { addMember } from '../../electron/core/vault/members';
import type { Session } from '../../electron/core/vault/session';
import { Vault } from '../../electron/core/vault/vault';
import { withRawDb } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

const START = Date.parse('2027-01-01T09:00:00Z');
const dayOf = (ms: number) => Math.round((ms - START) / DAY_MS);

/** Every name the chunks of this member's scopes hold, sorted. */
function chunkNames(s: Session): string[] {
  const names: string[] = [];
  for (const scopeId of s.readableScopes()) readScopeChunks(s, scopeId, (entries) => names.push(...entries.map((e) => e[1])));
  return names.sort();
}

const apiKey = (name: string, extra: object = {}) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value: `value-of-${name}` }, ...extra });

/**
 * Runs the scheduler on the days `passOn` says, as a session's pass (the one that purges) or as a
 * locked one (the CLI without a password, the app before unlock), and records what happened when.
 */
async function scenario(dir: string, passOn: (day: number) => 'session' | 'locked' | undefined) {
  const clock = fakeClock(START);
  const { vault, session, path } = await newVault(dir, { context: { clock } });
  // Day 0: four secrets with different lives.
  const ids = new Map<string, string>();
  for (const input of [
    apiKey('never-used'),
    apiKey('used-on-day-20'),
    apiKey('used-on-day-50'),
    apiKey('expires-day-40', { expires: new Date(START + 40 * DAY_MS).toISOString().slice(0, 10) }),
  ]) {
    const s = registerSecret(session, input);
    ids.set(s.id, s.name);
  }
  const useOn: Record<number, string> = { 20: 'used-on-day-20', 50: 'used-on-day-50' };
  for (let day = 1; day <= 120; day++) {
    clock.set(START + day * DAY_MS);
    // Uses happen whether or not the scheduler runs that day (a CLI read while the app is closed).
    if (useOn[day]) getSecretValue(session, { name: useOn[day] }, { use: { door: 'cli', how: 'print' } });
    const pass = passOn(day);
    if (pass === 'session') sessionPass(session);
    if (pass === 'locked') lockedPass(vault);
  }
  const rows = withRawDb(path, (db) => db.prepare('SELECT id, status, inactive_since, deletion_at FROM secrets').all()) as { id: string }[];
  const notices = withRawDb(path, (db) => db.prepare('SELECT secret_id, kind, days_before, created_at, due_at FROM notices ORDER BY created_at, days_before DESC').all()) as {
    secret_id: string;
    kind: string;
    days_before: number;
    created_at: number;
    due_at: number;
  }[];
  const purges = withRawDb(path, (db) => db.prepare("SELECT target, at FROM audit WHERE action = 'secret.purge' ORDER BY seq").all()) as { target: string; at: number }[];
  return { vault, session, path, clock, rows, notices, purges, ids };
}

describe('lifecycle over 120 days', () => {
  const tmp = useTempDir();

  it('makes every transition and notice on its exact day; a 50-day gap, or purges left to a weekly unlock, change nothing', async () => {
    const daily = await scenario(tmp(), () => 'session');
    // The laptop is closed from day 56 to day 105: no pass, no use.
    const gap = await scenario(tmp(), (day) => (day <= 55 || day > 105 ? 'session' : undefined));
    // Locked passes every day (CLI commands without a password), an unlocked one only once a week and on the last day.
    const weekly = await scenario(tmp(), (day) => (day % 7 === 0 || day === 120 ? 'session' : 'locked'));
    const byName = (r: typeof daily) => {
      const names = r.ids;
      return r.notices.map((n) => `${names.get(n.secret_id)} ${n.kind}-${n.days_before}@${dayOf(n.created_at)}->${dayOf(n.due_at)}`).sort();
    };
    const expected = [
      // expires-day-40: notices 30, 7 and 1 days before its expiration.
      'expires-day-40 expiration-30@10->40',
      'expires-day-40 expiration-7@33->40',
      'expires-day-40 expiration-1@39->40',
      // never-used and expires-day-40: inactive on day 30 (counted from creation), purged on day 60.
      'never-used deletion-15@45->60',
      'never-used deletion-10@50->60',
      'never-used deletion-1@59->60',
      'expires-day-40 deletion-15@45->60',
      'expires-day-40 deletion-10@50->60',
      'expires-day-40 deletion-1@59->60',
      // used-on-day-50 was inactive from day 30 too: one notice on day 45, then the use on day 50
      // (before that day's pass) made it Active; inactive again on day 80, purged on day 110.
      'used-on-day-50 deletion-15@45->60',
      'used-on-day-50 deletion-15@95->110',
      'used-on-day-50 deletion-10@100->110',
      'used-on-day-50 deletion-1@109->110',
      // used-on-day-20: inactive on day 50, purged on day 80.
      'used-on-day-20 deletion-15@65->80',
      'used-on-day-20 deletion-10@70->80',
      'used-on-day-20 deletion-1@79->80',
    ].sort();
    expect(byName(daily)).toEqual(expected);
    expect(byName(gap)).toEqual(expected);
    expect(byName(weekly)).toEqual(expected);
    const purges = (r: typeof daily) => r.purges.map((p) => `${r.ids.get(p.target)}@${dayOf(p.at)}`).sort();
    expect(purges(daily)).toEqual(['expires-day-40@60', 'never-used@60', 'used-on-day-20@80', 'used-on-day-50@110']);
    expect(purges(gap)).toEqual(purges(daily));
    expect(purges(weekly)).toEqual(purges(daily));
    expect(daily.rows).toEqual([]);
    expect(gap.rows).toEqual([]);
    expect(weekly.rows).toEqual([]);
  });

  it('produces each notice once, whatever restarts happen', async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const { vault, session, path } = await newVault(dir, { context: { clock } });
    registerSecret(session, apiKey('soon', { expires: new Date(START + 5 * DAY_MS).toISOString().slice(0, 10) }));
    session.lock();
    vault.close();
    for (let i = 0; i < 3; i++) {
      clock.set(START + 4.5 * DAY_MS);
      const v = await Vault.open(path, { context: { clock } });
      lockedPass(v);
      lockedPass(v);
      v.close();
    }
    const v = await Vault.open(path, { context: { clock } });
    const s = await v.unlock(undefined, PASSWORD);
    // Registered 5 days before it expires: the 7-day notice at once (catch-up), the 1-day notice on day 4.
    expect(listNotices(s).map((n) => [n.name, n.kind, n.daysBefore])).toEqual([
      ['soon', 'expiration', 1],
      ['soon', 'expiration', 7],
    ]);
  });

  it('counts every unread notice this member may see, past the 1,000 the list shows', async () => {
    const clock = fakeClock(START);
    const { session } = await newVault(tmp(), { context: { clock } });
    const expires = new Date(START + 3 * DAY_MS).toISOString().slice(0, 10);
    await registerSecrets(session, Array.from({ length: 1100 }, (_, i) => apiKey(`soon-${i}`, { expires })));
    sessionPass(session);
    expect(listNotices(session)).toHaveLength(1000);
    expect(unreadNoticeCount(session)).toBe(1100);
    addMember(session, { name: 'bob', role: 'member', password: 'bob password 123' });
    const bob = await session.vault.unlock('bob', 'bob password 123');
    // Personal secrets of alice: bob reads none of them, and sees none of their notices.
    expect(unreadNoticeCount(bob)).toBe(0);
  });

  it("the app's status counts unread notices again only once the file changed: a read, a pass, another process", async () => {
    const clock = fakeClock(START);
    const { vault, session, path } = await newVault(tmp(), { context: { clock } });
    const expires = new Date(START + 3 * DAY_MS).toISOString().slice(0, 10);
    registerSecret(session, apiKey('a', { expires }));
    registerSecret(session, apiKey('b', { expires }));
    session.lock();
    vault.close();
    const app = new CofferApp({ vaultPath: path, door: 'desktop', context: { clock } });
    try {
      await app.unlock(undefined, PASSWORD);
      const unread = async () => (await app.status()).unreadNotices;
      expect(await unread()).toBe(2);
      expect(await unread()).toBe(2);
      const [first] = listNotices(app.session());
      expect(await dispatch(app, 'notices.markRead', { ids: [first!.id] })).toMatchObject({ ok: true, value: { marked: 1 } });
      expect(await unread()).toBe(1);
      // Another process's pass, days later: the 1-day notices (data_version moves, not this connection's writes).
      clock.set(START + 2.5 * DAY_MS);
      const other = await Vault.open(path, { context: { clock } });
      lockedPass(other);
      other.close();
      expect(await unread()).toBe(3);
    } finally {
      app.close();
    }
  });

  it('schedules, cancels and deletes now on the exact days, with the confirm word', async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const { session, path } = await newVault(dir, { context: { clock } });
    registerSecret(session, apiKey('a'));
    registerSecret(session, apiKey('b'));
    expect(() => scheduleDeletion(session, { name: 'a' }, 'delete')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'confirm' }));
    const scheduled = scheduleDeletion(session, { name: 'a' }, 'DELETE');
    expect(scheduled.status).toBe('scheduled');
    expect(dayOf(scheduled.deletion!)).toBe(30);
    clock.set(START + 10 * DAY_MS);
    expect(cancelDeletion(session, { name: 'a' })).toMatchObject({ status: 'active', deletion: null });
    // Cancelling restarts the inactivity period: inactive 30 days after the cancel, not after creation.
    clock.set(START + 35 * DAY_MS);
    sessionPass(session);
    expect(listSecrets(session).items.find((x) => x.name === 'a')?.status).toBe('active');
    clock.set(START + 40 * DAY_MS);
    sessionPass(session);
    expect(listSecrets(session).items.find((x) => x.name === 'a')).toMatchObject({ status: 'inactive' });
    expect(dayOf(listSecrets(session).items.find((x) => x.name === 'a')!.deletion!)).toBe(70);

    expect(() => deleteNow(session, { name: 'b' }, 'nope')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    deleteNow(session, { name: 'b' }, 'DELETE');
    expect(listSecrets(session).items.map((x) => x.name)).toEqual(['a']);
    expect(withRawDb(path, (db) => db.prepare('SELECT count(*) AS n FROM name_chunks').get())).toMatchObject({ n: 1 });
  });

  it("a purging pass takes the purged secrets' names out of the chunks that held them", async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const { session, path } = await newVault(dir, { context: { clock } });
    for (const name of ['kept', 'doomed-1', 'doomed-2']) registerSecret(session, apiKey(name));
    for (const name of ['doomed-1', 'doomed-2']) scheduleDeletion(session, { name }, 'DELETE');
    clock.set(START + 31 * DAY_MS);
    expect(sessionPass(session).purged).toBe(2);
    // Read from the file, in a session that never held the names in memory.
    const again = await (await Vault.open(path, { context: { clock } })).unlock(undefined, PASSWORD);
    expect(chunkNames(again)).toEqual(['kept']);
  });

  it('a chunk written after a purge it missed drops the names of the purged secrets', async () => {
    const dir = tmp();
    const { session, path } = await newVault(dir);
    const gone = registerSecret(session, apiKey('purged-elsewhere'));
    registerSecret(session, apiKey('kept'));
    // What a purge by a member who cannot rewrite this chunk leaves: the rows gone, the name still in the chunk.
    withRawDb(path, (db) => {
      db.prepare('DELETE FROM reader_keys WHERE secret_seq = (SELECT seq FROM secrets WHERE id = ?)').run(gone.id);
      db.prepare('DELETE FROM secrets WHERE id = ?').run(gone.id);
    });
    expect(chunkNames(session)).toEqual(['kept', 'purged-elsewhere']);
    registerSecret(session, apiKey('added'));
    expect(chunkNames(session)).toEqual(['added', 'kept']);
  });

  it('a purge leaves no revision, wrapped key or usage row, and no ciphertext of it in the file or its WAL', async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const { vault, session, path } = await newVault(dir, { context: { clock } });
    const doomed = registerSecret(session, apiKey('doomed'));
    getSecretValue(session, { name: 'doomed' }, { use: { door: 'cli', how: 'print' } });
    const ciphertexts = withRawDb(path, (db) => [
      ...(db.prepare('SELECT content AS c FROM revisions WHERE secret_id = ?').all(doomed.id) as { c: Buffer }[]),
      ...(db.prepare('SELECT wrapped_key AS c FROM secret_readers WHERE secret_id = ?').all(doomed.id) as { c: Buffer }[]),
      ...(db.prepare('SELECT consumer AS c FROM usage WHERE secret_id = ?').all(doomed.id) as { c: Buffer }[]),
    ]).map((r) => Buffer.from(r.c));
    expect(ciphertexts.length).toBe(3);
    scheduleDeletion(session, { name: 'doomed' }, 'DELETE');
    clock.set(START + 31 * DAY_MS);
    // Due, but a pass without the password leaves it: only a session's pass purges.
    expect(lockedPass(vault).purged).toBe(0);
    expect(withRawDb(path, (db) => db.prepare('SELECT count(*) AS n FROM secrets WHERE id = ?').get(doomed.id))).toEqual({ n: 1 });
    expect(sessionPass(session).purged).toBe(1);
    for (const table of ['revisions', 'secret_readers', 'usage', 'secrets']) {
      const col = table === 'secrets' ? 'id' : 'secret_id';
      expect(withRawDb(path, (db) => db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${col} = ?`).get(doomed.id))).toEqual({ n: 0 });
    }
    session.lock();
    vault.close();
    const bytes = Buffer.concat([readFileSync(path), ...(['-wal'].map((s) => { try { return readFileSync(path + s); } catch { return Buffer.alloc(0); } }))]);
    for (const c of ciphertexts) expect(bytes.includes(c.subarray(24, 56)), 'a purged ciphertext is still in the file').toBe(false);
  });
});
