import { describe, expect, it } from 'vitest';
import { ad, open } from '../../electron/core/crypto/aead';
import type { KeyPairs } from '../../electron/core/crypto/keys';
import { openSealed } from '../../electron/core/crypto/keys';
import { getSecretValue, listSecrets, secretUsage } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { addMember, removeMember, setMemberRole } from '../../electron/core/vault/members';
import { writeRotating } from '../../electron/core/vault/rotation';
import type { Session } from '../../electron/core/vault/session';
import { addTeam, addTeamMember, addWorkspace, removeTeamMember } from '../../electron/core/vault/structure';
import type { Vault } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { clearScopeOf, flipByte, tablesDigest, withRawDb } from '../support/sql';
import { newVault, useTempDir } from '../support/vault';

/**
 * Losing access means losing it (docs/product.md §1, SECURITY.md "Keys"): a hostile former member
 * keeps every key they could unwrap while they had access, and gets the file again later. Whatever
 * is written after their removal, departure from a team or demotion must open with none of it.
 */

const pw = (login: string) => `${login} password 123`;
const tampered = expect.objectContaining({ code: 'TAMPERED' });

const apiKey = (name: string, value: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name, fields: { headerName: 'X-Key', value }, ...place }) as RegisterSecretInput;

/** Shared secrets of every kind of place, with the teams bob is in (Payments, Platform) and one he is not (Risk). */
const SHARED: RegisterSecretInput[] = [
  apiKey('Org token', 'org-v1', { level: 'organization' }),
  apiKey('Backend db', 'ws-v1', { level: 'workspace', workspace: 'Backend' }),
  apiKey('Card processor', 'pay-v1', { level: 'organization', teams: ['Payments'] }),
  apiKey('Fraud API', 'fraud-v1', { level: 'organization', teams: ['Payments', 'Risk'] }),
  apiKey('Platform deploy', 'deploy-v1', { level: 'organization', teams: ['Payments', 'Platform'] }),
  apiKey('Risk model', 'risk-v1', { level: 'organization', teams: ['Risk'] }),
];

/**
 * alice (Account Holder), bob (the one who will lose access, in Payments and Platform), carol
 * (Member, in Payments and Risk), dave (Account Manager: every team key). Every shared secret has
 * two revisions and uses by alice and bob; alice and bob each have a personal secret.
 */
async function organization(dir: string, bobRole: 'member' | 'account-manager' = 'member') {
  const { path, vault, session: alice } = await newVault(dir);
  addWorkspace(alice, 'Backend');
  for (const t of ['Payments', 'Risk', 'Platform']) addTeam(alice, t);
  addMember(alice, { name: 'bob', role: bobRole, password: pw('bob') });
  addMember(alice, { name: 'carol', role: 'member', password: pw('carol') });
  addMember(alice, { name: 'dave', role: 'account-manager', password: pw('dave') });
  addTeamMember(alice, 'Payments', 'bob');
  addTeamMember(alice, 'Platform', 'bob');
  addTeamMember(alice, 'Payments', 'carol');
  addTeamMember(alice, 'Risk', 'carol');
  for (const input of SHARED) {
    registerSecret(alice, input);
    editSecret(alice, { ref: { name: input.name }, fields: { value: `${value(alice, input.name)}-edited` } });
  }
  registerSecret(alice, apiKey('Alice own', 'alice-personal'));
  value(alice, 'Alice own');

  const bob = await vault.unlock('bob', pw('bob'));
  registerSecret(bob, apiKey('Bob own', 'bob-personal'));
  for (const s of listSecrets(bob).items) getSecretValue(bob, { id: s.id }, { use: { door: 'cli', how: 'print', detail: 'bob-laptop' } });
  // What bob takes with him: his private keys, and through them every key the file gives him.
  const bobKeys: KeyPairs = { ...bob.keyPairs(), boxSecret: bob.keyPairs().boxSecret.slice(), signSecret: bob.keyPairs().signSecret.slice() };
  const kept = keysHeld(path, vault.id, bob.member.id, bobKeys);
  bob.lock();
  return { path, vault, alice, bobId: bob.member.id, bobKeys, kept };
}

