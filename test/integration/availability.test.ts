import { describe, expect, it } from 'vitest';
import { open } from '../../electron/core/crypto/aead';
import { verifyAuditFor } from '../../electron/core/audit/access';
import { setAvailability } from '../../electron/core/secrets/availability';
import { readScopeChunks } from '../../electron/core/secrets/name-chunks';
import { getSecretValue, listSecrets, secretUsage } from '../../electron/core/secrets/reading';
import { registerSecret } from '../../electron/core/secrets/registration';
import { editSecret, secretHistory } from '../../electron/core/secrets/revisions';
import { dataKeyContext, revisionContext } from '../../electron/core/secrets/sealing';
import { usageContext } from '../../electron/core/secrets/usage';
import { addMember } from '../../electron/core/vault/members';
import { defineRole } from '../../electron/core/vault/roles';
import type { Session } from '../../electron/core/vault/session';
import { addTeam, addTeamMember } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { auditActions, clearScopeOf, flipByte, tablesDigest, withRawDb } from '../support/sql';
import { PASSWORD, newVault, useTempDir } from '../support/vault';

/**
 * An organization secret's availability changed after registration (docs/product.md §2): who can
 * list and read it follows at once, and a scope that stops reading it loses it for good (a new
 * data key), as a rotation does.
 */

const pw = (login: string) => `${login} password 123`;
const notFound = expect.objectContaining({ code: 'NOT_FOUND' });
const forbidden = expect.objectContaining({ code: 'FORBIDDEN' });
const NAME = 'Payment gateway';

const apiKey = (value: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name: NAME, level: 'organization', fields: { headerName: 'X-Key', value }, ...place }) as RegisterSecretInput;
const get = (s: Session, name = NAME) => getSecretValue(s, { name }, { use: { door: 'cli', how: 'print' } }).value;
const listed = (s: Session) => listSecrets(s).items.map((i) => i.name);

/**
 * alice (Account Holder: every team key), bob (Member, in Backend), carol (Member, in Frontend),
 * dan (Member, in no team); the secret is registered by alice, edited once and used by bob.
 */
async function organization(dir: string, teams?: string[]) {
  const { path, vault, session: alice } = await newVault(dir);
  addTeam(alice, 'Backend');
  addTeam(alice, 'Frontend');
  for (const m of ['bob', 'carol', 'dan']) addMember(alice, { name: m, role: 'member', password: pw(m) });
  addTeamMember(alice, 'Backend', 'bob');
  addTeamMember(alice, 'Frontend', 'carol');
  const secret = registerSecret(alice, apiKey('v1', teams ? { teams } : {}));
  editSecret(alice, { ref: { name: NAME }, fields: { value: 'v2' } });
  const unlock = (m: string) => vault.unlock(m, pw(m));
  const [bob, carol, dan] = [await unlock('bob'), await unlock('carol'), await unlock('dan')];
  const scopeOf = (team: string) => clearScopeOf(vault.db, 'team', team);
  const readerScopes = () =>
    withRawDb(path, (db) => (db.prepare('SELECT scope_id FROM secret_readers WHERE secret_id = ? ORDER BY scope_id').all(secret.id) as { scope_id: string }[]).map((r) => r.scope_id));
  return { path, vault, alice, bob, carol, dan, secret, scopeOf, readerScopes };
}

/** The data key as whoever holds `scopeId`'s key can unwrap it from the file. */
function dataKeyThrough(s: Session, secretId: string, scopeId: string): Uint8Array {
  const r = s.db.query<{ key_version: number; wrapped_key: Uint8Array }>('SELECT key_version, wrapped_key FROM secret_readers WHERE secret_id = ? AND scope_id = ?').get(secretId, scopeId);
  if (!r) throw new Error('no reader row for that scope');
  return open(s.scopeKey(scopeId).key, r.wrapped_key, dataKeyContext(s, secretId, scopeId, r.key_version), 'the data key');
}

