import { X509Certificate } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { defaultVaultPath } from '../../electron/core/vault/paths';
import { Vault } from '../../electron/core/vault/vault';
import { errorLine, initVault, ok, useTempDirs } from '../integration/cli/run';
import { withRawDb } from '../support/sql';
import content from '../fixtures/vaults/content.json';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/** Who else on the machine may read a vault: the permission bits SQLite and Node would otherwise take from the umask. */
const modeOf = (path: string) => statSync(path).mode & 0o777;
const companions = (path: string) => [path, `${path}-wal`, `${path}-shm`];

// The usual umask, which leaves new files readable by everyone (0644): what Coffer must not rely on.
let umask: number;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

describe.skipIf(process.platform === 'win32')('file modes', () => {
  const tmp = useTempDir();

  it('a new vault, its -wal and its -shm are 0600', async () => {
    const { path, session } = await newVault(tmp());
    registerSecret(session, { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'v' } });
    expect(companions(path).map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    session.vault.close();
  });

  it('the folders Coffer creates for the default vault are 0700', async () => {
    const data = join(tmp(), 'data');
    const path = defaultVaultPath({ XDG_DATA_HOME: data }, 'linux');
    (await Vault.create(path, { org: 'Acme', member: 'alice', password: PASSWORD, kdf: 'fast' })).close();
    expect([modeOf(data), modeOf(join(data, 'coffer')), modeOf(path)]).toEqual([0o700, 0o700, 0o600]);
  });

  it('an existing vault with wider modes is tightened when opened for writing, and left alone when opened read-only', async () => {
    const { path, vault } = await newVault(tmp());
    vault.close();
    for (const f of companions(path)) {
      if (!existsSync(f)) writeFileSync(f, '');
      chmodSync(f, 0o644);
    }
    (await Vault.open(path, { readOnly: true })).close();
    expect(modeOf(path)).toBe(0o644);
    const opened = await Vault.open(path);
    expect(companions(path).map(modeOf)).toEqual([0o600, 0o600, 0o600]);
    opened.close();
  });
});

describe.skipIf(process.platform === 'win32')('coffer backup', () => {
  const tmp = useTempDirs();

  it('writes a 0600 copy and never overwrites a file', async () => {
    const dir = tmp();
    const alice = await initVault(join(dir, 'v.coffer'));
    const target = join(dir, 'copy.coffer');
    await ok(alice(['backup', target]));
    expect(modeOf(target)).toBe(0o600);
    const again = await alice(['backup', target]);
    expect(again.code).toBe(6);
    expect(errorLine(again.stderr)).toMatchObject({ code: 'CONFLICT', field: 'file' });
  }, 60_000);
});

describe('a backup before a migration', () => {
  const tmp = useTempDir();
  const FIXTURE = join(__dirname, '..', 'fixtures', 'vaults', 'v1.sqlite');

  /** Every row of every table, sorted: VACUUM may renumber rowids, so content is compared as sets. */
  const contentOf = (path: string) =>
    withRawDb(path, (db) => {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      const cell = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);
      return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r.map(cell))).sort()]));
    });
  const versionOf = (path: string) => withRawDb(path, (db) => db.pragma('user_version', { simple: true }));

  it('keeps the version 1 vault aside, owner-only, exactly as it was, and upgrades the vault itself', async () => {
    const dir = tmp();
    const pristine = join(dir, 'pristine.sqlite');
    const path = join(dir, 'old.coffer');
    copyFileSync(FIXTURE, pristine);
    copyFileSync(FIXTURE, path);
    chmodSync(path, 0o644);

    const vault = await Vault.open(path);
    vault.close();
    const backup = `${path}.pre-v${LATEST_VERSION}.bak`;
    expect(existsSync(backup)).toBe(true);
    if (process.platform !== 'win32') expect(modeOf(backup)).toBe(0o600);
    expect(versionOf(backup)).toBe(1);
    expect(contentOf(backup)).toEqual(contentOf(pristine));
    expect(versionOf(path)).toBe(LATEST_VERSION);

    // Opening the upgraded vault again takes no further copy.
    (await Vault.open(path)).close();
    expect(existsSync(`${path}.pre-v${LATEST_VERSION}-2.bak`)).toBe(false);
  });

  it('never overwrites an earlier backup: a second upgrade attempt writes a numbered one', async () => {
    const dir = tmp();
    const path = join(dir, 'old.coffer');
    copyFileSync(FIXTURE, path);
    const first = `${path}.pre-v${LATEST_VERSION}.bak`;
    writeFileSync(first, 'an earlier backup');
    (await Vault.open(path)).close();
    expect(statSync(first).size).toBe('an earlier backup'.length);
    expect(versionOf(`${path}.pre-v${LATEST_VERSION}-2.bak`)).toBe(1);
  });
});

