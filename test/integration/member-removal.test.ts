import { describe, expect, it } from 'vitest';
import { ad, open } from '../../electron/core/crypto/aead';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember, removeMember } from '../../electron/core/vault/members';
import { addTeam, addTeamMember, addWorkspace } from '../../electron/core/vault/structure';
import { newVault, useTempDir } from '../support/vault';

const apiKey = (name: string, value: string, extra: object = {}) => ({
  type: 'api-key' as const,
  name,
  fields: { headerName: 'Authorization', value },
  ...extra,
});

describe('removing a member', () => {
  const tmp = useTempDir();

  it('rotates every shared scope: captured old keys open nothing written afterwards', async () => {
    const { vault, session: alice } = await newVault(tmp());
    addWorkspace(alice, 'Backend');
    addTeam(alice, 'CodeCrafters');
    addMember(alice, { name: 'bob', role: 'member', password: 'bob-password-1' });
    addTeamMember(alice, 'CodeCrafters', 'bob');
    registerSecret(alice, apiKey('before', 'old-value', { level: 'organization' }));

    const bob = await vault.unlock('bob', 'bob-password-1');
    registerSecret(bob, apiKey('bobs-own', 'personal-value'));
    // What a malicious bob keeps: every scope key he holds now.
    const captured = new Map(bob.readableScopes().map((id) => [id, bob.scopeKey(id).key.slice()]));
    const personalOfBob = bob.personalScopeId();
    bob.lock();

    removeMember(alice, 'bob');
    const after = registerSecret(alice, apiKey('after', 'new-value', { level: 'organization' }));
    registerSecret(alice, apiKey('ws-after', 'ws-value', { level: 'workspace', workspace: 'Backend' }));
    registerSecret(alice, apiKey('team-after', 'team-value', { level: 'organization', teams: ['CodeCrafters'] }));

    const raw = vault.db.raw;
    const wrapped = raw.prepare('SELECT scope_id, key_version, wrapped_key, secret_id FROM secret_readers').all() as {
      scope_id: string;
      key_version: number;
      wrapped_key: Uint8Array;
      secret_id: string;
    }[];
    const newer = wrapped.filter((w) => w.secret_id !== undefined && w.key_version > 1);
    expect(newer.length).toBeGreaterThanOrEqual(3);
    for (const w of newer) {
      const old = captured.get(w.scope_id);
      expect(old, 'bob held a key of every shared scope').toBeDefined();
      expect(() => open(old!, w.wrapped_key, ad('coffer/v1/data-key', vault.id, w.secret_id, w.scope_id, w.key_version), 'x')).toThrow();
      expect(() => open(old!, w.wrapped_key, ad('coffer/v1/data-key', vault.id, w.secret_id, w.scope_id, 1), 'x')).toThrow();
    }

    // The remaining member still reads everything, old and new, and finds names through rotated blind indexes.
    expect(getSecretValue(alice, { name: 'before' }, { use: { door: 'cli', how: 'print' } }).value).toBe('old-value');
    expect(getSecretValue(alice, { name: 'after' }, { use: { door: 'cli', how: 'print' } }).value).toBe('new-value');
    expect(getSecretValue(alice, { name: 'team-after' }, { use: { door: 'cli', how: 'print' } }).value).toBe('team-value');
    expect(after.level).toBe('organization');
    const reopened = await vault.unlock(undefined, 'correct horse battery staple');
    expect(listSecrets(reopened).items.map((s) => s.name).sort()).toEqual(['after', 'before', 'team-after', 'ws-after']);

    // Bob's personal scope and secrets are gone: no one else could ever open them.
    expect(raw.prepare('SELECT count(*) AS n FROM scopes WHERE id = ?').get(personalOfBob)).toEqual({ n: 0 });
    expect(raw.prepare("SELECT count(*) AS n FROM members WHERE login = 'bob'").get()).toEqual({ n: 0 });
    await expect(vault.unlock('bob', 'bob-password-1')).rejects.toMatchObject({ code: 'AUTH' });
  });

  it('refuses to remove the last Account Holder or yourself', async () => {
    const { vault, session: alice } = await newVault(tmp());
    addMember(alice, { name: 'carol', role: 'sys-admin', password: 'carol-password-1' });
    const carol = await vault.unlock('carol', 'carol-password-1');
    expect(() => removeMember(carol, 'alice')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => removeMember(alice, 'alice')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});