const value = (s: Session, name: string) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;

/** Keys someone holds: scope keys by scope, data keys by secret, every version they ever saw. */
interface HeldKeys {
  scopes: Map<string, Uint8Array[]>;
  dataKeys: Map<string, Uint8Array[]>;
}

const add = (m: Map<string, Uint8Array[]>, k: string, v: Uint8Array) => m.set(k, [...(m.get(k) ?? []), v]);

/**
 * Every key the file gives a member holding `keys`, found as an attacker would, with the real
 * crypto against the file: their grants opened with their private key, then every data key
 * wrapped for a scope they now hold.
 */
function keysHeld(path: string, vaultId: string, memberId: string, keys: Pick<KeyPairs, 'boxPublic' | 'boxSecret'>): HeldKeys {
  const held: HeldKeys = { scopes: new Map(), dataKeys: new Map() };
  withRawDb(path, (db) => {
    const grants = db.prepare("SELECT scope_id, sealed_key FROM scope_grants WHERE grantee_kind = 'member' AND grantee_id = ?").all(memberId) as {
      scope_id: string;
      sealed_key: Uint8Array;
    }[];
    for (const g of grants) add(held.scopes, g.scope_id, openSealed(g.sealed_key, keys));
    const readers = db.prepare('SELECT secret_id, scope_id, key_version, wrapped_key FROM secret_readers').all() as {
      secret_id: string;
      scope_id: string;
      key_version: number;
      wrapped_key: Uint8Array;
    }[];
    for (const r of readers) {
      for (const key of held.scopes.get(r.scope_id) ?? []) {
        add(held.dataKeys, r.secret_id, open(key, r.wrapped_key, ad('coffer/v1/data-key', vaultId, r.secret_id, r.scope_id, r.key_version), 'data key'));
      }
    }
  });
  return held;
}

const opens = (key: Uint8Array, box: Uint8Array, context: Uint8Array) => {
  try {
    open(key, box, context, 'x');
    return true;
  } catch {
    return false;
  }
};

/**
 * Every ciphertext of the file that some held key opens, as `table:ids`. Each key is tried on
 * every row of its kind, whatever scope or secret the key came from.
 */
function whatOpens(path: string, vaultId: string, held: HeldKeys): Set<string> {
  const scopeKeys = [...held.scopes.values()].flat();
  const dataKeys = [...held.dataKeys.values()].flat();
  const out = new Set<string>();
  withRawDb(path, (db) => {
    type Reader = { secret_id: string; scope_id: string; key_version: number; wrapped_key: Uint8Array };
    for (const r of db.prepare('SELECT secret_id, scope_id, key_version, wrapped_key FROM secret_readers').all() as Reader[]) {
      const context = ad('coffer/v1/data-key', vaultId, r.secret_id, r.scope_id, r.key_version);
      if (scopeKeys.some((k) => opens(k, r.wrapped_key, context))) out.add(`reader:${r.secret_id}:${r.scope_id}`);
    }
    type Chunk = { scope_id: string; chunk_no: number; key_version: number; content: Uint8Array };
    for (const c of db.prepare('SELECT scope_id, chunk_no, key_version, content FROM name_chunks').all() as Chunk[]) {
      const context = ad('coffer/v1/names', vaultId, c.scope_id, c.chunk_no, c.key_version);
      if (scopeKeys.some((k) => opens(k, c.content, context))) out.add(`names:${c.scope_id}:${c.chunk_no}`);
    }
    type Revision = { secret_id: string; revision: number; content: Uint8Array; scope_id: string; type: string };
    const revisions = db
      .prepare('SELECT r.secret_id, r.revision, r.content, s.scope_id, s.type FROM revisions r JOIN secrets s ON s.id = r.secret_id')
      .all() as Revision[];
    for (const r of revisions) {
      const context = ad('coffer/v1/revision', vaultId, r.secret_id, r.scope_id, r.type, r.revision);
      if (dataKeys.some((k) => opens(k, r.content, context))) out.add(`revision:${r.secret_id}:${r.revision}`);
    }
    for (const u of db.prepare('SELECT id, secret_id, consumer FROM usage').all() as { id: number; secret_id: string; consumer: Uint8Array }[]) {
      if (dataKeys.some((k) => opens(k, u.consumer, ad('coffer/v1/usage', vaultId, u.secret_id)))) out.add(`usage:${u.secret_id}:${u.id}`);
    }
  });
  return out;
}

