import { describe, expect, it } from 'vitest';
import { ad, open } from '../../electron/core/crypto/aead';
import { openSealed } from '../../electron/core/crypto/keys';
import { getSecretValue, listSecrets, resolveSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember, listMembers, setMemberRole } from '../../electron/core/vault/members';
import { addTeam, addTeamMember, addWorkspace, deleteTeam, removeTeamMember } from '../../electron/core/vault/structure';
import { clearScopeOf, withRawDb } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

const pw = (login: string) => `${login} password 123`;
const forbidden = expect.objectContaining({ code: 'FORBIDDEN' });

describe('members', () => {
  const tempDir = useTempDir();

  it('a new member receives the organization and workspace keys and a personal key of their own', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    const backend = addWorkspace(alice, 'Backend');
    addTeam(alice, 'Payments');
    const bob = addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    const frontend = addWorkspace(alice, 'Frontend');
    expect(bob).toMatchObject({ name: 'bob', role: 'member' });

    const bobSession = await vault.unlock('bob', pw('bob'));
    const scopeOf = (name: string) => clearScopeOf(vault.db, 'workspace', name);
    const expected = [vault.orgScopeId, scopeOf(backend.name), scopeOf(frontend.name), bobSession.personalScopeId()];
    expect(bobSession.readableScopes().sort()).toEqual(expected.sort());
    expect(bobSession.personalScopeId()).not.toBe(alice.personalScopeId());
    // A plain Member holds no team key until added to the team.
    expect(bobSession.canRead(clearScopeOf(vault.db, 'team', 'Payments'))).toBe(false);

    registerSecret(alice, { type: 'api-key', name: 'org', level: 'organization', fields: { headerName: 'X-Key', value: 'org-value' } });
    registerSecret(alice, { type: 'api-key', name: 'ws', level: 'workspace', workspace: 'Frontend', fields: { headerName: 'X-Key', value: 'ws-value' } });
    expect(getSecretValue(bobSession, { name: 'org' }, { use: { door: 'cli', how: 'print' } }).value).toBe('org-value');
    expect(getSecretValue(bobSession, { name: 'ws' }, { use: { door: 'cli', how: 'print' } }).value).toBe('ws-value');
    expect(listMembers(alice).map((m) => [m.name, m.role])).toEqual([
      ['alice', 'account-holder'],
      ['bob', 'member'],
    ]);
  });

  it('a role that manages teams receives every team key', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addTeam(alice, 'Payments');
    addMember(alice, { name: 'mgr', role: 'account-manager', password: pw('mgr') });
    const mgr = await vault.unlock('mgr', pw('mgr'));
    expect(mgr.canRead(clearScopeOf(vault.db, 'team', 'Payments'))).toBe(true);
  });

  it('the last Account Holder cannot be demoted; with a second one it can', async () => {
    const { session: alice } = await newVault(tempDir());
    expect(() => setMemberRole(alice, 'alice', 'sys-admin')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'role' }));
    expect(listMembers(alice)[0]!.role).toBe('account-holder');
    addMember(alice, { name: 'bob', role: 'account-holder', password: pw('bob') });
    expect(setMemberRole(alice, 'alice', 'sys-admin')).toMatchObject({ name: 'alice', role: 'sys-admin' });
  });

  it('a Member cannot add members, change roles or write organization secrets', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    const bob = await vault.unlock('bob', pw('bob'));
    expect(() => addMember(bob, { name: 'carol', role: 'member', password: pw('carol') })).toThrow(forbidden);
    expect(() => setMemberRole(bob, 'bob', 'account-holder')).toThrow(forbidden);
    expect(() => addTeam(bob, 'Mine')).toThrow(forbidden);
    expect(() => registerSecret(bob, { type: 'api-key', name: 'x', level: 'organization', fields: { headerName: 'X-Key', value: 'v' } })).toThrow(forbidden);
    expect(listMembers(alice).map((m) => m.name)).toEqual(['alice', 'bob']);
  });

  it('a Sys Admin adds members but cannot grant or take away Account Holder', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addMember(alice, { name: 'sam', role: 'sys-admin', password: pw('sam') });
    const sam = await vault.unlock('sam', pw('sam'));
    expect(addMember(sam, { name: 'carol', role: 'member', password: pw('carol') })).toMatchObject({ role: 'member' });
    expect(() => addMember(sam, { name: 'dave', role: 'account-holder', password: pw('dave') })).toThrow(forbidden);
    expect(() => setMemberRole(sam, 'carol', 'account-holder')).toThrow(forbidden);
    expect(() => setMemberRole(sam, 'alice', 'member')).toThrow(forbidden);
  });

  it('logins are unique ignoring case', async () => {
    const { session: alice } = await newVault(tempDir());
    addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    expect(() => addMember(alice, { name: 'BOB', role: 'member', password: pw('bob') })).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'name' }));
  });

  it('with several members, unlocking needs a login', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    await expect(vault.unlock(undefined, pw('bob'))).rejects.toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'as' }));
  });
});

