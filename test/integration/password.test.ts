import { describe, expect, it } from 'vitest';
import { Vault } from '../../electron/core/vault/vault';
import { addMember } from '../../electron/core/vault/members';
import { addWorkspace } from '../../electron/core/vault/structure';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { auditActions, tablesDigest, vaultBytes, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const auth = expect.objectContaining({ code: 'AUTH' });
const NEXT = 'a new and longer passphrase';

async function vaultWithSecrets(dir: string) {
  const v = await newVault(dir);
  addWorkspace(v.session, 'Backend');
  registerSecret(v.session, { type: 'api-key', name: 'personal key', fields: { headerName: 'X-Key', value: 'personal-value' } });
  registerSecret(v.session, { type: 'api-key', name: 'ws key', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'ws-value' } });
  registerSecret(v.session, { type: 'api-key', name: 'org key', level: 'organization', fields: { headerName: 'X-Key', value: 'org-value' } });
  return v;
}

const EXPECTED = { 'personal key': 'personal-value', 'ws key': 'ws-value', 'org key': 'org-value' };

function readAll(session: Awaited<ReturnType<Vault['unlock']>>): Record<string, string> {
  return Object.fromEntries(
    listSecrets(session).items.map((i) => [i.name, getSecretValue(session, { name: i.name }, { use: { door: 'cli', how: 'print' } }).value]),
  );
}

describe('a wrong password', () => {
  const tempDir = useTempDir();

  it('is AUTH and writes nothing but its audit entries', async () => {
    const { path, vault, session } = await vaultWithSecrets(tempDir());
    session.lock();
    vault.close();
    const digest = tablesDigest(path, { exceptAudit: true });
    const before = auditActions(path).length;

    const v = await Vault.open(path);
    await expect(v.unlock(undefined, 'not the password')).rejects.toThrow(auth);
    await expect(v.unlock('alice', PASSWORD.toUpperCase())).rejects.toThrow(auth);
    await expect(v.unlock('mallory', PASSWORD)).rejects.toThrow(auth);
    v.close();
    expect(tablesDigest(path, { exceptAudit: true })).toBe(digest);
    expect(auditActions(path).slice(before)).toEqual(['unlock.failed', 'unlock.failed', 'unlock.failed']);
  });

  it('read-only, is AUTH and leaves the file byte for byte as it was', async () => {
    const { path, vault, session } = await vaultWithSecrets(tempDir());
    session.lock();
    vault.close();
    const bytes = vaultBytes(path);
    const v = await Vault.open(path, { readOnly: true });
    await expect(v.unlock(undefined, 'not the password')).rejects.toThrow(auth);
    v.close();
    expect(vaultBytes(path).equals(bytes)).toBe(true);
  });

  it('does not tell an unknown member from a wrong password', async () => {
    const { vault } = await newVault(tempDir());
    const unknown = await vault.unlock('mallory', PASSWORD).catch((e: unknown) => e);
    const wrong = await vault.unlock('alice', 'wrong password').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'AUTH' });
    expect((unknown as Error).message).toBe((wrong as Error).message);
  });

  it('as the current password of changePassword is AUTH on field password, and nothing changes', async () => {
    const { path, vault, session } = await vaultWithSecrets(tempDir());
    const digest = tablesDigest(path);
    expect(() => vault.changePassword(session, 'not the password', NEXT)).toThrow(expect.objectContaining({ code: 'AUTH', field: 'password' }));
    expect(tablesDigest(path)).toBe(digest);
    await expect(vault.unlock(undefined, PASSWORD)).resolves.toBeDefined();
  });
});

describe('changing the password', () => {
  const tempDir = useTempDir();

  it('keeps every secret readable; the old password then fails and the new one unlocks', async () => {
    const { path, vault, session } = await vaultWithSecrets(tempDir());
    const secretsBefore = withRawDb(path, (db) => db.prepare('SELECT * FROM revisions ORDER BY secret_id, revision').all());
    const grantsBefore = withRawDb(path, (db) => db.prepare('SELECT * FROM scope_grants ORDER BY scope_id').all());

    vault.changePassword(session, PASSWORD, NEXT);
    // The open session keeps working: its keys did not change.
    expect(readAll(session)).toEqual(EXPECTED);
    session.lock();
    vault.close();

    // It re-wraps the member's private keys only: no secret and no scope grant is rewritten.
    expect(withRawDb(path, (db) => db.prepare('SELECT * FROM revisions ORDER BY secret_id, revision').all())).toEqual(secretsBefore);
    expect(withRawDb(path, (db) => db.prepare('SELECT * FROM scope_grants ORDER BY scope_id').all())).toEqual(grantsBefore);

    const v = await Vault.open(path);
    await expect(v.unlock(undefined, PASSWORD)).rejects.toThrow(auth);
    const again = await v.unlock(undefined, NEXT);
    expect(readAll(again)).toEqual(EXPECTED);
    v.close();
  });

  it('draws a fresh salt, and touches only the member who changed it', async () => {
    const { path, vault, session } = await newVault(tempDir());
    addMember(session, { name: 'bob', role: 'member', password: 'bob password 1' });
    const before = withRawDb(path, (db) => db.prepare('SELECT login, kdf_salt, secret_keys FROM members ORDER BY login').all()) as {
      login: string;
      kdf_salt: Buffer;
      secret_keys: Buffer;
    }[];
    vault.changePassword(session, PASSWORD, NEXT);
    const after = withRawDb(path, (db) => db.prepare('SELECT login, kdf_salt, secret_keys FROM members ORDER BY login').all()) as typeof before;
    expect(after[0]!.login).toBe('alice');
    expect(after[0]!.kdf_salt.equals(before[0]!.kdf_salt)).toBe(false);
    expect(after[0]!.secret_keys.equals(before[0]!.secret_keys)).toBe(false);
    expect(after[1]).toEqual(before[1]);
    await expect(vault.unlock('bob', 'bob password 1')).resolves.toBeDefined();
    await expect(vault.unlock('alice', NEXT)).resolves.toBeDefined();
  });

  it('is refused on a locked session', async () => {
    const { vault, session } = await newVault(tempDir());
    session.lock();
    expect(() => vault.changePassword(session, PASSWORD, NEXT)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });
});