/** What the remaining members do afterwards: edit every shared secret, use it, register new ones in the same places. */
function workGoesOn(alice: Session): void {
  for (const input of SHARED) {
    editSecret(alice, { ref: { name: input.name }, fields: { value: `${input.name} after` } });
    value(alice, input.name);
  }
  for (const input of SHARED) {
    registerSecret(alice, { ...input, name: `${input.name} (new)` });
    value(alice, `${input.name} (new)`);
  }
}

/** Whoever still may read a secret reads every one of it: current value, every revision's history, every use. */
function readsEverything(s: Session, names: string[]): void {
  expect(listSecrets(s).items.map((i) => i.name).sort()).toEqual([...names].sort());
  for (const name of names) {
    expect(value(s, name)).toMatch(/./);
    for (const rev of secretHistory(s, { name })) expect(rev.tampered, `${name} revision ${rev.revision}`).toBeUndefined();
    expect(secretUsage(s, { name }).entries.length).toBeGreaterThan(0);
  }
}

const withNew = (names: string[]) => [...names, ...names.map((n) => `${n} (new)`)];
const ALL_SHARED = SHARED.map((s) => s.name!);

/** Secret ids by name, for naming what opened. */
const idsOf = (s: Session) => new Map(listSecrets(s).items.map((i) => [i.name, i.id]));

function personalRows(path: string, secretId: string): unknown {
  return withRawDb(path, (db) => [
    db.prepare('SELECT * FROM secret_readers WHERE secret_id = ?').raw().all(secretId),
    db.prepare('SELECT * FROM revisions WHERE secret_id = ?').raw().all(secretId),
    db.prepare('SELECT name_hash FROM secrets WHERE id = ?').raw().all(secretId),
  ]);
}

