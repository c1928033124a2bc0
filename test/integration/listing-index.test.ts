import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LISTED_AVAILABILITIES, LISTED_LEVELS, LISTED_STATUSES, LISTED_TYPES } from '../../electron/core/db/listing-flags';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { SCAN } from '../../electron/core/secrets/index-columns';
import { registerSecret } from '../../electron/core/secrets/registration';
import { SecretIndex } from '../../electron/core/secrets/secret-index';
import { Vault } from '../../electron/core/vault/vault';
import { addWorkspace } from '../../electron/core/vault/structure';
import { CONFIRM_WORD } from '../../shared/schemas/lifecycle';
import { AVAILABILITIES, LEVELS, SECRET_TYPES, STATUSES } from '../../shared/schemas/secrets';
import { intoOlderFormat } from '../support/older-format';
import { flipInFile, leftOutOfIndex, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * Migration 11 gives the listing's scan a covering index: each secret's workspace, listing number
 * and enum columns packed as one integer (db/listing-flags.ts), so an unlock reads that index
 * instead of every page of the secrets table.
 */

const WORKSPACE_CHUNK = 'SELECT content FROM name_chunks c JOIN scopes s ON s.id = c.scope_id WHERE s.kind = ?';

const planOf = (path: string) => withRawDb(path, (db) => (db.prepare(`EXPLAIN QUERY PLAN ${SCAN}`).all() as { detail: string }[]).map((r) => r.detail).join('; '));

/** The file's listing, as its only member unlocks it. */
async function listedItems(path: string) {
  const vault = await Vault.open(path);
  const session = await vault.unlock(undefined, PASSWORD);
  const { items } = SecretIndex.of(session).query({ limit: 100 });
  session.lock();
  vault.close();
  return items;
}

/** What a listing shows of each secret that the scan supplies, by name. */
async function listed(path: string) {
  const items = await listedItems(path);
  return Object.fromEntries(items.map((i) => [i.name, { type: i.type, level: i.level, workspace: i.workspace, availability: i.availability, status: i.status }]));
}

describe('the listing index (migration 11)', () => {
  const tmp = useTempDir();

  it('is where an upgraded vault of format 10 is scanned from, and lists every secret as before the upgrade', async () => {
    const dir = tmp();
    const made = await newVault(dir);
    const s = made.session;
    addWorkspace(s, 'Backend');
    addWorkspace(s, 'Data');
    registerSecret(s, { type: 'api-key', name: 'mine', fields: { headerName: 'X-Key', value: 'personal-value' } });
    registerSecret(s, { type: 'bearer-token', name: 'shared', level: 'organization', fields: { headerName: 'Authorization', headerValue: 'Bearer organization-value' } });
    registerSecret(s, { type: 'key-value', name: 'backend-env', level: 'workspace', workspace: 'Backend', fields: { pairs: [{ key: 'A', value: 'backend-value' }] } });
    registerSecret(s, { type: 'api-key', name: 'data-key', level: 'workspace', workspace: 'Data', fields: { headerName: 'X-Key', value: 'data-value' } });
    scheduleDeletion(s, { name: 'data-key' }, CONFIRM_WORD);
    const before = SecretIndex.of(s).query({ limit: 100 }).items.map((i) => ({ ...i, tampered: i.tampered ?? false }));
    s.lock();
    made.vault.close();

    const old = join(dir, 'v10.coffer');
    intoOlderFormat(made.path, old, 10);
    withRawDb(old, (db) => expect(db.pragma('user_version', { simple: true })).toBe(10));
    expect(planOf(old)).not.toContain('secrets_listing');

    const after = await listed(old);
    withRawDb(old, (db) => expect(db.pragma('user_version', { simple: true })).toBe(11));
    expect(planOf(old)).toBe('SCAN secrets USING COVERING INDEX secrets_listing');
    expect(after).toEqual({
      mine: { type: 'api-key', level: 'personal', workspace: null, availability: 'personal', status: 'active' },
      shared: { type: 'bearer-token', level: 'organization', workspace: null, availability: 'entire-organization', status: 'active' },
      'backend-env': { type: 'key-value', level: 'workspace', workspace: 'Backend', availability: 'workspace', status: 'active' },
      'data-key': { type: 'api-key', level: 'workspace', workspace: 'Data', availability: 'workspace', status: 'scheduled' },
    });
    expect(Object.keys(after).sort()).toEqual(before.map((i) => i.name).sort());
  });

  /**
   * A vault of three workspace secrets whose listing index lacks `second`'s entry, as a damaged page
   * of it can read; `chunkBefore`, the workspace's name chunk as it was when only `first` was in it.
   */
  async function secondLeftOut(dir: string) {
    const { path, vault, session } = await newVault(dir);
    addWorkspace(session, 'Backend');
    const register = (name: string) =>
      registerSecret(session, { type: 'key-value', name, level: 'workspace', workspace: 'Backend', fields: { pairs: [{ key: 'K', value: `value-of-${name}` }] } });
    register('first');
    const chunkBefore = session.db.value<Buffer>(WORKSPACE_CHUNK, 'workspace')!;
    register('second');
    register('third');
    const lost = SecretIndex.of(session).query({ limit: 10 }).items.find((i) => i.name === 'second')!;
    session.lock();
    vault.close();
    leftOutOfIndex(path, 'secrets_listing', `id = '${lost.id}'`);
    const scanned = withRawDb(path, (db) => (db.prepare(SCAN).raw().all() as [string, string, string][]).flatMap(([, seqs]) => JSON.parse(seqs) as number[]));
    expect(scanned).toHaveLength(2);
    return { path, lost, chunkBefore };
  }

  it('lists a secret that a damaged index leaves out as tampered, with the columns of its row, instead of losing it', async () => {
    const { path, lost } = await secondLeftOut(tmp());
    const items = await listedItems(path);
    expect(items.filter((i) => !i.tampered).map((i) => i.name).sort()).toEqual(['first', 'third']);
    expect(items.filter((i) => i.tampered)).toMatchObject([{ id: lost.id, name: 'second', type: 'key-value', level: 'workspace', workspace: 'Backend' }]);
  });

  it('lists it so when its wrapped key is gone too', async () => {
    const { path, lost } = await secondLeftOut(tmp());
    withRawDb(path, (db) => db.prepare('DELETE FROM reader_keys WHERE secret_seq = (SELECT seq FROM secrets WHERE id = ?)').run(lost.id));
    const items = await listedItems(path);
    expect(items.filter((i) => i.tampered)).toMatchObject([{ id: lost.id, name: 'second' }]);
    expect(items).toHaveLength(3);
  });

  it('lists it so when its chunk is an older copy that does not name it', async () => {
    const { path, lost, chunkBefore } = await secondLeftOut(tmp());
    withRawDb(path, (db) => db.prepare('UPDATE name_chunks SET content = ?, entries = 1 WHERE scope_id IN (SELECT id FROM scopes WHERE kind = ?)').run(chunkBefore, 'workspace'));
    const items = await listedItems(path);
    expect(items.filter((i) => !i.tampered).map((i) => i.name)).toEqual(['first']);
    expect(items.filter((i) => i.tampered).map((i) => i.id)).toContain(lost.id);
    expect(items).toHaveLength(3);
  });

  it('lists it so when the chunk that names it does not open either', async () => {
    const { path, lost } = await secondLeftOut(tmp());
    flipInFile(path, withRawDb(path, (db) => db.prepare(WORKSPACE_CHUNK).pluck().get('workspace') as Buffer));
    const items = await listedItems(path);
    expect(items.every((i) => i.tampered)).toBe(true);
    expect(items.map((i) => i.id)).toContain(lost.id);
    expect(items).toHaveLength(3);
  });

  it('packs the values in the order the product lists them: a new one needs a migration that indexes it', () => {
    expect(LISTED_TYPES).toEqual(SECRET_TYPES);
    expect(LISTED_LEVELS).toEqual(LEVELS);
    expect(LISTED_AVAILABILITIES).toEqual(AVAILABILITIES);
    expect(LISTED_STATUSES).toEqual(STATUSES);
  });
});
