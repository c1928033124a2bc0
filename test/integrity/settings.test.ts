import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { lockedPass, sessionPass } from '../../electron/core/lifecycle/passes';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember } from '../../electron/core/vault/members';
import { DEFAULT_SETTINGS, changeSettings, checkSettings, rekeySettings, tamperedSettingsError } from '../../electron/core/vault/settings';
import { Vault } from '../../electron/core/vault/vault';
import { errorLine, initVault, ok, useTempDirs } from '../integration/cli/run';
import { auditActions, withRawDb } from '../support/sql';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

/**
 * A hostile co-member: write access to the vault file (a shared drive, a removed member who still
 * reaches it) and no password. Every attack is plain SQL on the file; each must end in TAMPERED or
 * a refusal, with nothing purged, nothing downgraded and the rest of the vault usable.
 */

const START = Date.parse('2027-01-01T09:00:00Z');
const ALL_SETTINGS = ['revealSeconds', 'clipboardSeconds', 'autoLockMinutes', 'inactiveDays', 'deletionDays', 'credentialsPerMember', 'kdfProfile'];
const apiKey = (name: string, extra: object = {}) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value: `value-of-${name}` }, ...extra });

const setMeta = (path: string, rows: Record<string, string>) =>
  withRawDb(path, (db) => {
    for (const [key, value] of Object.entries(rows)) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  });
const metaValue = (path: string, key: string) => withRawDb(path, (db) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value);
const dropMacs = (path: string) => withRawDb(path, (db) => db.prepare("DELETE FROM meta WHERE key LIKE '%\\_mac' ESCAPE '\\'").run());
const statuses = (path: string) => withRawDb(path, (db) => (db.prepare('SELECT status FROM secrets ORDER BY seq').all() as { status: string }[]).map((r) => r.status));
const purges = (path: string) => auditActions(path).filter((a) => a === 'secret.purge').length;

/** Two secrets registered on START, then the vault closed and the clock at day 10: nothing is due under the real 30 + 30 days. */
async function closedVaultWithSecrets(dir: string) {
  const clock = fakeClock(START);
  const { path, vault, session } = await newVault(dir, { context: { clock } });
  registerSecret(session, apiKey('personal-key'));
  registerSecret(session, apiKey('org-key', { level: 'organization' }));
  session.lock();
  vault.close();
  clock.set(START + 10 * DAY_MS);
  return { path, clock, open: () => Vault.open(path, { context: { clock } }) };
}

describe('lifecycle periods written into the file', () => {
  const tmp = useTempDir();

  it('0 days each: out of bounds, so a pass without the password applies the defaults and purges nothing', async () => {
    const { path, open } = await closedVaultWithSecrets(tmp());
    setMeta(path, { inactive_days: '0', deletion_days: '0' });
    const vault = await open();
    expect(lockedPass(vault)).toEqual({ inactivated: 0, notices: 0, purged: 0 });
    expect(statuses(path)).toEqual(['active', 'active']);
    vault.close();
  });

  it('1 day each: the locked pass only makes secrets Inactive, no pass purges, TAMPERED names the setting, and saving the settings undoes it', async () => {
    const { path, clock, open } = await closedVaultWithSecrets(tmp());
    setMeta(path, { inactive_days: '1', deletion_days: '1' });
    const vault = await open();
    expect(lockedPass(vault)).toMatchObject({ inactivated: 2, purged: 0 });
    clock.advance(5 * DAY_MS);
    expect(lockedPass(vault).purged).toBe(0);
    expect(statuses(path)).toEqual(['inactive', 'inactive']);

    const session = await vault.unlock(undefined, PASSWORD);
    const pass = sessionPass(session);
    expect(pass).toMatchObject({ purged: 0, tampered: ['inactiveDays', 'deletionDays'] });
    expect(tamperedSettingsError(pass)).toMatchObject({ code: 'TAMPERED', field: 'inactiveDays', message: expect.stringContaining('inactive_days (and deletion_days)') });
    expect(checkSettings(session).values).toMatchObject({ inactiveDays: 30, deletionDays: 30 });
    expect(purges(path)).toBe(0);

    // An Account Holder saves the settings: all of them are authenticated again, the tampered ones at their defaults.
    changeSettings(session, { revealSeconds: 45 });
    expect(checkSettings(session)).toEqual({ values: { ...DEFAULT_SETTINGS, revealSeconds: 45, kdfProfile: 'fast' }, tampered: [] });
    // The authenticated pass dates the secrets from the real periods: 15 days old, they are Active again.
    expect(sessionPass(session)).toMatchObject({ purged: 0, tampered: [] });
    expect(statuses(path)).toEqual(['active', 'active']);
    expect(getSecretValue(session, { name: 'org-key' }, { use: { door: 'cli', how: 'print' } }).value).toBe('value-of-org-key');
    session.lock();
    vault.close();
  });

  it('the app names the settings that did not verify once unlocked, and nothing before', async () => {
    const { path, clock } = await closedVaultWithSecrets(tmp());
    setMeta(path, { deletion_days: '2' });
    const app = new CofferApp({ vaultPath: path, door: 'desktop', context: { clock } });
    expect((await app.status()).integrity.settingsTampered).toBeUndefined();
    await app.unlock(undefined, PASSWORD);
    expect((await app.status()).integrity.settingsTampered).toEqual(['deletionDays']);
    app.updateSettings({ revealSeconds: 40 });
    expect((await app.status()).integrity.settingsTampered).toBeUndefined();
    app.close();
  });

  it('a MAC copied from another setting, or from another vault, does not verify', async () => {
    const { path } = await closedVaultWithSecrets(tmp());
    const other = await newVault(tmp());
    other.session.lock();
    other.vault.close();
    // deletion_days holds 30 too: only the key inside the MAC tells the two apart.
    setMeta(path, { inactive_days_mac: metaValue(path, 'deletion_days_mac')!, reveal_seconds_mac: metaValue(other.path, 'reveal_seconds_mac')! });
    const vault = await Vault.open(path);
    const session = await vault.unlock(undefined, PASSWORD);
    expect(checkSettings(session).tampered).toEqual(['revealSeconds', 'inactiveDays']);
    session.lock();
    vault.close();
  });
});

