import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { ad, open } from '../../electron/core/crypto/aead';
import { sealTo } from '../../electron/core/crypto/keys';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import { lockedPass, sessionPass } from '../../electron/core/lifecycle/passes';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret } from '../../electron/core/secrets/revisions';
import { addMember, removeMember } from '../../electron/core/vault/members';
import { addWorkspace } from '../../electron/core/vault/structure';
import type { Session } from '../../electron/core/vault/session';
import { Vault, prepareMember, sealMemberKeys } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import content from '../fixtures/vaults/content.json';
import { withRawDb } from '../support/sql';
import { useTempDir } from '../support/vault';

/**
 * The hostile co-member suite's attacks (docs/product.md §1a; test/integrity/*), one each, on a
 * vault made before the signed form (schema 5, test/fixtures/vaults/v5.sqlite) and upgraded: the
 * migration, then Alice's unlock signing the roster and Bob's pinning it. Each fails there as it
 * does on a vault made today.
 */

const PASSWORD = content.password;
const tampered = expect.objectContaining({ code: 'TAMPERED' });
const get = (s: Session, name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;
const apiKey = (name: string, value: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name, fields: { headerName: 'X-Key', value }, ...place }) as RegisterSecretInput;
const idOf = (path: string, table: 'members', login: string) =>
  withRawDb(path, (db) => (db.prepare(`SELECT id FROM ${table} WHERE login = ?`).get(login) as { id: string }).id);

