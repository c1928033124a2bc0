import { describe, expect, it } from 'vitest';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { Vault } from '../../electron/core/vault/vault';
import { tablesDigest, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * Someone who holds the file but no key swaps two secrets' blind-index hashes, so that asking for
 * one name would hand over (or delete) the other secret. Names are sealed in each revision: the
 * mismatch is TAMPERED, nothing is read or changed, and the rest of the vault works.
 */
describe('a swapped name index', () => {
  const tempDir = useTempDir();

  const apiKey = (name: string, value: string) => ({ type: 'api-key' as const, name, level: 'personal' as const, fields: { headerName: 'Authorization', value } });

  async function swapped() {
    const { path, vault, session } = await newVault(tempDir());
    const staging = registerSecret(session, apiKey('staging-db', 'staging-value'));
    const production = registerSecret(session, apiKey('production-db', 'production-value'));
    vault.close();
    withRawDb(path, (db) =>
      db.transaction(() => {
        const hashOf = db.prepare('SELECT name_hash FROM secrets WHERE id = ?').pluck();
        const [a, b] = [hashOf.get(staging.id), hashOf.get(production.id)];
        const set = db.prepare('UPDATE secrets SET name_hash = ? WHERE id = ?');
        set.run(Buffer.alloc(32), staging.id);
        set.run(a, production.id);
        set.run(b, staging.id);
      })(),
    );
    const reopened = await Vault.open(path);
    return { path, vault: reopened, session: await reopened.unlock(undefined, PASSWORD), staging, production };
  }

  it('is TAMPERED for a read by name, and no value leaves', async () => {
    const { vault, session } = await swapped();
    const read = () => getSecretValue(session, { name: 'staging-db' }, { consumer: 'test' });
    expect(read).toThrow(expect.objectContaining({ code: 'TAMPERED', field: 'name' }));
    try {
      read();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('production');
    }
    vault.close();
  });

  it('refuses to edit or schedule the other secret by name, and changes nothing', async () => {
    const { path, vault, session, production } = await swapped();
    const before = tablesDigest(path);
    expect(() => editSecret(session, { ref: { name: 'staging-db' }, fields: { value: 'overwritten' } })).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(() => scheduleDeletion(session, { name: 'staging-db' }, 'DELETE')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(tablesDigest(path)).toBe(before);
    const listed = listSecrets(session).items;
    expect(listed.map((s) => [s.name, s.status]).sort()).toEqual([
      ['production-db', 'active'],
      ['staging-db', 'active'],
    ]);
    // Each secret is still itself when opened by id, as the app does.
    expect(getSecretValue(session, { id: production.id }, { consumer: 'test' }).value).toBe('production-value');
    vault.close();
  });
});
