import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ListSecretsInput } from '../../shared/schemas/secrets';
import { SORT_KEYS } from '../../shared/schemas/secrets';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { getSecretValue, listSecrets, secretSummary } from '../../electron/core/secrets/reading';
import { registerSecret, registerSecrets } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { deleteNow } from '../../electron/core/lifecycle/actions';
import type { Session } from '../../electron/core/vault/session';
import { addMember } from '../../electron/core/vault/members';
import { addTeam, addWorkspace, renameWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import { PASSWORD, fakeClock, newVault, useTempDir } from '../support/vault';

const HOUR = 3_600_000;

/** Six secrets of several types and levels, created an hour apart in this order. */
async function catalogue(dir: string) {
  const clock = fakeClock();
  const v = await newVault(dir, { context: { clock } });
  addWorkspace(v.session, 'Backend');
  const add = (input: Parameters<typeof registerSecret>[1]) => {
    clock.advance(HOUR);
    return registerSecret(v.session, input);
  };
  add({ type: 'api-key', name: 'Stripe live', level: 'organization', expires: '2027-06-01', fields: { headerName: 'X-Key', value: 'a' } });
  add({ type: 'api-key', name: 'stripe test', fields: { headerName: 'X-Key', value: 'b' } });
  add({ type: 'bearer-token', name: 'GitHub deploy', level: 'workspace', workspace: 'Backend', expires: '2027-01-15', fields: { headerName: 'Authorization', headerValue: 'Bearer c' } });
  add({ type: 'key-value', name: 'Café env', level: 'workspace', workspace: 'Backend', fields: { pairs: [{ key: 'K', value: 'd' }] } });
  add({ type: 'client-credentials', name: 'Auth0', level: 'organization', fields: { clientId: 'id', url: 'https://auth0.example.com', clientSecret: 'e' } });
  add({ type: 'api-key', name: 'Zendesk', expires: '2026-12-31', fields: { headerName: 'X-Key', value: 'f' } });
  return { ...v, clock };
}

const names = (session: Session, input: ListSecretsInput = {}) => listSecrets(session, input).items.map((i) => i.name);

describe('the listing index', () => {
  const tempDir = useTempDir();

  it('searches names by substring, ignoring case and Unicode form', async () => {
    const { session } = await catalogue(tempDir());
    expect(names(session, { search: 'STRI' })).toEqual(['Stripe live', 'stripe test']);
    expect(names(session, { search: 'e te' })).toEqual(['stripe test']);
    expect(names(session, { search: 'cafe\u0301' })).toEqual(['Café env']);
    expect(names(session, { search: 'nothing like it' })).toEqual([]);
    expect(listSecrets(session, { search: 'stri' })).toMatchObject({ total: 6, matched: 2 });
  });

  it('sorts by every column, both ways', async () => {
    const { session } = await catalogue(tempDir());
    expect(names(session)).toEqual(['Auth0', 'Café env', 'GitHub deploy', 'Stripe live', 'stripe test', 'Zendesk']);
    expect(names(session, { desc: true })).toEqual(['Zendesk', 'stripe test', 'Stripe live', 'GitHub deploy', 'Café env', 'Auth0']);
    expect(names(session, { sort: 'created' })).toEqual(['Stripe live', 'stripe test', 'GitHub deploy', 'Café env', 'Auth0', 'Zendesk']);
    // No expiry sorts after every date.
    expect(names(session, { sort: 'expires' })).toEqual(['Zendesk', 'GitHub deploy', 'Stripe live', 'Auth0', 'Café env', 'stripe test']);
    expect(names(session, { sort: 'type' })).toEqual(['Stripe live', 'stripe test', 'Zendesk', 'GitHub deploy', 'Auth0', 'Café env']);
    expect(names(session, { sort: 'availability' })).toEqual(['Auth0', 'Stripe live', 'stripe test', 'Zendesk', 'Café env', 'GitHub deploy']);
  });

  it('filters by level, workspace, type and status', async () => {
    const { session } = await catalogue(tempDir());
    expect(names(session, { level: 'organization' })).toEqual(['Auth0', 'Stripe live']);
    expect(names(session, { level: 'personal' })).toEqual(['stripe test', 'Zendesk']);
    expect(names(session, { workspace: 'backend' })).toEqual(['Café env', 'GitHub deploy']);
    expect(names(session, { type: 'api-key' })).toEqual(['Stripe live', 'stripe test', 'Zendesk']);
    expect(names(session, { type: 'api-key', search: 'stripe', level: 'personal' })).toEqual(['stripe test']);
    expect(names(session, { status: 'active' })).toHaveLength(6);
    expect(names(session, { status: 'inactive' })).toEqual([]);
  });

  it('pages with offset and limit, counting every match', async () => {
    const { session } = await catalogue(tempDir());
    expect(listSecrets(session, { offset: 2, limit: 2 })).toMatchObject({ total: 6, matched: 6, items: [{ name: 'GitHub deploy' }, { name: 'Stripe live' }] });
    expect(listSecrets(session, { offset: 1, limit: 5, desc: true, type: 'api-key' })).toMatchObject({ matched: 3, items: [{ name: 'stripe test' }, { name: 'Stripe live' }] });
    expect(() => listSecrets(session, { limit: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'limit' }));
  });

  it('follows this session’s own edits, renames and reads', async () => {
    const { session, clock } = await catalogue(tempDir());
    const index = SecretIndex.of(session);
    editSecret(session, { ref: { name: 'Zendesk' }, name: 'Freshdesk' });
    expect(names(session, { search: 'desk' })).toEqual(['Freshdesk']);
    expect(names(session, { search: 'zen' })).toEqual([]);
    expect(listSecrets(session, { search: 'fresh' }).items[0]).toMatchObject({ revision: 2 });
    registerSecret(session, { type: 'api-key', name: 'Zapier', fields: { headerName: 'X-Key', value: 'z' } });
    expect(names(session, { search: 'z' })).toEqual(['Zapier']);
    clock.advance(HOUR);
    getSecretValue(session, { name: 'Auth0' }, { use: { door: 'cli', how: 'print' } });
    expect(listSecrets(session, { sort: 'lastUsed', desc: true }).items[0]).toMatchObject({ name: 'Auth0', lastUsed: clock.now() });
    // All of it without a rebuild: the index was kept in step.
    expect(SecretIndex.of(session)).toBe(index);
  });

  it('a sort by a date reads only the dates it compares; each row still shows its own revision and last change', async () => {
    const { session, clock } = await catalogue(tempDir());
    clock.advance(HOUR);
    editSecret(session, { ref: { name: 'Auth0' }, name: 'Auth0 prod' });
    for (const sort of ['created', 'expires', 'lastUsed'] as const) {
      const full = SecretIndex.build(session);
      expect(full.view.live).toBe(6);
      expect(SecretIndex.build(session).query({ sort })).toEqual(full.query({ sort }));
    }
    expect(SecretIndex.build(session).query({ sort: 'created' }).items.find((i) => i.name === 'Auth0 prod')).toMatchObject({ revision: 2, updated: clock.now() });
  });

  it('sees another connection’s writes once SQLite’s data_version changes', async () => {
    const { path, session } = await catalogue(tempDir());
    const before = SecretIndex.of(session);
    expect(SecretIndex.of(session)).toBe(before);

    const other = await Vault.open(path);
    const otherSession = await other.unlock(undefined, PASSWORD);
    registerSecret(otherSession, { type: 'api-key', name: 'Twilio', level: 'organization', fields: { headerName: 'X-Key', value: 't' } });
    editSecret(otherSession, { ref: { name: 'GitHub deploy' }, name: 'GitHub release' });
    getSecretValue(otherSession, { name: 'Auth0' }, { use: { door: 'cli', how: 'print' } });
    other.close();

    expect(names(session, { search: 'twilio' })).toEqual(['Twilio']);
    expect(names(session, { search: 'github' })).toEqual(['GitHub release']);
    expect(listSecrets(session, { search: 'auth0' }).items[0]!.lastUsed).toEqual(expect.any(Number));
    expect(SecretIndex.of(session)).not.toBe(before);
    expect(listSecrets(session).total).toBe(7);
  });

  it('sees writes of another session on the same connection, which leave data_version alone', async () => {
    const { vault, session: alice } = await catalogue(tempDir());
    addMember(alice, { name: 'bob', role: 'member', password: 'bob password' });
    const bob = await vault.unlock('bob', 'bob password');
    expect(names(bob)).toEqual(['Auth0', 'Café env', 'GitHub deploy', 'Stripe live']);
    registerSecret(alice, { type: 'api-key', name: 'Twilio', level: 'organization', fields: { headerName: 'X-Key', value: 't' } });
    expect(names(bob, { search: 'twilio' })).toEqual(['Twilio']);
    // Bob's own write right after Alice's must not hide hers.
    registerSecret(bob, { type: 'api-key', name: 'Mailgun', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'm' } });
    editSecret(alice, { ref: { name: 'Auth0' }, name: 'Okta' });
    registerSecret(bob, { type: 'api-key', name: 'Bob own', fields: { headerName: 'X-Key', value: 'b' } });
    expect(names(bob, { search: 'o' })).toEqual(['Bob own', 'GitHub deploy', 'Okta', 'Twilio']);
    expect(names(alice, { workspace: 'Backend' })).toEqual(['Café env', 'GitHub deploy', 'Mailgun']);
  });

  it('shows a renamed workspace under its new name', async () => {
    const { session } = await catalogue(tempDir());
    expect(names(session, { workspace: 'Backend' })).toHaveLength(2);
    renameWorkspace(session, 'Backend', 'Platform');
    expect(names(session, { workspace: 'Platform' })).toEqual(['Café env', 'GitHub deploy']);
    expect(listSecrets(session, { workspace: 'Platform' }).items.every((i) => i.workspace === 'Platform')).toBe(true);
  });

  it('is dropped at lock, and a locked session cannot list', async () => {
    const { session } = await catalogue(tempDir());
    listSecrets(session);
    session.lock();
    expect(session.index).toBeUndefined();
    expect(() => listSecrets(session)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });
});

describe('a search before anything is sorted', () => {
  const tempDir = useTempDir();

  it('answers as a search over the sorted orders does, for every sort, direction, filter and page', async () => {
    const { session } = await catalogue(tempDir());
    const sorted = SecretIndex.of(session);
    for (const sort of SORT_KEYS) sorted.prepare(sort);
    const query = fc.record(
      {
        search: fc.constantFrom('e', 'stri', 'E ', 'a', 'zz', 'env', 'st', 'café', 'h'),
        sort: fc.constantFrom(...SORT_KEYS),
        desc: fc.boolean(),
        type: fc.constantFrom('api-key', 'bearer-token', 'key-value'),
        level: fc.constantFrom('organization', 'workspace', 'personal'),
        offset: fc.nat(4),
        limit: fc.integer({ min: 1, max: 6 }),
      },
      { requiredKeys: ['search', 'sort', 'desc'] },
    );
    fc.assert(
      fc.property(query, (q: ListSecretsInput) => {
        // A fresh index has sorted nothing, so a search takes the unsorted path.
        expect(SecretIndex.build(session).query(q)).toEqual(sorted.query(q));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a search answered by trigrams (every search of an order after its first)', () => {
  const tempDir = useTempDir();

  it('finds, counts and pages exactly what a sweep of the names finds', async () => {
    const { session } = await newVault(tempDir());
    const parts = ['prod', 'stripe', 'api-key', 'Café', 'eu-west', '🔑', 'token', 'x'];
    // Enough names that a common part has more candidates than are checked name by name (secret-index.ts, FEW_CANDIDATES).
    const picked = fc.sample(fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 4 }), { numRuns: 6000, seed: 7 });
    const named = [...new Set(picked.map((p, i) => `${p.join('-')} ${i % 97}`))];
    await registerSecrets(session, named.map((name) => ({ type: 'api-key', name, fields: { headerName: 'X-Key', value: 'v' } })));
    const index = SecretIndex.of(session);
    // Sorted, then searched once: the searches below are an order's second and later.
    index.prepare('name');
    index.query({ search: 'warm', sort: 'name' });
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...parts, 'od-s', 'ke', 'pe-a', 'nothing', 'fé-e', '🔑-'), fc.constantFrom(...named).map((n) => n.slice(2, 9))), fc.boolean(), (search, desc) => {
        const q: ListSecretsInput = { search, sort: 'name', desc, limit: 500 };
        const swept = SecretIndex.build(session).query(q);
        const viaTrigrams = index.query(q);
        expect(viaTrigrams).toEqual(swept);
        const needle = search.trim().normalize('NFC').toLowerCase();
        expect(viaTrigrams.matched).toBe(named.filter((n) => n.normalize('NFC').toLowerCase().includes(needle)).length);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps answering as a sweep does through this session’s reveals, renames, new secrets and deletions', async () => {
    const { session } = await newVault(tempDir());
    const named = Array.from({ length: 300 }, (_, i) => `svc-${i % 13}-prod-${i}`);
    await registerSecrets(session, named.map((name) => ({ type: 'api-key', name, fields: { headerName: 'X-Key', value: 'v' } })));
    const index = SecretIndex.of(session);
    index.prepare('name');
    const needles = ['prod', 'svc-1', '-12', 'renamed', 'brand-new', 'svc-7-prod-7'];
    const same = () => {
      for (const search of needles) expect(index.query({ search, sort: 'name', limit: 400 }), search).toEqual(SecretIndex.build(session).query({ search, sort: 'name', limit: 400 }));
    };
    same();
    same();
    getSecretValue(session, { name: 'svc-7-prod-7' }, { use: { door: 'cli', how: 'print' } });
    same();
    editSecret(session, { ref: { name: 'svc-1-prod-1' }, name: 'renamed-prod' });
    same();
    registerSecret(session, { type: 'api-key', name: 'brand-new-prod', fields: { headerName: 'X-Key', value: 'v' } });
    same();
    deleteNow(session, { name: 'svc-12-prod-12' }, 'DELETE');
    same();
    expect(SecretIndex.of(session)).toBe(index);
  });

  it('gives each row of a page its own dates and teams, read for the page at once', async () => {
    const { session, path } = await newVault(tempDir());
    addTeam(session, 'Alpha');
    addTeam(session, 'Beta');
    const teamsOf = [undefined, ['Alpha'], ['Beta', 'Alpha'], undefined];
    // Enough secrets that a page of 12 reads its own rows' dates, not every secret's (index-columns.ts, `summaries`).
    await registerSecrets(
      session,
      Array.from({ length: 300 }, (_, i) => {
        const teams = teamsOf[i % 4];
        return {
          type: 'api-key' as const,
          name: `svc-${String(i).padStart(3, '0')}`,
          level: i % 4 === 3 ? ('personal' as const) : ('organization' as const),
          ...(teams ? { teams } : {}),
          ...(i % 3 === 0 ? { expires: `2027-0${1 + (i % 9)}-15` } : {}),
          fields: { headerName: 'X-Key', value: `v${i}` },
        };
      }),
    );
    session.lock();
    const open = async () => (await Vault.open(path)).unlock(undefined, PASSWORD);
    // A page of a search in a session whose index read no dates; each row against one read on its own, with no index.
    const page = listSecrets(await open(), { search: 'svc', offset: 5, limit: 12 }).items;
    const alone = await open();
    expect(page.map((row) => row.name)).toEqual(Array.from({ length: 12 }, (_, k) => `svc-${String(k + 5).padStart(3, '0')}`));
    expect(page).toEqual(page.map((row) => secretSummary(alone, row.id)));
    expect(page.filter((row) => row.teams.length === 2)).toHaveLength(3);
    expect(page.filter((row) => row.expires !== null)).toHaveLength(4);
  });
});
