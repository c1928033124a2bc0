import { describe, expect, it } from 'vitest';
import { parseMachineSecret, unwrapMachineKeys } from '../../electron/core/access/machine-keys';
import { CofferApp } from '../../electron/core/app';
import { openSealed } from '../../electron/core/crypto/keys';
import type { CredentialRow, ScopeGrantRow } from '../../electron/core/db/rows';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { createCredential, revokeCredential, setCredentialTeams } from '../../electron/core/vault/credentials';
import { addMember, listMembers, setMemberRole } from '../../electron/core/vault/members';
import { defineRole, deleteRole, listRoles, updateRole } from '../../electron/core/vault/roles';
import { addTeam, addTeamMember, addWorkspace, deleteWorkspace } from '../../electron/core/vault/structure';
import { whoCanRead } from '../../electron/core/vault/who-reads';
import { clearScopeOf, tablesDigest } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const pw = (login: string) => `${login} password 123`;
const apiKey = (name: string, value: string, extra: Record<string, unknown> = {}) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value }, ...extra });

describe('service credentials below the permission layer', () => {
  const tempDir = useTempDir();

  it("the client secret unwraps the credential's keys, and those open its teams' scope keys and nothing else", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addTeam(alice, 'Backend');
    addTeam(alice, 'Payments');
    addWorkspace(alice, 'Shared');
    const c = createCredential(alice, { name: 'ci', teams: ['Backend'] });
    const row = vault.db.query<CredentialRow>('SELECT * FROM credentials WHERE id = ?').get(c.clientId)!;
    expect(() => unwrapMachineKeys('credential', vault.id, c.clientId, new Uint8Array(32), row)).toThrow(expect.objectContaining({ code: 'AUTH' }));
    const { keys } = unwrapMachineKeys('credential', vault.id, c.clientId, parseMachineSecret('credential', c.clientSecret), row);
    // Every grant in the file, whoever it is sealed to: only Backend's opens with the credential's keys.
    const grants = vault.db.query<Pick<ScopeGrantRow, 'scope_id' | 'sealed_key'>>('SELECT scope_id, sealed_key FROM scope_grants').all();
    const opened = grants.filter((g) => {
      try {
        openSealed(g.sealed_key, keys);
        return true;
      } catch {
        return false;
      }
    });
    expect(opened.map((g) => g.scope_id)).toEqual([clearScopeOf(vault.db, 'team', 'Backend')]);
    const pipeline = vault.unlockCredential(c.clientId, c.clientSecret);
    expect(pipeline.readableScopes()).toEqual([clearScopeOf(vault.db, 'team', 'Backend')]);
  });

  it("revoking rotates the credential's teams: its captured keys open nothing written afterwards", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addTeam(alice, 'Backend');
    const backend = clearScopeOf(vault.db, 'team', 'Backend');
    const c = createCredential(alice, { name: 'ci', teams: ['Backend'] });
    const row = vault.db.query<CredentialRow>('SELECT * FROM credentials WHERE id = ?').get(c.clientId)!;
    const { keys } = unwrapMachineKeys('credential', vault.id, c.clientId, parseMachineSecret('credential', c.clientSecret), row);
    const before = vault.db.value<number>('SELECT key_version FROM scopes WHERE id = ?', backend)!;
    revokeCredential(alice, 'ci', 'ci');
    expect(vault.db.value<number>('SELECT key_version FROM scopes WHERE id = ?', backend)).toBe(before + 1);
    registerSecret(alice, apiKey('after', 'after-value', { level: 'organization', teams: ['Backend'] }));
    // What the credential kept opens none of the grants written since, and the file no longer names it.
    for (const g of vault.db.query<Pick<ScopeGrantRow, 'sealed_key'>>('SELECT sealed_key FROM scope_grants').all()) {
      expect(() => openSealed(g.sealed_key, keys)).toThrow();
    }
    expect(vault.db.count("SELECT count(*) AS n FROM scope_grants WHERE grantee_kind = 'credential'")).toBe(0);
    expect(() => vault.unlockCredential(c.clientId, c.clientSecret)).toThrow(expect.objectContaining({ code: 'AUTH' }));
  });

  it("a team taken away from a credential is rotated, and a team added gives it that team's secrets", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addTeam(alice, 'Backend');
    addTeam(alice, 'Payments');
    registerSecret(alice, apiKey('pay', 'pay-value', { level: 'organization', teams: ['Payments'] }));
    const c = createCredential(alice, { name: 'ci', teams: ['Backend'] });
    expect(() => getSecretValue(vault.unlockCredential(c.clientId, c.clientSecret), { name: 'pay' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    setCredentialTeams(alice, 'ci', ['Payments']);
    const pipeline = vault.unlockCredential(c.clientId, c.clientSecret);
    expect(getSecretValue(pipeline, { name: 'pay' }, { use: { door: 'cli', how: 'print' } }).value).toBe('pay-value');
    expect(pipeline.readableScopes()).toEqual([clearScopeOf(vault.db, 'team', 'Payments')]);
  });

  it('who can read a team-only secret: its team, the team members, the roles that manage teams and its credentials', async () => {
    const { session: alice } = await newVault(tempDir());
    addTeam(alice, 'Backend');
    addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
    addMember(alice, { name: 'carol', role: 'member', password: pw('carol') });
    addTeamMember(alice, 'Backend', 'bob');
    createCredential(alice, { name: 'ci', teams: ['Backend'] });
    const s = registerSecret(alice, apiKey('db', 'v', { level: 'organization', teams: ['Backend'] }));
    expect(whoCanRead(alice, { id: s.id })).toEqual([
      { kind: 'member', name: 'alice', why: 'Account Holder: manages every team' },
      { kind: 'member', name: 'bob', why: 'member of team Backend' },
      { kind: 'team', name: 'Backend', why: 'the secret is available to this team' },
      { kind: 'credential', name: 'ci', why: 'service credential of team Backend' },
    ]);
  });
});

