import { describe, expect, it } from 'vitest';
import { unreadableScopes } from '../../electron/core/vault/damage';
import type { Session } from '../../electron/core/vault/session';
import { Vault } from '../../electron/core/vault/vault';
import { getSecretValue, listSecrets, showSecret } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { flipByte, vaultBytes, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

const tampered = expect.objectContaining({ code: 'TAMPERED' });

/** Three secrets: two personal (same scope), one organization. */
async function vaultWithSecrets(dir: string) {
  const v = await newVault(dir);
  const a = registerSecret(v.session, { type: 'api-key', name: 'Alpha', fields: { headerName: 'X-Alpha', value: 'alpha-value' } });
  const b = registerSecret(v.session, { type: 'api-key', name: 'Beta', fields: { headerName: 'X-Beta', value: 'beta-value' } });
  const o = registerSecret(v.session, { type: 'key-value', name: 'Org env', level: 'organization', fields: { pairs: [{ key: 'K', value: 'org-value' }] } });
  return { ...v, a, b, o };
}

const value = (session: Session, name: string, level?: 'personal' | 'organization') =>
  getSecretValue(session, { name, ...(level ? { level } : {}) }, { use: { door: 'cli', how: 'print' } }).value;

describe('a byte flipped in the file', () => {
  const tempDir = useTempDir();

  it('in revisions.content: that secret is TAMPERED, the others stay readable', async () => {
    const { path, session, a } = await vaultWithSecrets(tempDir());
    flipByte(path, 'revisions', 'content', 'secret_id = ? AND revision = 1', [a.id]);
    expect(() => value(session, 'Alpha')).toThrow(tampered);
    expect(() => showSecret(session, { name: 'Alpha' })).toThrow(tampered);
    expect(() => editSecret(session, { ref: { name: 'Alpha' }, fields: { value: 'x' } })).toThrow(tampered);
    expect(secretHistory(session, { name: 'Alpha' })).toEqual([expect.objectContaining({ revision: 1, tampered: true })]);
    expect(value(session, 'Beta')).toBe('beta-value');
    expect(value(session, 'Org env')).toBe('K=org-value');
    // The name lives in its chunk, so the listing still shows the secret.
    expect(listSecrets(session).items.map((i) => i.name)).toEqual(['Alpha', 'Beta', 'Org env']);
  });

  it('in secret_readers.wrapped_key: that secret is TAMPERED, the others stay readable', async () => {
    const { path, session, a } = await vaultWithSecrets(tempDir());
    flipByte(path, 'secret_readers', 'wrapped_key', 'secret_id = ?', [a.id]);
    expect(() => value(session, 'Alpha')).toThrow(tampered);
    expect(() => secretHistory(session, { name: 'Alpha' })).toThrow(tampered);
    expect(value(session, 'Beta')).toBe('beta-value');
    expect(value(session, 'Org env')).toBe('K=org-value');
  });

  it('in name_chunks.content: the names of that chunk are marked tampered, values and other scopes are untouched', async () => {
    const { path, session, a, b, o } = await vaultWithSecrets(tempDir());
    const personalScope = withRawDb(path, (db) => (db.prepare('SELECT scope_id FROM secrets WHERE id = ?').get(a.id) as { scope_id: string }).scope_id);
    expect(listSecrets(session).items).toHaveLength(3);
    flipByte(path, 'name_chunks', 'content', 'scope_id = ?', [personalScope]);

    const items = listSecrets(session).items;
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(a.id)).toMatchObject({ tampered: true, name: '' });
    expect(byId.get(b.id)).toMatchObject({ tampered: true, name: '' });
    expect(byId.get(o.id)).toMatchObject({ name: 'Org env' });
    expect(byId.get(o.id)!.tampered).toBeUndefined();

    // Values are found through the blind index and their own revision, not the chunk.
    expect(value(session, 'Alpha')).toBe('alpha-value');
    // A rename must rewrite the chunk, which cannot be verified.
    expect(() => editSecret(session, { ref: { name: 'Beta' }, name: 'Gamma' })).toThrow(tampered);
    // New secrets of the scope go to a fresh chunk and list normally.
    const c = registerSecret(session, { type: 'api-key', name: 'Delta', fields: { headerName: 'X-D', value: 'delta-value' } });
    expect(listSecrets(session, { search: 'delta' }).items).toEqual([expect.objectContaining({ id: c.id, name: 'Delta' })]);
    expect(listSecrets(session, { search: 'delta' }).items[0]!.tampered).toBeUndefined();
  });

  it('in scope_grants.sealed_key: that scope alone is lost to its member, and named with its secrets; the vault still unlocks', async () => {
    const { path, vault, session, o } = await vaultWithSecrets(tempDir());
    const orgScope = withRawDb(path, (db) => (db.prepare('SELECT scope_id FROM secrets WHERE id = ?').get(o.id) as { scope_id: string }).scope_id);
    session.lock();
    flipByte(path, 'scope_grants', 'sealed_key', 'scope_id = ?', [orgScope]);
    const again = await vault.unlock(undefined, PASSWORD);
    expect(value(again, 'Alpha')).toBe('alpha-value');
    expect(listSecrets(again).items.map((i) => i.name)).toEqual(['Alpha', 'Beta']);
    expect(unreadableScopes(again)).toEqual([{ scope: 'the organization', secrets: 1 }]);
    // Not "no such secret": the key that would find it does not open.
    expect(() => value(again, 'Org env')).toThrow(expect.objectContaining({ code: 'TAMPERED', field: 'name' }));
  });

  it('anywhere in a revision ciphertext, at the first, middle and last byte', async () => {
    const { path, session, a } = await vaultWithSecrets(tempDir());
    const length = withRawDb(path, (db) => (db.prepare('SELECT length(content) AS n FROM revisions WHERE secret_id = ?').get(a.id) as { n: number }).n);
    for (const offset of [0, 23, 24, length >> 1, length - 1]) {
      flipByte(path, 'revisions', 'content', 'secret_id = ?', [a.id], offset);
      expect(() => value(session, 'Alpha')).toThrow(tampered);
      flipByte(path, 'revisions', 'content', 'secret_id = ?', [a.id], offset);
      expect(value(session, 'Alpha')).toBe('alpha-value');
    }
  });
});