describe('a vault made before the signed form, upgraded', () => {
  const tempDir = useTempDir();
  let path = '';
  let vault: Vault;

  beforeEach(async () => {
    path = join(tempDir(), 'upgraded.coffer');
    copyFileSync(join(__dirname, '..', 'fixtures', 'vaults', 'v5.sqlite'), path);
    vault = await Vault.open(path);
    await vault.unlock('alice', PASSWORD);
    await vault.unlock('bob', PASSWORD);
  });

  it('is at the latest schema, its backup and itself 0600 (finding 9)', () => {
    expect(withRawDb(path, (db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}.pre-v${LATEST_VERSION}.bak`).mode & 0o777).toBe(0o600);
  });

  it('finding 1: a planted member row receives no key and cannot unlock', async () => {
    const m = prepareMember(vault.ctx, { login: 'mallory', role: 'account-holder', password: PASSWORD, profile: 'fast' });
    const sealed = sealMemberKeys(vault.ctx, vault.id, m, undefined);
    withRawDb(path, (db) =>
      db
        .prepare(
          `INSERT INTO members (id, login, role, created_at, kdf_alg, kdf_profile, kdf_ops, kdf_mem, kdf_salt, box_public, sign_public, secret_keys)
           VALUES (?, 'mallory', 'account-holder', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.id, m.kdf.alg, m.kdf.profile, m.kdf.opslimit, m.kdf.memlimit, m.kdf.salt, m.keys.boxPublic, m.keys.signPublic, sealed),
    );
    const alice = await vault.unlock('alice', PASSWORD);
    addWorkspace(alice, 'Frontend');
    const grants = withRawDb(path, (db) => db.prepare('SELECT count(*) AS n FROM scope_grants WHERE grantee_id = ?').get(m.id) as { n: number });
    expect(grants.n).toBe(0);
    await expect(vault.unlock('mallory', PASSWORD)).rejects.toEqual(tampered);
  });

  it("finding 2: a grant replaced by a key the attacker chose is not used, and nothing is written under it", async () => {
    const bob = await vault.unlock('bob', PASSWORD);
    const personal = bob.personalScopeId();
    const bobId = idOf(path, 'members', 'bob');
    withRawDb(path, (db) => {
      const box = (db.prepare('SELECT box_public FROM members WHERE id = ?').get(bobId) as { box_public: Buffer }).box_public;
      db.prepare('UPDATE scope_grants SET sealed_key = ? WHERE grantee_id = ? AND scope_id = ?').run(sealTo(box, new Uint8Array(32).fill(9)), bobId, personal);
    });
    const again = await vault.unlock('bob', PASSWORD);
    expect(again.accessFindings.grantsRejected).toBe(1);
    expect(() => registerSecret(again, apiKey('mine', 'x'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('finding 3: a role written into the members table changes no permission', async () => {
    withRawDb(path, (db) => db.prepare("UPDATE members SET role = 'account-holder' WHERE login = 'bob'").run());
    const bob = await vault.unlock('bob', PASSWORD);
    expect(bob.member.role).toBe('member');
    expect(() => addMember(bob, { name: 'eve', role: 'member', password: PASSWORD })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('finding 4: two name hashes swapped make the read TAMPERED, not the other value', async () => {
    withRawDb(path, (db) => {
      const rows = db.prepare('SELECT id, name_hash FROM secrets WHERE workspace_id IS NOT NULL ORDER BY id').all() as { id: string; name_hash: Buffer }[];
      const swap = db.prepare('UPDATE secrets SET name_hash = ? WHERE id = ?');
      swap.run(Buffer.alloc(32), rows[0]!.id);
      swap.run(rows[0]!.name_hash, rows[1]!.id);
      swap.run(rows[1]!.name_hash, rows[0]!.id);
    });
    const alice = await vault.unlock('alice', PASSWORD);
    expect(() => get(alice, 'ci-token')).toThrow(tampered);
  });

  it('finding 5: the current revision set back, later revisions deleted, is TAMPERED', async () => {
    withRawDb(path, (db) => {
      const id = (db.prepare("SELECT id FROM secrets WHERE revision = 2 AND level = 'personal'").get() as { id: string }).id;
      db.prepare('UPDATE secrets SET revision = 1 WHERE id = ?').run(id);
      db.prepare('DELETE FROM revisions WHERE secret_id = ? AND revision = 2').run(id);
    });
    const alice = await vault.unlock('alice', PASSWORD);
    expect(() => get(alice, 'stripe')).toThrow(tampered);
    expect(get(alice, 'ci-token')).toBe('Bearer fixture-two');
  });

  it('finding 6: entries cut off the end of the audit log are reported, never healed', async () => {
    withRawDb(path, (db) => db.prepare('DELETE FROM audit WHERE seq > (SELECT max(seq) - 2 FROM audit)').run());
    const alice = await vault.unlock('alice', PASSWORD);
    expect(verifyAuditFor(alice).ok).toBe(false);
  });

  it('finding 7: periods of 0 days purge nothing, locked or unlocked', async () => {
    withRawDb(path, (db) => db.prepare("UPDATE meta SET value = '0' WHERE key IN ('inactive_days', 'deletion_days')").run());
    const count = () => withRawDb(path, (db) => (db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n);
    const before = count();
    expect(lockedPass(vault).purged).toBe(0);
    const alice = await vault.unlock('alice', PASSWORD);
    expect(sessionPass(alice).purged).toBe(0);
    expect(count()).toBe(before);
  });

  it('finding 8: a removed member\'s kept organization key opens nothing written afterwards', async () => {
    const bob = await vault.unlock('bob', PASSWORD);
    const kept = bob.scopeKey(vault.orgScopeId).key.slice();
    const alice = await vault.unlock('alice', PASSWORD);
    removeMember(alice, 'bob');
    editSecret(alice, { ref: { name: 'api-tls' }, name: 'api-tls-renamed' });
    const wrapped = withRawDb(path, (db) =>
      db.prepare('SELECT r.secret_id, r.key_version, r.wrapped_key FROM secret_readers r WHERE r.scope_id = ?').all(vault.orgScopeId),
    ) as { secret_id: string; key_version: number; wrapped_key: Buffer }[];
    expect(wrapped.length).toBeGreaterThan(0);
    for (const w of wrapped) {
      expect(() => open(kept, w.wrapped_key, ad('coffer/v1/data-key', vault.id, w.secret_id, vault.orgScopeId, w.key_version), 'x')).toThrow();
    }
  });
});
