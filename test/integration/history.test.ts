import { describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/access';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { getSecretValue, listSecrets, revealRevision, secretSummary, secretUsage, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, restoreRevision, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember } from '../../electron/core/vault/members';
import { addWorkspace } from '../../electron/core/vault/structure';
import { fakeClock, newVault, useTempDir } from '../support/vault';

const MINUTE = 60_000;
const VALUES = ['v1-first-4c1e', 'v2-second-4c1e', 'v3-third-4c1e', 'X-Renamed-Header-4c1e'];

async function editedFourTimes(dir: string) {
  const clock = fakeClock();
  const v = await newVault(dir, { context: { clock } });
  const t0 = clock.now();
  registerSecret(v.session, { type: 'api-key', name: 'Stripe', expires: '2027-01-31', fields: { headerName: 'X-Api-Key', value: VALUES[0]! } });
  clock.advance(MINUTE);
  editSecret(v.session, { ref: { name: 'Stripe' }, fields: { value: VALUES[1]! } });
  clock.advance(MINUTE);
  editSecret(v.session, { ref: { name: 'Stripe' }, fields: { value: VALUES[2]!, headerName: VALUES[3]! } });
  clock.advance(MINUTE);
  editSecret(v.session, { ref: { name: 'Stripe' }, name: 'Stripe live', expires: null });
  return { ...v, clock, t0 };
}

describe('history', () => {
  const tempDir = useTempDir();

  it('lists every revision newest first: who, when and which fields changed', async () => {
    const { session, t0 } = await editedFourTimes(tempDir());
    expect(secretHistory(session, { name: 'Stripe live' })).toEqual([
      { revision: 4, created: t0 + 3 * MINUTE, author: 'alice', changed: ['name', 'expires'], current: true },
      { revision: 3, created: t0 + 2 * MINUTE, author: 'alice', changed: ['headerName', 'value'], current: false },
      { revision: 2, created: t0 + MINUTE, author: 'alice', changed: ['value'], current: false },
      { revision: 1, created: t0, author: 'alice', changed: [], current: false },
    ]);
  });

  it('never carries a value, a header name or an old name', async () => {
    const { session } = await editedFourTimes(tempDir());
    const text = JSON.stringify(secretHistory(session, { name: 'Stripe live' }));
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(text).not.toContain('Stripe');
  });

  it('names the author of each revision', async () => {
    const { vault, session } = await newVault(tempDir());
    addWorkspace(session, 'Backend');
    addMember(session, { name: 'bob', role: 'member', password: 'bob password' });
    registerSecret(session, { type: 'api-key', name: 'shared', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'a' } });
    const bob = await vault.unlock('bob', 'bob password');
    editSecret(bob, { ref: { name: 'shared' }, fields: { value: 'b' } });
    expect(secretHistory(session, { name: 'shared' }).map((h) => h.author)).toEqual(['bob', 'alice']);
  });

  it('names changed key/value keys, never their values', async () => {
    const { session } = await newVault(tempDir());
    registerSecret(session, { type: 'key-value', name: 'env', fields: { pairs: [{ key: 'A', value: 'alpha-1' }, { key: 'B', value: 'beta-1' }] } });
    editSecret(session, { ref: { name: 'env' }, fields: { setPairs: [{ key: 'B', value: 'beta-2' }, { key: 'C', value: 'gamma-1' }], removeKeys: ['A'] } });
    const [latest] = secretHistory(session, { name: 'env' });
    expect(latest!.changed.sort()).toEqual(['pairs.A', 'pairs.B', 'pairs.C']);
    expect(JSON.stringify(latest)).not.toMatch(/alpha|beta|gamma/);
  });
});

