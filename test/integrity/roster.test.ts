import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealTo } from '../../electron/core/crypto/keys';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { secretHistory } from '../../electron/core/secrets/revisions';
import { addMember, listMembers, removeMember, setMemberRole } from '../../electron/core/vault/members';
import { addTeam, addTeamMember, addWorkspace, listWorkspaces } from '../../electron/core/vault/structure';
import { Vault, prepareMember, sealMemberKeys } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { clearScopeOf, tablesDigest, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * The signed roster and authenticated grants (docs/product.md §1a, SECURITY.md "The roster"),
 * against someone who edits the file with plain SQL and holds no key: findings 1 to 3 of the
 * integrity review, and the ways around the roster itself (cutting it, replacing it, forging
 * entries). Each attack ends in TAMPERED or a refusal; nothing is sealed to anyone not on the
 * roster, and the rest of the vault stays usable.
 */

const pw = (login: string) => `${login} password 123`;
const tampered = expect.objectContaining({ code: 'TAMPERED' });
const apiKey = (name: string, value: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name, fields: { headerName: 'X-Key', value }, ...place }) as RegisterSecretInput;
const value = (s: Parameters<typeof getSecretValue>[0], name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;

async function organization(dir: string) {
  const { path, vault, session: alice } = await newVault(dir);
  addWorkspace(alice, 'Backend');
  addTeam(alice, 'Payments');
  addMember(alice, { name: 'bob', role: 'member', password: pw('bob') });
  addMember(alice, { name: 'carol', role: 'sys-admin', password: pw('carol') });
  addTeamMember(alice, 'Payments', 'bob');
  registerSecret(alice, apiKey('Org token', 'org-value', { level: 'organization' }));
  registerSecret(alice, apiKey('Card processor', 'pay-value', { level: 'organization', teams: ['Payments'] }));
  return { path, vault, alice };
}

/**
 * A member row as finding 1 planted it: keys and a password only the attacker holds, sealed the way
 * Coffer seals them (the attacker has the code and the vault id, which is clear).
 */
function plantMember(vault: Vault, login: string): void {
  const m = prepareMember(vault.ctx, { login, role: 'account-holder', password: PASSWORD, profile: 'fast' });
  const sealed = sealMemberKeys(vault.ctx, vault.id, m, undefined);
  withRawDb(vault.path, (db) => {
    db.prepare(
      `INSERT INTO members (id, login, role, created_at, kdf_alg, kdf_profile, kdf_ops, kdf_mem, kdf_salt, box_public, sign_public, secret_keys)
       VALUES (?, ?, 'account-holder', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.id, login, m.kdf.alg, m.kdf.profile, m.kdf.opslimit, m.kdf.memlimit, m.kdf.salt, m.keys.boxPublic, m.keys.signPublic, sealed);
  });
}

const grantsTo = (path: string, granteeId: string) =>
  withRawDb(path, (db) => db.prepare("SELECT scope_id FROM scope_grants WHERE grantee_kind = 'member' AND grantee_id = ?").all(granteeId) as { scope_id: string }[]);

const memberId = (path: string, login: string) => withRawDb(path, (db) => (db.prepare('SELECT id FROM members WHERE login = ?').get(login) as { id: string }).id);

describe('finding 1: a member row planted in the file', () => {
  const tempDir = useTempDir();

  it('receives no key: new workspaces and members are sealed to the roster only, and the planted login cannot unlock', async () => {
    const { path, vault } = await organization(tempDir());
    plantMember(vault, 'mallory');
    const planted = memberId(path, 'mallory');
    const alice = await vault.unlock('alice', PASSWORD);
    expect(alice.accessFindings.structure).toEqual(expect.arrayContaining([expect.stringContaining('mallory')]));
    addWorkspace(alice, 'Frontend');
    addMember(alice, { name: 'dave', role: 'member', password: pw('dave') });
    expect(grantsTo(path, planted)).toEqual([]);
    expect(listMembers(alice).map((m) => m.name)).not.toContain('mallory');
    await expect(vault.unlock('mallory', PASSWORD)).rejects.toEqual(tampered);
  });
});

describe('finding 2: a grant replaced by a key the attacker chose', () => {
  const tempDir = useTempDir();

  it('is not used: the member cannot read or write that scope, so nothing is sealed under the chosen key', async () => {
    const { path, vault } = await organization(tempDir());
    const bobId = memberId(path, 'bob');
    const bobPersonal = await vault.unlock('bob', pw('bob')).then((s) => s.personalScopeId());
    const chosen = new Uint8Array(32).fill(7);
    withRawDb(path, (db) => {
      const box = (db.prepare('SELECT box_public FROM members WHERE id = ?').get(bobId) as { box_public: Buffer }).box_public;
      // The signature of the genuine grant stays: it covers the sealed box, which changed.
      db.prepare("UPDATE scope_grants SET sealed_key = ? WHERE grantee_id = ? AND scope_id = ?").run(sealTo(box, chosen), bobId, bobPersonal);
    });
    const bob = await vault.unlock('bob', pw('bob'));
    expect(bob.accessFindings.grantsRejected).toBe(1);
    expect(bob.canRead(bobPersonal)).toBe(false);
    expect(() => registerSecret(bob, apiKey('Mine', 'bob-private'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    // The rest of bob's vault is usable.
    expect(value(bob, 'Org token')).toBe('org-value');
  });

  it('signed by the attacker as a removed member, or unsigned, is not used either', async () => {
    const { path, vault, alice } = await organization(tempDir());
    const carolId = memberId(path, 'carol');
    removeMember(alice, 'carol');
    const bobId = memberId(path, 'bob');
    withRawDb(path, (db) => {
      db.prepare("UPDATE scope_grants SET granter_id = ? WHERE grantee_id = ? AND scope_id = ?").run(carolId, bobId, vault.orgScopeId);
    });
    const bob = await vault.unlock('bob', pw('bob'));
    expect(bob.accessFindings.grantsRejected).toBe(1);
    withRawDb(path, (db) => db.prepare('UPDATE scope_grants SET granter_id = NULL, signature = NULL WHERE grantee_id = ?').run(bobId));
    const again = await vault.unlock('bob', pw('bob'));
    expect(again.readableScopes()).toEqual([]);
  });

  it('grants signed by a member who is later removed are signed again by the remover, and keep working', async () => {
    const { path, vault, alice } = await organization(tempDir());
    const carol = await vault.unlock('carol', pw('carol'));
    addMember(carol, { name: 'erin', role: 'member', password: pw('erin') });
    removeMember(alice, 'carol');
    const erin = await vault.unlock('erin', pw('erin'));
    expect(erin.accessFindings.grantsRejected).toBe(0);
    expect(erin.canRead(erin.personalScopeId())).toBe(true);
    expect(value(erin, 'Org token')).toBe('org-value');
    expect(grantsTo(path, memberId(path, 'erin')).length).toBeGreaterThan(0);
  });
});

describe('revision authors after a removal', () => {
  const tempDir = useTempDir();

  it("stay named: a removed member's key still vouches for what they wrote while a member", async () => {
    const { vault, alice } = await organization(tempDir());
    const carol = await vault.unlock('carol', pw('carol'));
    registerSecret(carol, apiKey('Carol db', 'v1', { level: 'workspace', workspace: 'Backend' }));
    removeMember(alice, 'carol');
    const history = secretHistory(await vault.unlock('alice', PASSWORD), { name: 'Carol db' });
    expect(history.map((h) => [h.author, h.authorUnverified])).toEqual([['carol', undefined]]);
  });
});

describe('finding 3: roles as clear columns', () => {
  const tempDir = useTempDir();

  it('a Member set to Account Holder with SQL keeps the Member role: organization secrets stay closed to writes', async () => {
    const { path, vault } = await organization(tempDir());
    withRawDb(path, (db) => db.prepare("UPDATE members SET role = 'account-holder' WHERE login = 'bob'").run());
    const bob = await vault.unlock('bob', pw('bob'));
    expect(bob.member.role).toBe('member');
    expect(() => registerSecret(bob, apiKey('Forged', 'x', { level: 'organization' }))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => addMember(bob, { name: 'eve', role: 'account-holder', password: pw('eve') })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    const alice = await vault.unlock('alice', PASSWORD);
    expect(alice.accessFindings.structure).toEqual([expect.stringContaining('bob')]);
  });

  it('a workspace pointed at another scope with SQL still writes to its own', async () => {
    const { path, vault } = await organization(tempDir());
    const payments = clearScopeOf(vault.db, 'team', 'Payments');
    withRawDb(path, (db) => db.prepare("UPDATE workspaces SET scope_id = ? WHERE name = 'Backend'").run(payments));
    const alice = await vault.unlock('alice', PASSWORD);
    expect(alice.accessFindings.structure.length).toBeGreaterThan(0);
    const s = registerSecret(alice, apiKey('Backend db', 'ws', { level: 'workspace', workspace: 'Backend' }));
    const home = withRawDb(path, (db) => (db.prepare('SELECT scope_id FROM secrets WHERE id = ?').get(s.id) as { scope_id: string }).scope_id);
    expect(home).not.toBe(payments);
    expect(listWorkspaces(alice).map((w) => w.name)).toEqual(['Backend']);
  });
});

describe('the roster itself', () => {
  const tempDir = useTempDir();

  it('an entry altered in place stops verification there: unlock reports it and no access changes until restored', async () => {
    const { path, vault } = await organization(tempDir());
    withRawDb(path, (db) => db.prepare("UPDATE roster SET body = replace(body, '\"member\"', '\"account-holder\"') WHERE seq = (SELECT max(seq) - 1 FROM roster)").run());
    const alice = await vault.unlock('alice', PASSWORD);
    expect(alice.accessFindings.rosterProblem).toMatch(/roster entry \d+/);
    expect(value(alice, 'Org token')).toBe('org-value');
    const before = tablesDigest(path, { exceptAudit: true });
    expect(() => addWorkspace(alice, 'Frontend')).toThrow(tampered);
    expect(tablesDigest(path, { exceptAudit: true })).toBe(before);
  });

  it("a hash or signature that comes back as text or cut short (a damaged record, which STRICT does not re-check on reading) is refused like an altered one, and a secret's head too", async () => {
    const { path, vault, alice } = await organization(tempDir());
    alice.lock();
    // What a flipped byte in a record's header does: the value reads back as another type. Only
    // with the table's STRICT dropped can SQL store one, so the schema is edited as an attacker could.
    withRawDb(path, (db) => {
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name IN ('roster', 'secrets')").run();
    });
    withRawDb(path, (db) => {
      db.prepare("UPDATE roster SET prev_hash = 'not a hash, 32 characters long.' WHERE seq = (SELECT max(seq) FROM roster)").run();
      db.prepare("UPDATE roster SET signature = x'00' WHERE seq = (SELECT max(seq) - 1 FROM roster)").run();
      db.prepare("UPDATE secrets SET head = 'not a head, 32 characters long.'").run();
    });
    const again = await vault.unlock('alice', PASSWORD);
    expect(again.accessFindings.rosterProblem).toMatch(/roster entry \d+ has a signature that does not verify/);
    expect(() => value(again, 'Org token')).toThrow(tampered);
  });

  it('cut short to bring a removed member back is caught by its keyed head: nothing is sealed to them', async () => {
    const { path, vault, alice } = await organization(tempDir());
    const carolId = memberId(path, 'carol');
    const saved = withRawDb(path, (db) => db.prepare('SELECT * FROM members WHERE id = ?').get(carolId));
    removeMember(alice, 'carol');
    withRawDb(path, (db) => {
      db.prepare('DELETE FROM roster WHERE seq = (SELECT max(seq) FROM roster)').run();
      const row = saved as Record<string, unknown>;
      db.prepare(`INSERT INTO members (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...Object.values(row));
    });
    const again = await vault.unlock('alice', PASSWORD);
    expect(again.accessFindings.rosterProblem).toMatch(/entries were removed/);
    expect(() => addWorkspace(again, 'Frontend')).toThrow(tampered);
    expect(grantsTo(path, carolId)).toEqual([]);
  });

  it("replaced by the attacker's own chain is refused at unlock: it does not begin where the members' keys are pinned", async () => {
    const dir = tempDir();
    const { path } = await organization(dir);
    mkdirSync(join(dir, 'other'));
    const { path: otherPath } = await newVault(join(dir, 'other'));
    const foreign = withRawDb(otherPath, (db) => db.prepare('SELECT * FROM roster ORDER BY seq').all() as Record<string, unknown>[]);
    withRawDb(path, (db) => {
      db.prepare('DELETE FROM roster').run();
      for (const row of foreign) db.prepare('INSERT INTO roster (seq, at, signer_id, body, prev_hash, signature) VALUES (?, ?, ?, ?, ?, ?)').run(row.seq, row.at, row.signer_id, row.body, row.prev_hash, row.signature);
    });
    const vault = await Vault.open(path);
    await expect(vault.unlock('alice', PASSWORD)).rejects.toEqual(tampered);
    withRawDb(path, (db) => db.prepare('DELETE FROM roster').run());
    await expect(vault.unlock('bob', pw('bob'))).rejects.toEqual(tampered);
  });
});

