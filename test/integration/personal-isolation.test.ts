import { describe, expect, it } from 'vitest';
import { ad, open } from '../../electron/core/crypto/aead';
import { openSealed } from '../../electron/core/crypto/keys';
import { getSecretValue, listSecrets, resolveSecret, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember, setMemberRole } from '../../electron/core/vault/members';
import { withRawDb } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

const BOB_PASSWORD = 'bob has a password too';

interface GrantRow {
  grantee_kind: string;
  grantee_id: string;
  sealed_key: Buffer;
}

/** Alice (Account Holder) with a personal secret, and Bob, a second Account Holder. */
async function twoHolders(dir: string) {
  const { path, vault, session: alice } = await newVault(dir);
  const mine = registerSecret(alice, { type: 'api-key', name: 'Diary', fields: { headerName: 'X-Diary', value: 'alice-only-value' } });
  addMember(alice, { name: 'bob', role: 'account-holder', password: BOB_PASSWORD });
  const bob = await vault.unlock('bob', BOB_PASSWORD);
  const alicePersonal = alice.personalScopeId();
  const grants = withRawDb(path, (db) => db.prepare('SELECT grantee_kind, grantee_id, sealed_key FROM scope_grants WHERE scope_id = ?').all(alicePersonal)) as GrantRow[];
  return { path, vault, alice, bob, mine, alicePersonal, grants };
}

describe("a member's personal scope", () => {
  const tempDir = useTempDir();

  it('is sealed to its owner only: another Account Holder cannot open the grant with their key pair', async () => {
    const { alice, bob, grants } = await twoHolders(tempDir());
    expect(bob.member.role).toBe('account-holder');
    expect(grants).toEqual([expect.objectContaining({ grantee_kind: 'member', grantee_id: alice.member.id })]);
    const sealed = new Uint8Array(grants[0]!.sealed_key);
    expect(() => openSealed(sealed, bob.keyPairs())).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    // The same box opens with the owner's pair: the refusal is about the key, not the row.
    expect(openSealed(sealed, alice.keyPairs())).toHaveLength(32);
  });

  it("is not among the other member's keys, and their reads cannot find the secret", async () => {
    const { alice, bob, alicePersonal } = await twoHolders(tempDir());
    expect(bob.readableScopes()).not.toContain(alicePersonal);
    expect(bob.canRead(alicePersonal)).toBe(false);
    expect(() => bob.scopeKey(alicePersonal)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    for (const ref of [{ name: 'Diary' }, { name: 'Diary', level: 'personal' as const }]) {
      expect(() => resolveSecret(bob, ref)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(() => getSecretValue(bob, ref, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(() => showSecret(bob, ref)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
    expect(listSecrets(bob).items).toEqual([]);
    expect(JSON.stringify(listSecrets(bob))).not.toContain('Diary');
    expect(getSecretValue(alice, { name: 'Diary' }, { use: { door: 'cli', how: 'print' } }).value).toBe('alice-only-value');
  });

  it("stays closed when the other member tries every scope key they hold on the secret's wrapped data key", async () => {
    const { path, alice, bob, mine } = await twoHolders(tempDir());
    const readers = withRawDb(path, (db) => db.prepare('SELECT scope_id, key_version, wrapped_key FROM secret_readers WHERE secret_id = ?').all(mine.id)) as {
      scope_id: string;
      key_version: number;
      wrapped_key: Buffer;
    }[];
    expect(readers).toHaveLength(1);
    const r = readers[0]!;
    expect(bob.canRead(r.scope_id)).toBe(false);
    const context = ad('coffer/v1/data-key', bob.vaultId, mine.id, r.scope_id, r.key_version);
    expect(bob.readableScopes().length).toBeGreaterThanOrEqual(2);
    for (const scope of bob.readableScopes()) {
      expect(() => open(bob.scopeKey(scope).key, new Uint8Array(r.wrapped_key), context, 'data key')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    }
    // The owner's key opens it with that same context.
    expect(open(alice.scopeKey(r.scope_id).key, new Uint8Array(r.wrapped_key), context, 'data key')).toHaveLength(32);
  });

  it('gives each member their own personal space: same name, different values', async () => {
    const { alice, bob } = await twoHolders(tempDir());
    registerSecret(bob, { type: 'api-key', name: 'diary', fields: { headerName: 'X-Diary', value: 'bob-only-value' } });
    expect(getSecretValue(bob, { name: 'Diary' }, { use: { door: 'cli', how: 'print' } }).value).toBe('bob-only-value');
    expect(getSecretValue(alice, { name: 'Diary' }, { use: { door: 'cli', how: 'print' } }).value).toBe('alice-only-value');
    expect(bob.personalScopeId()).not.toBe(alice.personalScopeId());
  });

  it('is not granted by a role change either', async () => {
    const { path, vault, alice, alicePersonal } = await twoHolders(tempDir());
    addMember(alice, { name: 'carol', role: 'member', password: 'carol password' });
    setMemberRole(alice, 'carol', 'account-holder');
    const carol = await vault.unlock('carol', 'carol password');
    expect(carol.canRead(alicePersonal)).toBe(false);
    const grantees = withRawDb(path, (db) => db.prepare('SELECT grantee_id FROM scope_grants WHERE scope_id = ?').all(alicePersonal)) as { grantee_id: string }[];
    expect(grantees.map((g) => g.grantee_id)).toEqual([alice.member.id]);
  });
});
