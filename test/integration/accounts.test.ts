import { describe, expect, it } from 'vitest';
import { parseMachineSecret, unwrapMachineKeys } from '../../electron/core/access/machine-keys';
import { openSealed } from '../../electron/core/crypto/keys';
import type { AccountKeyRow, ScopeGrantRow } from '../../electron/core/db/rows';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addAccountKey, createAccount, deleteAccount, deleteAccountKey, listAccounts, renewAccountKey } from '../../electron/core/vault/accounts';
import { addMember } from '../../electron/core/vault/members';
import { defineRole } from '../../electron/core/vault/roles';
import { addTeam, addWorkspace, deleteWorkspace } from '../../electron/core/vault/structure';
import type { Vault } from '../../electron/core/vault/vault';
import { clearScopeOf, tablesDigest } from '../support/sql';
import { fakeClock, newVault, useTempDir } from '../support/vault';

/** docs/product.md §7 below the doors: what a service account's key opens, and what it stops opening. */

const apiKey = (name: string, extra: Record<string, unknown>) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value: `${name}-value` }, ...extra });

/** The key pairs a key's secret unwraps, straight from the file. */
function keysOf(vault: Vault, keyId: string, secret: string) {
  const row = vault.db.query<AccountKeyRow>('SELECT * FROM account_keys WHERE id = ?').get(keyId)!;
  return unwrapMachineKeys('account-key', vault.id, keyId, parseMachineSecret('account-key', secret), row).keys;
}

/** The scopes of every grant in the file these keys open, whoever it was sealed to. */
function scopesOpenedBy(vault: Vault, keys: ReturnType<typeof keysOf>): string[] {
  return vault.db
    .query<Pick<ScopeGrantRow, 'scope_id' | 'sealed_key'>>('SELECT scope_id, sealed_key FROM scope_grants')
    .all()
    .filter((g) => {
      try {
        openSealed(g.sealed_key, keys);
        return true;
      } catch {
        return false;
      }
    })
    .map((g) => g.scope_id)
    .sort();
}

describe('service accounts below the doors', () => {
  const tempDir = useTempDir();

  it("a key's secret opens exactly its account's scopes: a workspace's, or the organization's as its role has them", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    addWorkspace(alice, 'Frontend');
    addTeam(alice, 'Payments');
    const ws = createAccount(alice, { name: 'ws-bot', role: 'member', workspace: 'Backend' });
    const org = createAccount(alice, { name: 'org-bot', role: 'member' });
    const lead = createAccount(alice, { name: 'team-bot', role: 'account-manager' });
    const scope = (kind: 'workspace' | 'team', name: string) => clearScopeOf(vault.db, kind, name);
    expect(scopesOpenedBy(vault, keysOf(vault, ws.keys[0]!.keyId, ws.keys[0]!.secret))).toEqual([scope('workspace', 'Backend')]);
    expect(scopesOpenedBy(vault, keysOf(vault, org.keys[0]!.keyId, org.keys[0]!.secret))).toEqual([vault.orgScopeId, scope('workspace', 'Backend'), scope('workspace', 'Frontend')].sort());
    expect(scopesOpenedBy(vault, keysOf(vault, lead.keys[0]!.keyId, lead.keys[0]!.secret))).toContain(scope('team', 'Payments'));
    const session = vault.unlockAccountKey(ws.keys[0]!.secret);
    expect(session.readableScopes()).toEqual([scope('workspace', 'Backend')]);
    expect(() => session.authorize('workspace.create')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it("a renewed or deleted key's captured secret opens nothing written afterwards, and is refused at once", async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    const a = createAccount(alice, { name: 'bot', role: 'member', workspace: 'Backend' });
    const second = addAccountKey(alice, 'bot');
    const first = a.keys[0]!;
    const captured = [keysOf(vault, first.keyId, first.secret), keysOf(vault, second.keyId, second.secret)];
    const renewed = renewAccountKey(alice, 'bot', first.keyId);
    expect(renewed.keyId).toBe(first.keyId);
    deleteAccountKey(alice, 'bot', second.keyId);
    registerSecret(alice, apiKey('after', { level: 'workspace', workspace: 'Backend' }));
    for (const keys of captured) expect(scopesOpenedBy(vault, keys)).toEqual([]);
    expect(() => vault.unlockAccountKey(first.secret)).toThrow(expect.objectContaining({ code: 'AUTH' }));
    expect(() => vault.unlockAccountKey(second.secret)).toThrow(expect.objectContaining({ code: 'AUTH' }));
    expect(getSecretValue(vault.unlockAccountKey(renewed.secret), { name: 'after' }, { use: { door: 'cli', how: 'print' } }).value).toBe('after-value');
    deleteAccount(alice, 'bot', 'bot');
    expect(() => vault.unlockAccountKey(renewed.secret)).toThrow(expect.objectContaining({ code: 'AUTH' }));
    expect(vault.db.count("SELECT count(*) AS n FROM scope_grants WHERE grantee_kind = 'account-key'")).toBe(0);
  });

  it('an expired key is refused with AUTH; an expiry in the past is refused when the key is made', async () => {
    const clock = fakeClock();
    const { vault, session: alice } = await newVault(tempDir(), { context: { clock } });
    const a = createAccount(alice, { name: 'bot', role: 'member', expires: '2026-12-01' });
    expect(vault.unlockAccountKey(a.keys[0]!.secret).readableScopes()).toContain(vault.orgScopeId);
    clock.advance(10 * DAY_MS);
    expect(() => vault.unlockAccountKey(a.keys[0]!.secret)).toThrow(expect.objectContaining({ code: 'AUTH', message: expect.stringContaining('expired on 2026-12-01') }));
    expect(() => addAccountKey(alice, 'bot', { expires: '2026-11-01' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'expires' }));
  });

  it('who may create one, with which role, and what it keeps from being deleted', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    defineRole(alice, { name: 'Everything', operations: ['vault.settings', 'secret.organization.write', 'serviceAccount.manage'] });
    addMember(alice, { name: 'sam', role: 'sys-admin', password: 'sam password 1' });
    addMember(alice, { name: 'max', role: 'member', password: 'max password 1' });
    const sam = await vault.unlock('sam', 'sam password 1');
    const max = await vault.unlock('max', 'max password 1');
    const before = tablesDigest(vault.path, { exceptAudit: true });
    expect(() => createAccount(max, { name: 'x', role: 'member' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => createAccount(sam, { name: 'x', role: 'Everything' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN', field: 'role' }));
    expect(() => createAccount(alice, { name: 'x', role: 'account-holder' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'role' }));
    expect(tablesDigest(vault.path, { exceptAudit: true })).toBe(before);
    createAccount(sam, { name: 'ws-bot', role: 'member', workspace: 'Backend' });
    expect(() => createAccount(sam, { name: 'WS-BOT', role: 'member' })).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'name' }));
    expect(() => deleteWorkspace(alice, 'Backend')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'workspace' }));
    expect(listAccounts(alice)).toEqual([expect.objectContaining({ name: 'ws-bot', level: 'workspace', workspace: 'Backend', roleName: 'Member', creator: 'sam', keys: [expect.objectContaining({ lastUsed: null })] })]);
    // The roster replays all of it at the next unlock.
    expect((await vault.unlock('alice', 'correct horse battery staple')).accessFindings).toMatchObject({ structure: [], grantsRejected: 0, grantsMissing: 0 });
  });
});