describe('a hostile former member keeps every key they could unwrap', () => {
  const tempDir = useTempDir();

  it('removed from the vault: nothing in the file opens with their keys afterwards, old revisions and uses included', async () => {
    const { path, vault, alice, bobId, bobKeys, kept } = await organization(tempDir());
    // Before: bob's keys open every shared scope he was given, and through them most of the file.
    expect(whatOpens(path, vault.id, kept).size).toBeGreaterThan(20);
    const aliceOwn = idsOf(alice).get('Alice own')!;
    const personalBefore = personalRows(path, aliceOwn);

    removeMember(alice, 'bob');
    workGoesOn(alice);

    expect([...whatOpens(path, vault.id, kept)]).toEqual([]);
    // His private key opens no grant either: none is left for him.
    expect(withRawDb(path, (db) => db.prepare('SELECT count(*) AS n FROM scope_grants WHERE grantee_id = ?').get(bobId))).toEqual({ n: 0 });
    expect(keysHeld(path, vault.id, bobId, bobKeys).scopes.size).toBe(0);

    // Personal scopes are sealed to their owner only: alice's is not touched.
    expect(personalRows(path, aliceOwn)).toEqual(personalBefore);

    // The acting session took the new keys at commit; the others unlock with theirs.
    readsEverything(alice, [...withNew(ALL_SHARED), 'Alice own']);
    readsEverything(await vault.unlock('carol', pw('carol')), withNew(['Org token', 'Backend db', 'Card processor', 'Fraud API', 'Platform deploy', 'Risk model']));
    readsEverything(await vault.unlock('dave', pw('dave')), withNew(ALL_SHARED));
  });

  /** What the kept keys open; each of those must also open with the keys bob's remaining grants give him today. */
  function openedByKeptKeys(path: string, vaultId: string, kept: Parameters<typeof whatOpens>[2], held: Parameters<typeof whatOpens>[2]): Set<string> {
    const stillHeld = whatOpens(path, vaultId, held);
    const keptOpens = whatOpens(path, vaultId, kept);
    expect([...keptOpens].filter((x) => !stillHeld.has(x))).toEqual([]);
    return keptOpens;
  }

  it('removed from a team: what still opens with the kept keys is only what their remaining grants open anyway', async () => {
    const { path, vault, alice, bobId, bobKeys, kept } = await organization(tempDir());
    removeTeamMember(alice, 'Payments', 'bob');
    workGoesOn(alice);

    const keptOpens = openedByKeptKeys(path, vault.id, kept, keysHeld(path, vault.id, bobId, bobKeys));
    // In particular nothing of the Payments-only and Payments+Risk secrets, old or new, nor Payments' names.
    const ids = idsOf(alice);
    const payments = clearScopeOf(vault.db, 'team', 'Payments');
    for (const name of withNew(['Card processor', 'Fraud API'])) {
      expect([...keptOpens].filter((x) => x.includes(ids.get(name)!)), name).toEqual([]);
    }
    expect([...keptOpens].filter((x) => x.includes(payments))).toEqual([]);

    const bob = await vault.unlock('bob', pw('bob'));
    // Platform deploy is also Platform's, which bob is still in: he reads it, under its new data key.
    readsEverything(bob, [...withNew(['Org token', 'Backend db', 'Platform deploy']), 'Bob own']);
    expect(() => value(bob, 'Card processor')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    readsEverything(await vault.unlock('carol', pw('carol')), withNew(['Org token', 'Backend db', 'Card processor', 'Fraud API', 'Platform deploy', 'Risk model']));
  });

  it('demoted out of team management: the teams they are not in are rotated, the one they are in is not', async () => {
    const { path, vault, alice, bobId, bobKeys, kept } = await organization(tempDir(), 'account-manager');
    const version = (team: string) => withRawDb(path, (db) => db.prepare('SELECT key_version AS v FROM scopes WHERE id = ?').get(clearScopeOf(vault.db, 'team', team)));
    // As an Account Manager bob held Risk's key without being in Risk.
    expect(kept.scopes.has(clearScopeOf(vault.db, 'team', 'Risk'))).toBe(true);
    setMemberRole(alice, 'bob', 'member');
    expect(version('Risk')).toEqual({ v: 2 });
    expect(version('Payments')).toEqual({ v: 1 });
    expect(version('Platform')).toEqual({ v: 1 });

    removeTeamMember(alice, 'Payments', 'bob');
    workGoesOn(alice);
    const keptOpens = openedByKeptKeys(path, vault.id, kept, keysHeld(path, vault.id, bobId, bobKeys));
    const ids = idsOf(alice);
    for (const name of withNew(['Risk model', 'Fraud API', 'Card processor'])) {
      expect([...keptOpens].filter((x) => x.includes(ids.get(name)!)), name).toEqual([]);
    }
    readsEverything(await vault.unlock('bob', pw('bob')), [...withNew(['Org token', 'Backend db', 'Platform deploy']), 'Bob own']);
    readsEverything(await vault.unlock('dave', pw('dave')), withNew(ALL_SHARED));
  });

  it('a member cannot give themselves a role that manages less: their signatures would vouch for nothing', async () => {
    const { vault, alice } = await organization(tempDir());
    addMember(alice, { name: 'erin', role: 'sys-admin', password: pw('erin') });
    const erin = await vault.unlock('erin', pw('erin'));
    const before = tablesDigest(vault.path);
    expect(() => setMemberRole(erin, 'erin', 'member')).toThrow(expect.objectContaining({ code: 'CONFLICT', field: 'role' }));
    expect(tablesDigest(vault.path)).toBe(before);
    setMemberRole(alice, 'erin', 'member');
    expect(erin.canRead(clearScopeOf(vault.db, 'team', 'Risk'))).toBe(true);
    const again = await vault.unlock('erin', pw('erin'));
    expect(again.canRead(clearScopeOf(vault.db, 'team', 'Risk'))).toBe(false);
    expect(value(again, 'Org token')).toBe('org-v1-edited');
  });

  it("the organization key's old and new values are both at hand inside the rotating transaction", async () => {
    const { vault, alice } = await organization(tempDir());
    const org = vault.orgScopeId;
    const before = alice.scopeKey(org).key.slice();
    let inside: { oldKey: Uint8Array; newKey: Uint8Array; version: number } | undefined;
    const change = writeRotating(alice, (rotate) => {
      const c = rotate([org]).organization!;
      inside = { oldKey: c.oldKey.slice(), newKey: c.newKey.slice(), version: c.version };
      // Still the old key inside the transaction: the session adopts the new one only after commit.
      expect(alice.scopeKey(org).key).toEqual(before);
      return c;
    });
    expect(inside!.oldKey).toEqual(before);
    expect(inside!.version).toBe(2);
    expect(alice.scopeKey(org)).toEqual({ key: inside!.newKey, version: 2 });
    // Once adopted, the old key is wiped.
    expect(change.oldKey.every((b) => b === 0)).toBe(true);
  });
});

describe('a rotation that fails', () => {
  const tempDir = useTempDir();

  /** Tampers with one record, then checks the removal is refused and neither the file's tables nor the session moved. */
  async function refused(tamper: (path: string, vault: Vault, alice: Session) => void) {
    const { path, vault, alice } = await organization(tempDir());
    tamper(path, vault, alice);
    const digest = tablesDigest(path);
    const versions = alice.readableScopes().map((id) => [id, alice.scopeKey(id).version]);
    expect(() => removeMember(alice, 'bob')).toThrow(tampered);
    expect(tablesDigest(path)).toBe(digest);
    expect(alice.readableScopes().map((id) => [id, alice.scopeKey(id).version])).toEqual(versions);
    return { vault, alice };
  }

  it('on a tampered name chunk leaves every table as it was, and the session with its keys', async () => {
    const { vault, alice } = await refused((path, vault) => {
      flipByte(path, 'name_chunks', 'content', 'scope_id = ?', [clearScopeOf(vault.db, 'workspace', 'Backend')]);
    });
    expect(value(alice, 'Org token')).toBe('org-v1-edited');
    expect(value(alice, 'Backend db')).toBe('ws-v1-edited');
    expect(value(await vault.unlock('bob', pw('bob')), 'Card processor')).toBe('pay-v1-edited');
  });

  it('on a tampered old revision, or a use of the last secret renewed, rolls back everything written before it', async () => {
    await refused((path, _vault, alice) => flipByte(path, 'revisions', 'content', 'secret_id = ? AND revision = 1', [idsOf(alice).get('Org token')!]));
    // Secrets are renewed in rowid order: Platform deploy is the last one bob could read (Risk model was never his).
    await refused((path, _vault, alice) => {
      const id = idsOf(alice).get('Platform deploy')!;
      const last = withRawDb(path, (db) => (db.prepare('SELECT max(id) AS id FROM usage WHERE secret_id = ?').get(id) as { id: number }).id);
      flipByte(path, 'usage', 'consumer', 'id = ?', [last]);
    });
  });
});

describe('a session open while another one rotates', () => {
  const tempDir = useTempDir();

  it('takes the new keys when it next catches up, and goes on working (the app beside a CLI that removed a member)', async () => {
    const { vault, alice } = await organization(tempDir());
    const other = await vault.unlock('alice', 'correct horse battery staple');
    removeMember(other, 'bob');
    // alice's session still holds the keys from before the rotation; the app's door catches it up before each call.
    alice.catchUpRoster();
    registerSecret(alice, apiKey('after the rotation', 'after-value', { level: 'organization' }));
    expect(value(other, 'after the rotation')).toBe('after-value');
    expect(listSecrets(alice, { search: 'after the rotation' }).items.map((s) => s.name)).toEqual(['after the rotation']);
  });
});
