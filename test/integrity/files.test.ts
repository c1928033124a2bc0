import { chmodSync, copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { registerSecret } from '../../electron/core/secrets/registration';
import { defaultVaultPath } from '../../electron/core/vault/paths';
import { Vault } from '../../electron/core/vault/vault';
import { errorLine, initVault, ok, useTempDirs } from '../integration/cli/run';
import { withRawDb } from '../support/sql';
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
