import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { searchVault } from '../../electron/core/secrets/vault-search';
import { createAccount } from '../../electron/core/vault/accounts';
import { addMember } from '../../electron/core/vault/members';
import { addTeam, addTeamMember, addWorkspace } from '../../electron/core/vault/structure';
import { newVault, useTempDir } from '../support/vault';

const apiKey = (name: string, place: Record<string, unknown> = {}) => ({ type: 'api-key' as const, name, fields: { headerName: 'X-Key', value: `${name} value` }, ...place });
const BOB_PASSWORD = 'bob password 123';

/** Alice's vault: a secret of each place, some only she or only the Payments team reads. */
async function vaultOfPlaces(dir: string) {
  const v = await newVault(dir);
  const alice = v.session;
  addWorkspace(alice, 'Backend');
  addWorkspace(alice, 'Frontend');
  addTeam(alice, 'Payments');
  addMember(alice, { name: 'bob', role: 'member', password: BOB_PASSWORD });
  registerSecret(alice, apiKey('stripe', { level: 'organization' }));
  registerSecret(alice, apiKey('Stripe payouts', { level: 'organization', teams: ['Payments'] }));
  registerSecret(alice, apiKey('old stripe webhook', { level: 'workspace', workspace: 'Backend' }));
  registerSecret(alice, apiKey('stripe-frontend', { level: 'workspace', workspace: 'Frontend' }));
  registerSecret(alice, apiKey('alice stripe notes'));
  registerSecret(alice, apiKey('pipestripes'));
  return v;
}

const places = (rows: { name: string; level: string; workspace: string | null }[]) => rows.map((r) => [r.name, r.level, r.workspace]);

describe('searching the whole vault', () => {
  const tempDir = useTempDir();

  it('finds names in every place the session reads, best matches first, each row with its level and workspace', async () => {
    const { session: alice } = await vaultOfPlaces(tempDir());
    const found = searchVault(alice, { query: ' STRIPE ' });
    expect(places(found.items)).toEqual([
      // The whole name, then names starting with it, then a word of the name, then anywhere; by name within each.
      ['stripe', 'organization', null],
      ['Stripe payouts', 'organization', null],
      ['stripe-frontend', 'workspace', 'Frontend'],
      ['alice stripe notes', 'personal', null],
      ['old stripe webhook', 'workspace', 'Backend'],
      ['pipestripes', 'personal', null],
    ]);
    expect(found).toMatchObject({ total: 6, matched: 6 });
    // A row is a listing row: never a value.
    expect(JSON.stringify(found)).not.toContain('value');
  });

  it('returns at most `limit` rows, the best ones, and counts every match', async () => {
    const { session: alice } = await vaultOfPlaces(tempDir());
    const found = searchVault(alice, { query: 'stripe', limit: 2 });
    expect(found.items.map((r) => r.name)).toEqual(['stripe', 'Stripe payouts']);
    expect(found.matched).toBe(6);
    expect(searchVault(alice, { query: 'nothing like it' })).toMatchObject({ matched: 0, items: [] });
  });

  it('ranks a name by its best occurrence: a later word start beats an earlier name matching mid-word', async () => {
    const { session: alice } = await newVault(tempDir());
    for (const name of ['abtoken', 'retoken / token cache', 'Zürich_token', 'ätoken']) registerSecret(alice, apiKey(name));
    // "_" and " " end a word, "ä" does not (a letter past ASCII continues it).
    expect(searchVault(alice, { query: 'TOKEN' }).items.map((r) => r.name)).toEqual(['retoken / token cache', 'Zürich_token', 'abtoken', 'ätoken']);
  });

  it("sees what the listing sees: never another member's personal secrets, nor a team's it is not in", async () => {
    const { vault, session: alice } = await vaultOfPlaces(tempDir());
    const bob = await vault.unlock('bob', BOB_PASSWORD);
    registerSecret(bob, apiKey('bob stripe'));
    expect(places(searchVault(bob, { query: 'stripe' }).items)).toEqual([
      ['stripe', 'organization', null],
      ['stripe-frontend', 'workspace', 'Frontend'],
      ['bob stripe', 'personal', null],
      ['old stripe webhook', 'workspace', 'Backend'],
    ]);
    addTeamMember(alice, 'Payments', 'bob');
    const again = await vault.unlock('bob', BOB_PASSWORD);
    expect(searchVault(again, { query: 'payouts' }).items.map((r) => r.name)).toEqual(['Stripe payouts']);
  });

  it('a workspace-level service account finds only the secrets of its workspace', async () => {
    const { vault, session: alice } = await vaultOfPlaces(tempDir());
    const bot = createAccount(alice, { name: 'ws-bot', role: 'member', workspace: 'Backend' });
    const session = vault.unlockAccountKey(bot.keys[0]!.secret);
    expect(places(searchVault(session, { query: 'stripe' }).items)).toEqual([['old stripe webhook', 'workspace', 'Backend']]);
  });

  it("follows the session's own renames, and refuses an empty query or a limit out of range", async () => {
    const { session: alice } = await vaultOfPlaces(tempDir());
    editSecret(alice, { ref: { name: 'pipestripes' }, name: 'pipe tokens' });
    expect(searchVault(alice, { query: 'pipe' }).items.map((r) => r.name)).toEqual(['pipe tokens']);
    expect(() => searchVault(alice, { query: '   ' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'query' }));
    expect(() => searchVault(alice, { query: 'x', limit: 201 })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'limit' }));
  });
});