/** Whether `dataKey` opens any revision or use of the secret in the file. */
function opensAnything(s: Session, secretId: string, dataKey: Uint8Array): boolean {
  const row = s.db.query<{ id: string; scope_id: string; type: 'api-key' }>('SELECT id, scope_id, type FROM secrets WHERE id = ?').get(secretId)!;
  const revisions = s.db.query<{ revision: number; content: Uint8Array }>('SELECT revision, content FROM revisions WHERE secret_id = ?').all(secretId);
  const uses = s.db.query<{ consumer: Uint8Array }>('SELECT consumer FROM usage WHERE secret_id = ?').all(secretId);
  const opens = (fn: () => unknown) => {
    try {
      fn();
      return true;
    } catch {
      return false;
    }
  };
  return (
    revisions.some((r) => opens(() => open(dataKey, r.content, revisionContext(s, row, r.revision), 'a revision'))) ||
    uses.some((u) => opens(() => open(dataKey, u.consumer, usageContext(s, secretId), 'a use')))
  );
}

/** The vault opened afresh as `member`: every listed secret verifies, the audit chain holds, no access finding. */
async function reopened(path: string, member = 'alice', password = PASSWORD) {
  const vault = await Vault.open(path);
  const session = await vault.unlock(member, password);
  const items = listSecrets(session).items;
  expect(items.filter((i) => i.tampered)).toEqual([]);
  if (session.may('audit.read')) expect(verifyAuditFor(session)).toMatchObject({ ok: true });
  expect(session.accessFindings).toEqual({ structure: [], grantsRejected: 0, grantsMissing: 0, unsigned: false, closedScopes: [] });
  return { vault, session, items };
}

/** Each chunk of each scope `s` holds names exactly the secrets whose wrapped key for that scope points at it (chunksMatchReaders). */
function chunksMatchReaders(s: Session): void {
  for (const scopeId of s.readableScopes()) {
    const named = new Map<number, number>();
    const bad = readScopeChunks(s, scopeId, (entries, chunkNo) => named.set(chunkNo, entries.length));
    expect(bad).toEqual([]);
    const counted = s.db.tuples<[number, number]>('SELECT chunk_no, count(*) FROM secret_readers WHERE scope_id = ? GROUP BY chunk_no ORDER BY 1').all(scopeId);
    expect([...named].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0])).toEqual(counted);
  }
}