describe('teams', () => {
  const tempDir = useTempDir();

  /** Alice (AH) registers a Payments-only organization secret; bob is in Payments, carol is not. */
  async function teamSecret(dir: string) {
    const { path, vault, session: alice } = await newVault(dir);
    addTeam(alice, 'Payments');
    addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    addMember(alice, { name: 'carol', role: 'member', password: pw('carol') });
    expect(addTeamMember(alice, 'Payments', 'bob').members).toEqual(['bob']);
    const secret = registerSecret(alice, {
      type: 'api-key',
      name: 'Card processor',
      level: 'organization',
      teams: ['Payments'],
      fields: { headerName: 'X-Key', value: 'team-only-value' },
    });
    const bob = await vault.unlock('bob', pw('bob'));
    const carol = await vault.unlock('carol', pw('carol'));
    const teamScope = clearScopeOf(vault.db, 'team', 'Payments');
    return { path, vault, alice, bob, carol, secret, teamScope };
  }

  it('an organization secret for team T is listed and read by a member of T', async () => {
    const { bob, secret } = await teamSecret(tempDir());
    expect(secret).toMatchObject({ availability: 'teams', teams: ['Payments'] });
    expect(listSecrets(bob).items).toEqual([expect.objectContaining({ id: secret.id, name: 'Card processor', teams: ['Payments'] })]);
    expect(getSecretValue(bob, { name: 'Card processor' }, { use: { door: 'cli', how: 'print' } }).value).toBe('team-only-value');
  });

  it('a Member outside T neither lists, finds nor reads it', async () => {
    const { carol } = await teamSecret(tempDir());
    expect(listSecrets(carol).items).toEqual([]);
    expect(JSON.stringify(listSecrets(carol))).not.toContain('Card processor');
    expect(() => resolveSecret(carol, { name: 'Card processor' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => getSecretValue(carol, { name: 'Card processor', level: 'organization' }, { use: { door: 'cli', how: 'print' } })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('at the crypto level: no team key is sealed to the outsider, and the organization key does not unwrap the data key', async () => {
    const { path, vault, carol, secret, teamScope } = await teamSecret(tempDir());
    expect(carol.canRead(teamScope)).toBe(false);
    const grants = withRawDb(path, (db) => db.prepare('SELECT grantee_id, sealed_key FROM scope_grants WHERE scope_id = ?').all(teamScope)) as {
      grantee_id: string;
      sealed_key: Buffer;
    }[];
    expect(grants.map((g) => g.grantee_id)).not.toContain(carol.member.id);
    for (const g of grants) expect(() => openSealed(new Uint8Array(g.sealed_key), carol.keyPairs())).toThrow(expect.objectContaining({ code: 'TAMPERED' }));

    const readers = withRawDb(path, (db) => db.prepare('SELECT scope_id, key_version, wrapped_key FROM secret_readers WHERE secret_id = ?').all(secret.id)) as {
      scope_id: string;
      key_version: number;
      wrapped_key: Buffer;
    }[];
    // Wrapped for the team only: the organization scope, which carol holds, is not a reader.
    expect(readers.map((r) => r.scope_id)).toEqual([teamScope]);
    const r = readers[0]!;
    const context = ad('coffer/v1/data-key', vault.id, secret.id, r.scope_id, r.key_version);
    for (const scope of carol.readableScopes()) {
      expect(() => open(carol.scopeKey(scope).key, new Uint8Array(r.wrapped_key), context, 'data key')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    }
  });

  it('joining and leaving T grants and revokes its key', async () => {
    const { vault, alice, teamScope } = await teamSecret(tempDir());
    addTeamMember(alice, 'Payments', 'carol');
    const carol = await vault.unlock('carol', pw('carol'));
    expect(getSecretValue(carol, { name: 'Card processor' }, { use: { door: 'cli', how: 'print' } }).value).toBe('team-only-value');
    removeTeamMember(alice, 'Payments', 'carol');
    const carolAgain = await vault.unlock('carol', pw('carol'));
    expect(carolAgain.canRead(teamScope)).toBe(false);
    expect(() => getSecretValue(carolAgain, { name: 'Card processor' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('a secret for two teams is read by members of either', async () => {
    const { vault, alice } = await teamSecret(tempDir());
    addTeam(alice, 'Risk');
    addTeamMember(alice, 'Risk', 'carol');
    registerSecret(alice, { type: 'api-key', name: 'Fraud API', level: 'organization', teams: ['Payments', 'Risk'], fields: { headerName: 'X-Key', value: 'both' } });
    const bob = await vault.unlock('bob', pw('bob'));
    const carol = await vault.unlock('carol', pw('carol'));
    expect(getSecretValue(bob, { name: 'Fraud API' }, { use: { door: 'cli', how: 'print' } }).value).toBe('both');
    expect(getSecretValue(carol, { name: 'Fraud API' }, { use: { door: 'cli', how: 'print' } }).value).toBe('both');
    expect(listSecrets(carol).items.map((i) => i.name)).toEqual(['Fraud API']);
  });

  it('a team that is the only reader of a secret cannot be deleted', async () => {
    const { alice } = await teamSecret(tempDir());
    expect(() => deleteTeam(alice, 'Payments')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'team' }));
    expect(getSecretValue(alice, { name: 'Card processor' }, { use: { door: 'cli', how: 'print' } }).value).toBe('team-only-value');
  });

  it('a Member cannot manage teams', async () => {
    const { bob } = await teamSecret(tempDir());
    expect(() => addTeamMember(bob, 'Payments', 'carol')).toThrow(forbidden);
    expect(() => removeTeamMember(bob, 'Payments', 'bob')).toThrow(forbidden);
  });
});