describe('the reproduced attack through the command line', () => {
  const tmp = useTempDirs();

  it('periods of 0 days: coffer info purges nothing, an unlocked command warns TAMPERED, coffer tick fails with it', async () => {
    const vault = join(tmp(), 'v.coffer');
    const alice = await initVault(vault);
    await ok(alice(['secret', 'add', 'api-key', 'one', '--header', 'X-Key', '--value-stdin'], 'value-one'));
    await ok(alice(['secret', 'add', 'api-key', 'two', '--header', 'X-Key', '--value-stdin'], 'value-two'));
    setMeta(vault, { inactive_days: '0', deletion_days: '0' });

    const info = JSON.parse(await ok(alice(['--json', 'info']))) as { secrets: { total: number; active: number } };
    expect(info.secrets).toMatchObject({ total: 2, active: 2 });

    const listed = await alice(['--json', 'secret', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(/^coffer: warning: TAMPERED: the vault setting inactive_days \(and deletion_days\)/);
    expect((JSON.parse(listed.stdout) as { status: string }[]).map((s) => s.status)).toEqual(['active', 'active']);
    expect(await ok(alice(['secret', 'get', 'two']))).toBe('value-two\n');

    const tick = await alice(['tick']);
    expect(tick.code).toBe(4);
    expect(errorLine(tick.stderr)).toMatchObject({ code: 'TAMPERED', field: 'inactiveDays' });
    expect(purges(vault)).toBe(0);
  }, 60_000);
});

describe('the KDF profile written into the file', () => {
  const tmp = useTempDir();
  const standardVault = async (dir: string) => {
    const path = join(dir, 'standard.coffer');
    (await Vault.create(path, { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'standard' })).close();
    return path;
  };
  const profiles = (path: string) =>
    withRawDb(path, (db) => db.prepare('SELECT login, kdf_profile AS profile, kdf_mem >= 64 * 1024 * 1024 AS standardMemory FROM members ORDER BY login').all());

  it('set to fast, on the vault and on the member: a new member and a password change keep the standard profile', async () => {
    const path = await standardVault(tmp());
    setMeta(path, { kdf_profile: 'fast' });
    withRawDb(path, (db) => db.prepare("UPDATE members SET kdf_profile = 'fast'").run());
    const vault = await Vault.open(path);
    const session = await vault.unlock(undefined, PASSWORD);
    expect(checkSettings(session)).toMatchObject({ values: { kdfProfile: 'standard' }, tampered: ['kdfProfile'] });
    addMember(session, { name: 'bob', role: 'member', password: 'bob password 123' });
    vault.changePassword(session, PASSWORD, 'a new password for alice');
    expect(profiles(path)).toEqual([
      { login: 'alice', profile: 'standard', standardMemory: 1 },
      { login: 'bob', profile: 'standard', standardMemory: 1 },
    ]);
    session.lock();
    vault.close();
  }, 120_000);

  it('set to fast with every MAC removed, as if made before MACs: the Account Holder adopts the standard profile, audited', async () => {
    const path = await standardVault(tmp());
    dropMacs(path);
    setMeta(path, { kdf_profile: 'fast' });
    const vault = await Vault.open(path);
    const session = await vault.unlock(undefined, PASSWORD);
    // Adopted from what the unlock proved: alice's own parameters are standard ones.
    expect(checkSettings(session)).toMatchObject({ values: { kdfProfile: 'standard' }, tampered: [] });
    expect(metaValue(path, 'kdf_profile')).toBe('standard');
    expect(withRawDb(path, (db) => db.prepare("SELECT target FROM audit WHERE action = 'settings.update'").pluck().all())).toEqual([expect.stringMatching(/^adopted:/)]);
    addMember(session, { name: 'bob', role: 'member', password: 'bob password 123' });
    expect(profiles(path)).toContainEqual({ login: 'bob', profile: 'standard', standardMemory: 1 });
    session.lock();
    vault.close();
  }, 120_000);
});

describe('the app timings written into the file', () => {
  const tmp = useTempDir();

  it('out of bounds or not authenticated, they are never applied once unlocked', async () => {
    const { path, vault, session } = await newVault(tmp());
    session.lock();
    vault.close();
    setMeta(path, { reveal_seconds: '86400', clipboard_seconds: '600', auto_lock_minutes: '0' });
    const app = new CofferApp({ vaultPath: path, door: 'desktop' });
    await app.status();
    // Before unlock only the bounds hold, and nothing is revealed or copied then.
    expect(app.settings()).toMatchObject({ revealSeconds: 30, clipboardSeconds: 600, autoLockMinutes: 5 });
    await app.unlock(undefined, PASSWORD);
    expect(app.settings()).toMatchObject({ revealSeconds: 30, clipboardSeconds: 30, autoLockMinutes: 5 });
    app.close();
  });
});

describe('listing numbers written into the file', () => {
  const tmp = useTempDir();

  it('a crafted next_secret_seq or secrets.seq allocates nothing large: that secret is listed as tampered, the rest goes on', async () => {
    const { path, session } = await newVault(tmp());
    const a = registerSecret(session, apiKey('a'));
    registerSecret(session, apiKey('b'));
    expect(listSecrets(session).items).toHaveLength(2);
    withRawDb(path, (db) => {
      db.prepare("UPDATE meta SET value = '2147483647' WHERE key = 'next_secret_seq'").run();
      db.prepare('UPDATE secrets SET seq = 2147483000 WHERE id = ?').run(a.id);
    });
    const before = process.memoryUsage().arrayBuffers;
    const items = listSecrets(session).items;
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(items.map((i) => [i.name, i.tampered ?? false])).toEqual([
      ['', true],
      ['b', false],
    ]);
    // The listing number is in the secret's head (docs/product.md §1a): opening that secret is TAMPERED, the others read.
    expect(() => getSecretValue(session, { name: 'a' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(getSecretValue(session, { name: 'b' }, { use: { door: 'cli', how: 'print' } }).value).toBe('value-of-b');

    // The counter gives way to the rows: the next number in range after b's.
    const c = registerSecret(session, apiKey('c'));
    const seqOf = (id: string) => withRawDb(path, (db) => db.prepare('SELECT seq FROM secrets WHERE id = ?').pluck().get(id));
    expect(seqOf(c.id)).toBe(3);
    // Lowered below a number in use, it would collide: the rows win again.
    withRawDb(path, (db) => db.prepare("UPDATE meta SET value = '1' WHERE key = 'next_secret_seq'").run());
    expect(seqOf(registerSecret(session, apiKey('d')).id)).toBe(4);
    expect(listSecrets(session, { sort: 'name' }).items.map((i) => i.name)).toEqual(['', 'b', 'c', 'd']);
  });
});

describe('settings as members use them', () => {
  const tmp = useTempDir();

  it('changed through the app they are authenticated, and the pass of an unlocked app purges what is due', async () => {
    const dir = tmp();
    const clock = fakeClock(START);
    const path = join(dir, 'app.coffer');
    const app = new CofferApp({ vaultPath: path, door: 'desktop', context: { clock } });
    await app.create({ org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' });
    app.updateSettings({ deletionDays: 2, revealSeconds: 12 });
    expect(app.settings()).toMatchObject({ deletionDays: 2, revealSeconds: 12 });
    registerSecret(app.session(), apiKey('doomed'));
    scheduleDeletion(app.session(), { name: 'doomed' }, 'DELETE');
    clock.advance(3 * DAY_MS);

    app.lock();
    expect(app.tick()).toMatchObject({ purged: 0 });
    expect(statuses(path)).toEqual(['scheduled']);
    // Unlocking runs the session's pass: settings verified, the purge is done.
    await app.unlock(undefined, PASSWORD);
    expect(statuses(path)).toEqual([]);
    expect(purges(path)).toBe(1);
    app.close();
  });

  it('a patch whose other keys are present but undefined changes only the defined one, and nothing reads as tampered', async () => {
    const { vault, session } = await newVault(tmp());
    changeSettings(session, { revealSeconds: 45 });
    changeSettings(session, { revealSeconds: undefined, clipboardSeconds: undefined, deletionDays: 3, credentialsPerMember: undefined });
    expect(checkSettings(session)).toEqual({ values: { ...DEFAULT_SETTINGS, kdfProfile: 'fast', revealSeconds: 45, deletionDays: 3 }, tampered: [] });
    vault.close();
  });

  it('a vault without MACs (made before them) is not trusted until an Account Holder unlocks it, which adopts its settings', async () => {
    const clock = fakeClock(START);
    const { path, vault, session: alice } = await newVault(tmp(), { context: { clock } });
    addMember(alice, { name: 'bob', role: 'member', password: 'bob password 123' });
    changeSettings(alice, { deletionDays: 5 });
    registerSecret(alice, apiKey('doomed', { level: 'organization' }));
    scheduleDeletion(alice, { name: 'doomed', level: 'organization' }, 'DELETE');
    alice.lock();
    dropMacs(path);
    clock.advance(6 * DAY_MS);

    const bob = await vault.unlock('bob', 'bob password 123');
    expect(sessionPass(bob)).toMatchObject({ purged: 0, tampered: ALL_SETTINGS });
    expect(metaValue(path, 'deletion_days_mac')).toBeUndefined();
    bob.lock();

    const holder = await vault.unlock('alice', PASSWORD);
    expect(checkSettings(holder)).toMatchObject({ values: { deletionDays: 5, kdfProfile: 'fast' }, tampered: [] });
    expect(sessionPass(holder)).toMatchObject({ purged: 1, tampered: [] });
    holder.lock();
    vault.close();
  });

  it('rekeySettings moves every verified MAC to a new organization key; a tampered one stays TAMPERED', async () => {
    const { path, vault, session } = await newVault(tmp());
    const org = session.scopeKey(vault.orgScopeId);
    setMeta(path, { reveal_seconds: '99' });
    const next = new Uint8Array(randomBytes(32));
    expect(session.db.write(() => rekeySettings(session.db, org.key, next, org.version + 1))).toEqual(['revealSeconds']);
    // Under the old key nothing verifies any more: every MAC now names the new version.
    expect(checkSettings(session).tampered).toEqual(ALL_SETTINGS);
    session.adoptScopeKey(vault.orgScopeId, next, org.version + 1);
    expect(checkSettings(session)).toMatchObject({ values: { revealSeconds: 30 }, tampered: ['revealSeconds'] });
    session.lock();
    vault.close();
  });
});

describe('a setting added after vaults existed', () => {
  const tempDir = useTempDir();

  it('reads as its default while neither value nor MAC is stored (an older vault), and as TAMPERED with one of them alone', async () => {
    const { vault, session } = await newVault(tempDir());
    changeSettings(session, { credentialsPerMember: 5 });
    withRawDb(vault.path, (db) => db.prepare("DELETE FROM meta WHERE key IN ('credentials_per_member', 'credentials_per_member_mac')").run());
    expect(checkSettings(session)).toMatchObject({ values: { credentialsPerMember: 2 }, tampered: [] });
    setMeta(vault.path, { credentials_per_member: '9' });
    expect(checkSettings(session)).toMatchObject({ values: { credentialsPerMember: 2 }, tampered: ['credentialsPerMember'] });
  });
});