describe('restoring the copy kept before a migration, step by step as SECURITY.md ("Files") says', () => {
  const tmp = useTempDir();
  const OLDEST_SUPPORTED = LATEST_VERSION - 1;
  const FIXTURES = join(__dirname, '..', 'fixtures', 'vaults');
  const versionOf = (path: string) => withRawDb(path, (db) => db.pragma('user_version', { simple: true }));

  it('brings back every secret of before the upgrade, loses what came after, and is upgraded again with a new copy', async () => {
    const dir = tmp();
    const path = join(dir, 'team.coffer');
    copyFileSync(join(FIXTURES, `v${OLDEST_SUPPORTED}.sqlite`), path);
    // A door with a data folder, as the app and browser mode have: it remembers the audit heads it saw.
    const door = async () => {
      const app = new CofferApp({ vaultPath: path, door: 'desktop', dataDir: join(dir, 'data') });
      await app.unlock('alice', content.password);
      return app;
    };

    // Today's Coffer upgrades the vault and keeps the old one aside; something is written after.
    let app = await door();
    const backup = `${path}.pre-v${LATEST_VERSION}.bak`;
    expect(versionOf(backup)).toBe(OLDEST_SUPPORTED);
    registerSecret(app.session(), { type: 'api-key', name: 'after-upgrade', fields: { headerName: 'X-Key', value: 'written-after-the-upgrade' } });

    // The restore: quit every Coffer, move the vault, -wal and -shm aside, copy the .bak to the vault's path.
    app.close();
    const aside = join(dir, 'aside');
    mkdirSync(aside);
    for (const f of companions(path)) if (existsSync(f)) renameSync(f, join(aside, basename(f)));
    copyFileSync(backup, path);

    // Opened again by today's Coffer: upgraded again, into a new numbered copy, owner-only.
    app = await door();
    expect(versionOf(path)).toBe(LATEST_VERSION);
    const second = `${path}.pre-v${LATEST_VERSION}-2.bak`;
    expect(versionOf(second)).toBe(OLDEST_SUPPORTED);
    if (process.platform !== 'win32') expect(modeOf(second)).toBe(0o600);

    const session = app.session();
    const alices = content.secrets.filter((s) => s.as === 'alice');
    expect(listSecrets(session).items.map((s) => s.name).sort()).toEqual(alices.map((s) => s.name).sort());
    const pem = new X509Certificate(readFileSync(join(FIXTURES, `v${OLDEST_SUPPORTED}.sqlite.pem`))).toString();
    for (const s of alices) expect(getSecretValue(session, { name: s.name }, { use: { door: 'desktop', how: 'copy' } }).value).toBe(s.main ?? pem);

    // The chain verifies by itself; the door that saw the upgraded vault reports the restore as a rollback, once.
    expect(verifyAuditFor(session)).toMatchObject({ ok: true });
    expect((await app.status()).integrity.rolledBack).toBeDefined();
    expect(app.verifyAudit()).toMatchObject({ ok: false, reason: expect.stringContaining('older copy') });
    app.close();
    app = await door();
    expect((await app.status()).integrity).toEqual({});
    expect(app.verifyAudit()).toMatchObject({ ok: true });
    app.close();
  });
});