describe('changing who can read an organization secret', () => {
  const tmp = useTempDir();

  it('entire organization → teams [Backend]: only Backend (and the roles holding every team key) can list or read it', async () => {
    const { path, alice, bob, carol, dan, secret, scopeOf, readerScopes } = await organization(tmp());
    expect([get(bob), get(carol), get(dan)]).toEqual(['v2', 'v2', 'v2']);

    const s = editSecret(alice, { ref: { name: NAME }, teams: ['Backend'] });
    expect(s).toMatchObject({ id: secret.id, availability: 'teams', teams: ['Backend'], revision: 2 });
    expect(readerScopes()).toEqual([scopeOf('Backend')]);

    for (const outsider of [carol, dan]) {
      expect(listed(outsider)).toEqual([]);
      expect(() => get(outsider)).toThrow(notFound);
    }
    expect(listSecrets(bob).items).toEqual([expect.objectContaining({ id: secret.id, name: NAME, availability: 'teams', teams: ['Backend'] })]);
    expect(get(bob)).toBe('v2');
    expect(listSecrets(alice).items).toEqual([expect.objectContaining({ id: secret.id, availability: 'teams', teams: ['Backend'] })]);
    // Not a revision: the history is what it was, and the change is audited on its own.
    expect(secretHistory(alice, { name: NAME }).map((r) => r.revision)).toEqual([2, 1]);
    expect(auditActions(path).filter((a) => a === 'secret.availability')).toHaveLength(1);

    const again = await reopened(path);
    expect(again.items).toEqual([expect.objectContaining({ availability: 'teams', teams: ['Backend'] })]);
    chunksMatchReaders(again.session);
    expect(get(again.session)).toBe('v2');
    const bobAgain = await reopened(path, 'bob', pw('bob'));
    chunksMatchReaders(bobAgain.session);
    expect(get(bobAgain.session)).toBe('v2');
  });

  it('teams [Backend] → entire organization: everyone can read it, under a new data key (Backend no longer reads it itself)', async () => {
    const { path, alice, bob, carol, dan, secret, readerScopes } = await organization(tmp(), ['Backend']);
    expect(() => get(dan)).toThrow(notFound);
    const before = dataKeyThrough(alice, secret.id, readerScopes()[0]!);

    const s = setAvailability(alice, { name: NAME }, null);
    expect(s).toMatchObject({ availability: 'entire-organization', teams: [] });
    expect(readerScopes()).toEqual([alice.vault.orgScopeId]);
    expect([get(bob), get(carol), get(dan)]).toEqual(['v2', 'v2', 'v2']);
    for (const m of [alice, bob, carol, dan]) expect(listSecrets(m).items).toEqual([expect.objectContaining({ id: secret.id, availability: 'entire-organization' })]);
    // Backend stopped reading it (the organization reads it now): a scope taken away is a new data key.
    expect(opensAnything(alice, secret.id, before)).toBe(false);

    const again = await reopened(path, 'dan', pw('dan'));
    chunksMatchReaders(again.session);
    chunksMatchReaders((await reopened(path)).session);
  });

  it('teams [Backend, Frontend] → [Backend]: a Frontend-only member reads nothing, and the data key they kept opens nothing', async () => {
    const { path, alice, bob, carol, secret, scopeOf, readerScopes } = await organization(tmp(), ['Backend', 'Frontend']);
    expect(get(carol)).toBe('v2');
    getSecretValue(bob, { name: NAME }, { use: { door: 'cli', how: 'print', detail: 'deploy' } });
    // What carol can take away while she reads it: her team's key and the data key it unwraps.
    const kept = dataKeyThrough(carol, secret.id, scopeOf('Frontend'));
    expect(opensAnything(carol, secret.id, kept)).toBe(true);

    setAvailability(alice, { name: NAME }, ['Backend']);
    editSecret(alice, { ref: { name: NAME }, fields: { value: 'v3' } });

    expect(readerScopes()).toEqual([scopeOf('Backend')]);
    expect(listed(carol)).toEqual([]);
    expect(() => get(carol)).toThrow(notFound);
    expect(get(bob)).toBe('v3');
    // Below the permission layer: no revision (the new one included) and no use opens with the kept key.
    const current = alice.db.query<{ content: Uint8Array }>('SELECT content FROM revisions WHERE secret_id = ? AND revision = 3').get(secret.id)!;
    expect(() => open(kept, current.content, revisionContext(alice, { id: secret.id, scope_id: alice.vault.orgScopeId, type: 'api-key' }, 3), 'x')).toThrow();
    expect(opensAnything(alice, secret.id, kept)).toBe(false);
    expect(secretUsage(alice, { name: NAME }).entries.map((e) => e.consumer)).toContain('bob · CLI · secret get (deploy)');

    const again = await reopened(path);
    chunksMatchReaders(again.session);
    expect(get(again.session)).toBe('v3');
    chunksMatchReaders((await reopened(path, 'carol', pw('carol'))).session);
  });

  it('teams [Backend] → [Backend, Frontend]: the new team reads it under the same data key', async () => {
    const { path, alice, carol, secret, scopeOf, readerScopes } = await organization(tmp(), ['Backend']);
    const before = dataKeyThrough(alice, secret.id, scopeOf('Backend'));
    expect(setAvailability(alice, { name: NAME }, ['Frontend', 'Backend'])).toMatchObject({ availability: 'teams', teams: ['Backend', 'Frontend'] });
    expect(readerScopes()).toEqual([scopeOf('Backend'), scopeOf('Frontend')].sort());
    expect(get(carol)).toBe('v2');
    expect(opensAnything(alice, secret.id, before)).toBe(true);
    chunksMatchReaders((await reopened(path, 'carol', pw('carol'))).session);
  });

  it('a change of fields and teams together is one revision and one availability change', async () => {
    const { path, alice, bob, dan, readerScopes, scopeOf } = await organization(tmp());
    const s = editSecret(alice, { ref: { name: NAME }, name: 'Gateway', fields: { value: 'v3' }, teams: ['Backend'] });
    expect(s).toMatchObject({ name: 'Gateway', revision: 3, availability: 'teams', teams: ['Backend'] });
    expect(auditActions(path).slice(-2)).toEqual(['secret.edit', 'secret.availability']);
    expect(readerScopes()).toEqual([scopeOf('Backend')]);
    expect(get(bob, 'Gateway')).toBe('v3');
    expect(() => get(dan, 'Gateway')).toThrow(notFound);
    chunksMatchReaders((await reopened(path, 'bob', pw('bob'))).session);
  });

  it('the same availability again writes nothing', async () => {
    const { path, alice } = await organization(tmp(), ['Backend']);
    const digest = tablesDigest(path);
    expect(editSecret(alice, { ref: { name: NAME }, teams: ['backend'] })).toMatchObject({ availability: 'teams', teams: ['Backend'] });
    expect(tablesDigest(path)).toBe(digest);
  });
});