describe('a vault made before the roster', () => {
  const tempDir = useTempDir();

  it('is signed by the first Account Holder to unlock it; each member pins it at their next unlock, and unsigned grants stop counting then', async () => {
    const path = join(tempDir(), 'v5.coffer');
    copyFileSync(join(__dirname, '..', 'fixtures', 'vaults', 'v5.sqlite'), path);
    const content = (await import('../fixtures/vaults/content.json')).default as { password: string };
    const vault = await Vault.open(path);
    const early = await vault.unlock('bob', content.password);
    expect(early.accessFindings.unsigned).toBe(true);
    expect(() => setMemberRole(early, 'bob', 'member')).toThrow();
    const alice = await vault.unlock('alice', content.password);
    expect(alice.accessFindings.unsigned).toBe(false);
    expect(alice.hasAdopted).toBe(true);
    expect(listSecrets(alice).total).toBeGreaterThan(0);
    const bob = await vault.unlock('bob', content.password);
    expect(bob.hasAdopted).toBe(true);
    expect(bob.accessFindings).toMatchObject({ grantsRejected: 0, structure: [], unsigned: false });
    const bobId = memberId(path, 'bob');
    withRawDb(path, (db) => db.prepare('UPDATE scope_grants SET granter_id = NULL, signature = NULL WHERE grantee_id = ? AND scope_id = ?').run(bobId, vault.orgScopeId));
    const later = await vault.unlock('bob', content.password);
    expect(later.accessFindings.grantsRejected).toBe(1);
    expect(later.canRead(vault.orgScopeId)).toBe(false);
  });
});