describe('restore', () => {
  const tempDir = useTempDir();

  it('makes an old revision current as a new revision, keeping every revision', async () => {
    const { session, clock } = await editedFourTimes(tempDir());
    clock.advance(MINUTE);
    const restored = restoreRevision(session, { name: 'Stripe live' }, 1);
    expect(restored).toMatchObject({ name: 'Stripe', revision: 5, expires: Date.parse('2027-01-31T00:00:00Z'), updated: clock.now() });

    const ref = { name: 'Stripe' };
    expect(getSecretValue(session, ref, { use: { door: 'cli', how: 'print' } }).value).toBe(VALUES[0]);
    expect(showSecret(session, ref).fields.find((f) => f.key === 'headerName')!.value).toBe('X-Api-Key');
    const history = secretHistory(session, ref);
    expect(history.map((h) => h.revision)).toEqual([5, 4, 3, 2, 1]);
    expect(history[0]).toMatchObject({ current: true, changed: ['name', 'headerName', 'value', 'expires'] });
    // The restored name is the one the blind index and the listing know.
    expect(() => getSecretValue(session, { name: 'Stripe live' }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(listSecrets(session).items.map((i) => i.name)).toEqual(['Stripe']);
  });

  it('restoring again and again only adds revisions', async () => {
    const { session } = await editedFourTimes(tempDir());
    restoreRevision(session, { name: 'Stripe live' }, 2);
    expect(getSecretValue(session, { name: 'Stripe' }, { use: { door: 'cli', how: 'print' } }).value).toBe(VALUES[1]);
    restoreRevision(session, { name: 'Stripe' }, 4);
    expect(getSecretValue(session, { name: 'Stripe live' }, { use: { door: 'cli', how: 'print' } }).value).toBe(VALUES[2]);
    expect(secretHistory(session, { name: 'Stripe live' })).toHaveLength(6);
  });

  it('refuses the current revision and one that does not exist', async () => {
    const { session } = await editedFourTimes(tempDir());
    expect(() => restoreRevision(session, { name: 'Stripe live' }, 4)).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'revision' }));
    expect(() => restoreRevision(session, { name: 'Stripe live' }, 9)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'revision' }));
    expect(secretHistory(session, { name: 'Stripe live' })).toHaveLength(4);
  });

  it('refuses an old name now taken by another secret, and writes nothing', async () => {
    const { session } = await editedFourTimes(tempDir());
    registerSecret(session, { type: 'api-key', name: 'stripe', fields: { headerName: 'X-Key', value: 'other' } });
    expect(() => restoreRevision(session, { name: 'Stripe live' }, 1)).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'name' }));
    expect(secretHistory(session, { name: 'Stripe live' })).toHaveLength(4);
    expect(getSecretValue(session, { name: 'Stripe live' }, { use: { door: 'cli', how: 'print' } }).value).toBe(VALUES[2]);
  });
});

describe('a restore says what it restored', () => {
  const tempDir = useTempDir();

  it('marks the restoring revision "restored from N" in its sealed content; no other revision carries the mark', async () => {
    const { session } = await editedFourTimes(tempDir());
    restoreRevision(session, { name: 'Stripe live' }, 2);
    const history = secretHistory(session, { name: 'Stripe' });
    expect(history[0]).toMatchObject({ revision: 5, current: true, restoredFrom: 2, changed: ['name', 'headerName', 'value', 'expires'] });
    expect(history.slice(1).every((h) => !('restoredFrom' in h))).toBe(true);
    // An edit after the restore is an edit again.
    editSecret(session, { ref: { name: 'Stripe' }, fields: { value: 'after-restore-4c1e' } });
    expect(secretHistory(session, { name: 'Stripe' })[0]).not.toHaveProperty('restoredFrom');
  });
});

describe('showing an older revision', () => {
  const tempDir = useTempDir();

  it('gives that revision\'s values, recorded and audited as a reveal of the current value is', async () => {
    const { session, clock } = await editedFourTimes(tempDir());
    clock.advance(MINUTE);
    const fields = revealRevision(session, { name: 'Stripe live' }, 2, 'desktop');
    expect(fields).toEqual([
      { key: 'headerName', label: 'Header Name', value: 'X-Api-Key', secret: false },
      { key: 'value', label: 'Value', value: VALUES[1], secret: true },
    ]);
    expect(secretUsage(session, { name: 'Stripe live' }).entries[0]).toMatchObject({ who: 'alice', door: 'desktop', how: 'reveal', at: clock.now() });
    expect(readAudit(session, { action: 'secret.reveal' })).toHaveLength(1);
    // Only a read: the current revision is unchanged.
    expect(getSecretValue(session, { name: 'Stripe live' }, { use: { door: 'cli', how: 'print' } }).value).toBe(VALUES[2]);
    expect(secretHistory(session, { name: 'Stripe live' })).toHaveLength(4);
  });

  it('is a use: a secret scheduled for deletion is Active again', async () => {
    const { session } = await editedFourTimes(tempDir());
    const { id } = scheduleDeletion(session, { name: 'Stripe live' }, 'DELETE');
    revealRevision(session, { id }, 1, 'desktop');
    expect(secretSummary(session, id)).toMatchObject({ status: 'active', deletion: null });
  });

  it('refuses a revision that does not exist, and records nothing', async () => {
    const { session } = await editedFourTimes(tempDir());
    expect(() => revealRevision(session, { name: 'Stripe live' }, 9, 'desktop')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'revision' }));
    expect(() => revealRevision(session, { name: 'Stripe live' }, 0, 'desktop')).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'revision' }));
    expect(secretUsage(session, { name: 'Stripe live' }).entries).toEqual([]);
    expect(readAudit(session, { action: 'secret.reveal' })).toEqual([]);
  });
});