describe('a change of availability that is refused or fails leaves the file as it was', () => {
  const tmp = useTempDir();

  it('refused: not an organization secret, no permission, an unknown team, a team whose key the editor does not hold, no team at all', async () => {
    const { path, vault, alice, bob } = await organization(tmp(), ['Backend', 'Frontend']);
    registerSecret(alice, { type: 'api-key', name: 'mine', fields: { headerName: 'X-Key', value: 'p' } });
    defineRole(alice, { name: 'Publisher', operations: ['secret.organization.write'] });
    addMember(alice, { name: 'pat', role: 'Publisher', password: pw('pat') });
    addTeamMember(alice, 'Backend', 'pat');
    const pat = await vault.unlock('pat', pw('pat'));
    const digest = tablesDigest(path);

    expect(() => editSecret(alice, { ref: { name: 'mine' }, teams: ['Backend'] })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'teams' }));
    expect(() => editSecret(alice, { ref: { name: 'mine' }, teams: null })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'teams' }));
    expect(() => editSecret(bob, { ref: { name: NAME }, teams: ['Backend'] })).toThrow(forbidden);
    expect(() => editSecret(alice, { ref: { name: NAME }, teams: ['Backend', 'Nope'] })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'teams' }));
    expect(() => editSecret(alice, { ref: { name: NAME }, teams: [] })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'teams' }));
    // pat may write organization secrets and holds Backend's key, not Frontend's: neither adding nor taking away Frontend.
    expect(() => editSecret(pat, { ref: { name: NAME }, teams: null })).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('Frontend') }));
    expect(() => editSecret(pat, { ref: { name: NAME }, teams: ['Backend'] })).toThrow(expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('Frontend') }));
    // Nor with a field edit beside it: the revision goes too.
    expect(() => editSecret(pat, { ref: { name: NAME }, fields: { value: 'v3' }, teams: ['Backend'] })).toThrow(forbidden);
    expect(tablesDigest(path)).toBe(digest);
    expect(get(bob)).toBe('v2');
  });

  it('failing halfway (a use altered in the file is found while re-sealing) rolls back the readers, the chunks, the head and the revision', async () => {
    const { path, alice, bob, secret } = await organization(tmp(), ['Backend', 'Frontend']);
    getSecretValue(bob, { name: NAME }, { use: { door: 'cli', how: 'print', detail: 'deploy' } });
    flipByte(path, 'usage', 'consumer', 'secret_id = ?', [secret.id]);
    const digest = tablesDigest(path);
    expect(() => editSecret(alice, { ref: { name: NAME }, fields: { value: 'v3' }, teams: ['Backend'] })).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    expect(tablesDigest(path)).toBe(digest);
    expect(listSecrets(alice).items).toEqual([expect.objectContaining({ availability: 'teams', teams: ['Backend', 'Frontend'], revision: 2 })]);
  });
});
