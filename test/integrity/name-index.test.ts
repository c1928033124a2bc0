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
 * one name would hand over (or delete) the other secret. The name hash is in each secret's head,
 * and names are sealed in each revision (the check that remains for a vault made before heads,
 * whose rows have none): the mismatch is TAMPERED, nothing is read or changed, and the rest of the
 * vault works.
 */
describe('a swapped name index', () => {
  const tempDir = useTempDir();

  const apiKey = (name: string, value: string) => ({ type: 'api-key' as const, name, level: 'personal' as const, fields: { headerName: 'Authorization', value } });

  async function swapped(opts: { legacy?: boolean } = {}) {
    const { path, vault, session } = await newVault(tempDir());
    const staging = registerSecret(session, apiKey('staging-db', 'staging-value'));
    const production = registerSecret(session, apiKey('production-db', 'production-value'));
    vault.close();
    withRawDb(path, (db) =>
      db.transaction(() => {
        // As a vault made before heads: rows without one, read as legacy.
        if (opts.legacy) db.prepare('UPDATE secrets SET head = NULL').run();
        const hashOf = db.prepare('SELECT name_hash FROM secrets WHERE id = ?').pluck();
        const [a, b] = [hashOf.get(staging.id), hashOf.get(production.id)];
        const set = db.prepare('UPDATE secrets SET name_hash = ? WHERE id = ?');
        set.run(Buffer.alloc(32), staging.id);
        set.run(a, production.id);
        set.run(b, staging.id);
      })(),
    );
    const reopened = await Vault.open(path);
    const unlocked = await reopened.unlock(undefined, PASSWORD);
    // Rows without a head are read as legacy only by a member who has not adopted heads yet.
    if (opts.legacy) unlocked.acceptsLegacyHeads = true;
    return { path, vault: reopened, session: unlocked, staging, production };
  }

  it('is TAMPERED for a read by name, and no value leaves', async () => {
    for (const legacy of [false, true]) {
      const { vault, session } = await swapped({ legacy });
      const read = () => getSecretValue(session, { name: 'staging-db' }, { use: { door: 'cli', how: 'print' } });
      // The head fails first; without heads, the name sealed in the revision does, naming the field.
      expect(read).toThrow(expect.objectContaining({ code: 'TAMPERED', ...(legacy ? { field: 'name' } : {}) }));
      try {
        read();
      } catch (e) {
        expect(String((e as Error).message)).not.toContain('production');
      }
      vault.close();
    }
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
    // Opened by id, as the app does, each secret's own row no longer matches its head either.
    expect(() => getSecretValue(session, { id: production.id }, { use: { door: 'cli', how: 'print' } })).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    vault.close();
  });

  it('in a vault made before heads, each secret is still itself when opened by id', async () => {
    const { vault, session, production } = await swapped({ legacy: true });
    expect(() => editSecret(session, { ref: { name: 'staging-db' }, fields: { value: 'overwritten' } })).toThrow(expect.objectContaining({ code: 'TAMPERED', field: 'name' }));
    expect(getSecretValue(session, { id: production.id }, { use: { door: 'cli', how: 'print' } }).value).toBe('production-value');
    vault.close();
  });
});