describe('members without an admin-chosen password', () => {
  const tempDir = useTempDir();

  it('a member added with a setup code must choose a password before anything else; the code then stops working', async () => {
    const dir = tempDir();
    const { vault, session: alice } = await newVault(dir);
    const added = addMember(alice, { name: 'bob', role: 'member' });
    expect(added.setupCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    const app = new CofferApp({ vaultPath: vault.path, door: 'desktop' });
    await app.unlock('bob', added.setupCode!);
    expect((await app.status()).member).toMatchObject({ name: 'bob', setupPending: true });
    expect(() => app.session()).toThrow(expect.objectContaining({ code: 'AUTH' }));
    app.changePassword(added.setupCode!, pw('bob'));
    expect((await app.status()).member?.setupPending).toBe(false);
    expect(() => app.session()).not.toThrow();
    app.close();
    await expect(vault.unlock('bob', added.setupCode!)).rejects.toMatchObject({ code: 'AUTH' });
    expect((await vault.unlock('bob', pw('bob'))).setupPending).toBe(false);
    expect(listMembers(alice).find((m) => m.name === 'bob')?.lastUnlock).toEqual(expect.any(Number));
  });
});

describe('custom roles', () => {
  const tempDir = useTempDir();

  it('an Account Holder defines a role; its members may do exactly its operations', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    const auditor = defineRole(alice, { name: 'Auditor', operations: ['audit.read', 'secret.personal.write'] });
    expect(listRoles(alice).map((r) => r.name)).toEqual(['Account Holder', 'Sys Admin', 'Account Manager', 'Member', 'Auditor']);
    addMember(alice, { name: 'dana', role: 'auditor', password: pw('dana') });
    const dana = await vault.unlock('dana', pw('dana'));
    expect(dana.member.role).toBe(auditor.id);
    expect(() => dana.authorize('audit.read')).not.toThrow();
    expect(() => addWorkspace(dana, 'Nope')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: 'Auditor may not create, rename or delete workspaces' }));
    expect(() => defineRole(dana, { name: 'Mine', operations: [] })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => deleteRole(alice, 'Auditor')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'role' }));
  });

  it("taking team management away from a role rotates the teams its members were not in", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addTeam(alice, 'Payments');
    const payments = clearScopeOf(vault.db, 'team', 'Payments');
    defineRole(alice, { name: 'Team lead', operations: ['team.manage'] });
    addMember(alice, { name: 'erin', role: 'Team lead', password: pw('erin') });
    expect((await vault.unlock('erin', pw('erin'))).canRead(payments)).toBe(true);
    const version = vault.db.value<number>('SELECT key_version FROM scopes WHERE id = ?', payments)!;
    updateRole(alice, { role: 'Team lead', operations: ['secret.personal.write'] });
    expect(vault.db.value<number>('SELECT key_version FROM scopes WHERE id = ?', payments)).toBe(version + 1);
    expect((await vault.unlock('erin', pw('erin'))).canRead(payments)).toBe(false);
    setMemberRole(alice, 'erin', 'member');
    deleteRole(alice, 'Team lead');
    expect(listRoles(alice).some((r) => r.name === 'Team lead')).toBe(false);
  });

  it('a role name may not repeat a built-in one', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    const before = tablesDigest(vault.path, { exceptAudit: true });
    expect(() => defineRole(alice, { name: 'sys admin', operations: [] })).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'name' }));
    expect(() => defineRole(alice, { name: 'Grantor', operations: ['member.grantAccountHolder' as never] })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(tablesDigest(vault.path, { exceptAudit: true })).toBe(before);
  });
});