describe('a ciphertext moved with plain SQL', () => {
  const tempDir = useTempDir();

  it("one secret's revision copied into another's row is TAMPERED", async () => {
    const { path, session, a, b } = await vaultWithSecrets(tempDir());
    withRawDb(path, (db) =>
      db.prepare('UPDATE revisions SET content = (SELECT content FROM revisions WHERE secret_id = ?) WHERE secret_id = ?').run(a.id, b.id),
    );
    expect(() => value(session, 'Beta')).toThrow(tampered);
    expect(value(session, 'Alpha')).toBe('alpha-value');
  });

  it("one secret's wrapped data key copied into another's row is TAMPERED", async () => {
    const { path, session, a, b } = await vaultWithSecrets(tempDir());
    withRawDb(path, (db) =>
      db.prepare('UPDATE secret_readers SET wrapped_key = (SELECT wrapped_key FROM secret_readers WHERE secret_id = ?) WHERE secret_id = ?').run(a.id, b.id),
    );
    expect(() => value(session, 'Beta')).toThrow(tampered);
    expect(value(session, 'Alpha')).toBe('alpha-value');
  });

  it('an old revision copied over the current one (a rollback) is TAMPERED', async () => {
    const { path, session, a } = await vaultWithSecrets(tempDir());
    editSecret(session, { ref: { name: 'Alpha' }, fields: { value: 'alpha-rotated' } });
    withRawDb(path, (db) =>
      db
        .prepare('UPDATE revisions SET content = (SELECT content FROM revisions WHERE secret_id = @id AND revision = 1) WHERE secret_id = @id AND revision = 2')
        .run({ id: a.id }),
    );
    expect(() => value(session, 'Alpha')).toThrow(tampered);
  });

  it("a name chunk copied from one scope to another marks that scope's names tampered", async () => {
    const { path, session, a, o } = await vaultWithSecrets(tempDir());
    withRawDb(path, (db) => {
      const scope = (id: string) => (db.prepare('SELECT scope_id FROM secrets WHERE id = ?').get(id) as { scope_id: string }).scope_id;
      db.prepare('UPDATE name_chunks SET content = (SELECT content FROM name_chunks WHERE scope_id = ?) WHERE scope_id = ?').run(scope(o.id), scope(a.id));
    });
    const items = listSecrets(session).items;
    expect(items.find((i) => i.id === a.id)).toMatchObject({ tampered: true });
    expect(items.find((i) => i.id === o.id)).toMatchObject({ name: 'Org env' });
  });

  it('a secret type changed in its clear column is TAMPERED', async () => {
    const { path, session, a } = await vaultWithSecrets(tempDir());
    withRawDb(path, (db) => db.prepare("UPDATE secrets SET type = 'bearer-token' WHERE id = ?").run(a.id));
    expect(() => value(session, 'Alpha')).toThrow(tampered);
    expect(value(session, 'Beta')).toBe('beta-value');
  });
});

describe('the file at rest', () => {
  const tempDir = useTempDir();

  it('holds no name, value, header name, client id or URL in clear', async () => {
    const { path, vault, session } = await newVault(tempDir());
    const clear = ['Zebra-Name-41d', 'X-Zebra-Header', 'zebra-value-8b1', 'zebra-client', 'zebra-idp.example.com', 'ZEBRA_KEY', 'zebra-pair'];
    registerSecret(session, { type: 'api-key', name: clear[0]!, fields: { headerName: clear[1]!, value: clear[2]! } });
    registerSecret(session, { type: 'client-credentials', name: 'cc', level: 'organization', fields: { clientId: clear[3]!, url: `https://${clear[4]}/t`, clientSecret: 'cs-1' } });
    registerSecret(session, { type: 'key-value', name: 'kv', fields: { pairs: [{ key: clear[5]!, value: clear[6]! }] } });
    getSecretValue(session, { name: clear[0]! }, { use: { door: 'cli', how: 'print', detail: 'zebra-consumer' } });
    session.lock();
    vault.close();
    const bytes = vaultBytes(path).toString('latin1');
    for (const s of [...clear, 'zebra-consumer']) expect(bytes).not.toContain(s);
  });

  it('refuses key derivation parameters outside their bounds before deriving anything', async () => {
    const { path, vault } = await newVault(tempDir());
    vault.close();
    for (const [column, bad] of [
      ['kdf_ops', 1_000_000],
      ['kdf_mem', 64 * 1024 * 1024 * 1024],
      ['kdf_mem', 1024],
      ['kdf_alg', 'scrypt'],
    ] as const) {
      const before = withRawDb(path, (db) => db.prepare(`SELECT ${column} AS v FROM members`).get() as { v: unknown }).v;
      withRawDb(path, (db) => db.prepare(`UPDATE members SET ${column} = ?`).run(bad));
      const v = await Vault.open(path);
      await expect(v.unlock(undefined, PASSWORD)).rejects.toThrow(tampered);
      v.close();
      withRawDb(path, (db) => db.prepare(`UPDATE members SET ${column} = ?`).run(before));
    }
    const v = await Vault.open(path);
    await expect(v.unlock(undefined, PASSWORD)).resolves.toBeDefined();
    v.close();
  });
});