describe('service accounts that manage service accounts (what the REST API will call)', () => {
  const tempDir = useTempDir();

  it('an organization-level account whose role manages accounts creates, renews and deletes them with its own key; members keep every key', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    registerSecret(alice, apiKey('org-secret', { level: 'organization' }));
    const admin = createAccount(alice, { name: 'admin-bot', role: 'sys-admin' });
    const bot = vault.unlockAccountKey(admin.keys[0]!.secret);
    const made = createAccount(bot, { name: 'made-by-bot', role: 'member', workspace: 'Backend' });
    const extra = addAccountKey(bot, 'made-by-bot');
    const renewed = renewAccountKey(bot, made.id, made.keys[0]!.keyId);
    expect(vault.unlockAccountKey(renewed.secret).readableScopes()).toEqual([clearScopeOf(vault.db, 'workspace', 'Backend')]);
    expect(listAccounts(alice).find((a) => a.name === 'made-by-bot')).toMatchObject({ creator: 'account:admin-bot', keys: [expect.anything(), expect.anything()] });
    deleteAccount(bot, 'made-by-bot');
    expect(() => vault.unlockAccountKey(extra.secret)).toThrow(expect.objectContaining({ code: 'AUTH' }));
    expect(() => renewAccountKey(bot, 'admin-bot', admin.keys[0]!.keyId)).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'key' }));
    expect(() => addWorkspace(bot, 'Nope')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    // The rotations the bot signed left every member's grants vouched for, and the roster replays.
    const again = await vault.unlock('alice', 'correct horse battery staple');
    expect(again.accessFindings).toMatchObject({ rosterProblem: undefined, grantsRejected: 0, grantsMissing: 0, structure: [] });
    expect(getSecretValue(again, { name: 'org-secret' }, { use: { door: 'cli', how: 'print' } }).value).toBe('org-secret-value');
  });

  it('an account whose role does not manage accounts, or that belongs to one workspace, may not', async () => {
    const { vault, session: alice } = await newVault(tempDir());
    addWorkspace(alice, 'Backend');
    const reader = createAccount(alice, { name: 'reader', role: 'member' });
    const wsAdmin = createAccount(alice, { name: 'ws-admin', role: 'sys-admin', workspace: 'Backend' });
    const [readerBot, wsBot] = [vault.unlockAccountKey(reader.keys[0]!.secret), vault.unlockAccountKey(wsAdmin.keys[0]!.secret)];
    const before = tablesDigest(vault.path, { exceptAudit: true });
    expect(() => createAccount(readerBot, { name: 'x', role: 'member' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => createAccount(wsBot, { name: 'x', role: 'member', workspace: 'Backend' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(tablesDigest(vault.path, { exceptAudit: true })).toBe(before);
  });
});