describe('workspaces', () => {
  const tempDir = useTempDir();

  it('a workspace is deleted only when empty, and the refusal gives the count', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    registerSecret(alice, apiKey('a', '1', { level: 'workspace', workspace: 'Backend' }));
    registerSecret(alice, apiKey('b', '2', { level: 'workspace', workspace: 'Backend' }));
    const before = tablesDigest(vault.path, { exceptAudit: true });
    expect(() => deleteWorkspace(alice, 'Backend')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'workspace "Backend" still holds 2 secret(s): move or delete them first' }));
    expect(tablesDigest(vault.path, { exceptAudit: true })).toBe(before);
    addWorkspace(alice, 'Empty');
    deleteWorkspace(alice, 'Empty');
    expect([...alice.roster.workspaces.values()].map((w) => w.name)).toEqual(['Backend']);
    // The roster replays the deletion at the next unlock.
    expect((await vault.unlock(undefined, PASSWORD)).accessFindings.structure).toEqual([]);
  });
});

describe('giving a custom role', () => {
  const tempDir = useTempDir();

  it('needs every operation of it, or an Account Holder: a Sys Admin cannot hand out a role with more than theirs', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    defineRole(alice, { name: 'Everything', operations: ['vault.settings', 'secret.organization.write', 'member.manage'] });
    defineRole(alice, { name: 'Reviewer', operations: ['audit.read'] });
    addMember(alice, { name: 'sam', role: 'sys-admin', password: pw('sam') });
    const sam = await vault.unlock('sam', pw('sam'));
    const before = tablesDigest(vault.path, { exceptAudit: true });
    expect(() => setMemberRole(sam, 'sam', 'Everything')).toThrow(expect.objectContaining({ code: 'FORBIDDEN', field: 'role' }));
    expect(() => addMember(sam, { name: 'eve', role: 'Everything', password: pw('eve') })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(tablesDigest(vault.path, { exceptAudit: true })).toBe(before);
    expect(addMember(sam, { name: 'rita', role: 'Reviewer', password: pw('rita') }).roleName).toBe('Reviewer');
    expect(addMember(alice, { name: 'olga', role: 'Everything', password: pw('olga') }).roleName).toBe('Everything');
  });
});
