import { CofferError } from '../../../shared/errors';
import type { AccountSummary, CreatedAccount, IssuedKey } from '../../../shared/schemas/accounts';
import { createAccountInput } from '../../../shared/schemas/accounts';
import { isoDate } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { dropGrantsOf, grantScope, resignGrantsOf } from '../access/grants';
import { machineLookup, machineVerifier, newMachineSecret, wrapMachineKeys } from '../access/machine-keys';
import type { AccountKeyEntry } from '../access/roster';
import type { RosterAccount } from '../access/roster-state';
import { compareNames } from '../access/roster-state';
import { newKeyPairs, wipe } from '../crypto/keys';
import { dayStart } from '../lifecycle/clock';
import { rekeyOrganizationRecords, resolveRole } from './members';
import { writeRotating } from './rotation';
import type { Session } from './session';
import { findNamed } from './structure';

/**
 * Service accounts (docs/product.md §7, docs/rest.md): non-human members with a role, on the
 * signed roster. Each key has a key pair of its own and is a grantee of the account's scopes; its
 * secret, shown once, is the only thing that unwraps it. Renewing or deleting a key, or deleting
 * the account, rotates every scope it held, so a secret someone kept opens nothing written afterwards.
 */

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Service accounts are managed by members and by organization-level accounts whose role allows it
 * (acting with a key, through the CLI or REST). A workspace's account cannot: every roster change
 * moves the roster's head, which is MACed under the organization key, and it holds none.
 */
function refuseWorkspaceAccount(session: Session): void {
  const own = session.roster.signerOf(session.principalId)?.account;
  if (own && own.workspace !== null) throw new CofferError('FORBIDDEN', `service account ${own.name} belongs to one workspace and cannot manage service accounts`, 'account');
}

function accountNamed(session: Session, ref: string): RosterAccount {
  const a = session.roster.accounts.get(ref.trim()) ?? session.roster.accountByName(ref);
  if (!a) throw new CofferError('NOT_FOUND', `no service account "${ref}"`, 'account');
  refuseWorkspaceAccount(session);
  return a;
}

/** A key cannot renew or delete itself, nor its own account: what it signed would be left with no one to vouch for it. */
function refuseSelf(session: Session, keyIds: readonly string[]): void {
  if (keyIds.includes(session.principalId)) throw new CofferError('CONFLICT', 'a key cannot renew or delete itself or its account: use another key, or ask a member', 'key');
}

function expiryOf(session: Session, expires: string | undefined): number | null {
  if (expires === undefined) return null;
  const at = dayStart(parseInput(isoDate, expires, 'expires'));
  if (at <= session.ctx.clock.now()) throw new CofferError('VALIDATION', 'the expiry date must be in the future', 'expires');
  return at;
}

interface NewKey {
  entry: AccountKeyEntry;
  secret: string;
  /** Runs inside the write transaction, after the roster entry: the row and the grants. */
  store(): void;
}

/** A fresh key pair and secret for key `keyId`, wrapped with the roster pin. */
function newKey(session: Session, accountId: string, keyId: string, expires: number | null): NewKey {
  const pairs = newKeyPairs();
  const secret = newMachineSecret('account-key', session.ctx.random);
  const now = session.ctx.clock.now();
  const entry: AccountKeyEntry = { id: keyId, boxPublic: b64(pairs.boxPublic), signPublic: b64(pairs.signPublic), created: now, expires };
  const row = {
    lookup: machineLookup('account-key', session.vaultId, secret.bytes),
    verifier: machineVerifier('account-key', session.vaultId, keyId, secret.bytes),
    sealed: wrapMachineKeys('account-key', session.vaultId, keyId, secret.bytes, pairs, session.rosterPin, session.ctx.random),
  };
  wipe(pairs.boxSecret, pairs.signSecret, secret.bytes);
  return {
    entry,
    secret: secret.text,
    store() {
      session.db
        .stmt(
          `INSERT INTO account_keys (id, account_id, created_at, lookup, verifier, sealed_keys) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, last_used_at = NULL, lookup = excluded.lookup,
           verifier = excluded.verifier, sealed_keys = excluded.sealed_keys`,
        )
        .run(keyId, accountId, now, row.lookup, row.verifier, row.sealed);
    },
  };
}

/** Seals to a new key every scope key this session holds that the roster lets the key hold. */
function grantKey(session: Session, keyId: string, boxPublic: Uint8Array): void {
  for (const scopeId of session.readableScopes()) {
    if (!session.roster.accountMayHold(scopeId, keyId)) continue;
    const k = session.scopeKey(scopeId);
    grantScope(session.db, session.vaultId, session.signer(), scopeId, k.version, k.key, { kind: 'account-key', id: keyId, boxPublic });
  }
}

const issued = (k: NewKey): IssuedKey => ({ keyId: k.entry.id, created: k.entry.created, expires: k.entry.expires, secret: k.secret });

/** Creates an account and, unless `withKey` is false (the REST API's create, docs/rest.md), its first key, whose secret is shown once. */
export function createAccount(
  session: Session,
  input: { name: string; role: string; workspace?: string; enableBasicAuth?: boolean; expires?: string },
  withKey = true,
): CreatedAccount {
  session.authorize('serviceAccount.manage');
  const v = parseInput(createAccountInput, input);
  const role = resolveRole(session, v.role);
  if (role === 'account-holder') throw new CofferError('VALIDATION', 'a service account cannot be an Account Holder', 'role');
  if (!session.roster.mayGiveRole(session.principalId, role)) throw new CofferError('FORBIDDEN', `you may not give the role "${session.roster.roleName(role)}": it allows what your role does not`, 'role');
  if (session.roster.accountByName(v.name)) throw new CofferError('CONFLICT', `a service account named "${v.name}" already exists`, 'name');
  const workspace = v.workspace === undefined ? null : findNamed(session, 'workspace', v.workspace);
  refuseWorkspaceAccount(session);
  const id = session.ctx.random.uuid();
  const key = withKey ? newKey(session, id, session.ctx.random.uuid(), expiryOf(session, v.expires)) : undefined;
  const now = session.ctx.clock.now();
  session.write(() => {
    const account = { id, name: v.name, role, workspace: workspace?.id ?? null, basicAuth: v.enableBasicAuth, creator: session.principalId, created: now };
    session.appendRoster({ type: 'account.add', account, ...(key ? { key: key.entry } : {}) });
    if (key) {
      key.store();
      grantKey(session, key.entry.id, session.roster.accounts.get(id)!.keys.get(key.entry.id)!.boxPublic);
    }
    session.audit('account.create', v.name);
  });
  return { id, name: v.name, enableBasicAuth: v.enableBasicAuth, created: now, keys: key ? [issued(key)] : [] };
}

export function listAccounts(session: Session): AccountSummary[] {
  session.authorize('serviceAccount.manage');
  session.catchUpRoster();
  const used = new Map(session.db.tuples<[id: string, at: number | null]>('SELECT id, last_used_at FROM account_keys').all());
  return [...session.roster.accounts.values()]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((a) => ({
      id: a.id,
      name: a.name,
      level: a.workspace === null ? ('organization' as const) : ('workspace' as const),
      workspace: a.workspace === null ? null : (session.roster.workspaces.get(a.workspace)?.name ?? null),
      role: a.role,
      roleName: session.roster.roleName(a.role),
      enableBasicAuth: a.basicAuth,
      creator: (session.roster.member(a.creator) ?? session.roster.former.get(a.creator))?.login ?? session.roster.signerOf(a.creator)?.name ?? 'unknown',
      created: a.created,
      keys: [...a.keys.values()].sort((x, y) => x.created - y.created).map((k) => ({ keyId: k.id, created: k.created, expires: k.expires, lastUsed: used.get(k.id) ?? null })),
    }));
}

export function addAccountKey(session: Session, accountRef: string, opts: { expires?: string } = {}): IssuedKey {
  session.authorize('serviceAccount.manage');
  const a = accountNamed(session, accountRef);
  const key = newKey(session, a.id, session.ctx.random.uuid(), expiryOf(session, opts.expires));
  session.write(() => {
    session.appendRoster({ type: 'account.key.add', account: a.id, key: key.entry });
    key.store();
    grantKey(session, key.entry.id, session.roster.accounts.get(a.id)!.keys.get(key.entry.id)!.boxPublic);
    session.audit('account.key.add', `${a.name}: ${key.entry.id}`);
  });
  return issued(key);
}

/** Every scope the account's keys may hold: what a rotation must renew when one of them goes. */
function accountScopes(session: Session, a: RosterAccount): string[] {
  const anyKey = [...a.keys.keys()][0];
  if (anyKey === undefined) return [];
  return session.roster.scopes().map((s) => s.id).filter((scopeId) => session.roster.accountMayHold(scopeId, anyKey));
}

/**
 * Runs a change that takes a key's access away, then rotates every scope the account held: the new
 * keys go to whoever the roster lets hold them now, the account's remaining (or renewed) keys
 * included. The organization's records follow its key (settings, audit chain, roster head).
 */
function withoutOldKey(session: Session, a: RosterAccount, leaving: readonly string[], change: () => void): void {
  refuseSelf(session, leaving);
  const scopes = accountScopes(session, a).filter((s) => session.canRead(s));
  writeRotating(session, (rotate) => {
    // Grants the leaving keys signed (as keys of an account that manages accounts) are vouched for again, while they still verify.
    for (const keyId of leaving) resignGrantsOf(session.db, session.vaultId, session.roster, keyId, session.signer());
    change();
    if (scopes.length === 0) return;
    const rotation = rotate(scopes);
    if (rotation.organization) rekeyOrganizationRecords(session, rotation.organization);
  });
}

/** Renew (docs/product.md §7): the key keeps its id with a new secret; the old secret stops working at once and opens nothing written afterwards. */
export function renewAccountKey(session: Session, accountRef: string, keyId: string): IssuedKey {
  session.authorize('serviceAccount.manage');
  const a = accountNamed(session, accountRef);
  const old = a.keys.get(keyId.trim());
  if (!old) throw new CofferError('NOT_FOUND', `service account "${a.name}" has no key ${keyId}`, 'key');
  const key = newKey(session, a.id, old.id, old.expires);
  withoutOldKey(session, a, [old.id], () => {
    session.appendRoster({ type: 'account.key.renew', account: a.id, key: key.entry });
    dropGrantsOf(session.db, 'account-key', old.id);
    key.store();
    session.audit('account.key.renew', `${a.name}: ${old.id}`);
  });
  return issued(key);
}

export function deleteAccountKey(session: Session, accountRef: string, keyId: string): void {
  session.authorize('serviceAccount.manage');
  const a = accountNamed(session, accountRef);
  if (!a.keys.has(keyId.trim())) throw new CofferError('NOT_FOUND', `service account "${a.name}" has no key ${keyId}`, 'key');
  withoutOldKey(session, a, [keyId.trim()], () => {
    session.appendRoster({ type: 'account.key.delete', account: a.id, key: keyId.trim() });
    dropGrantsOf(session.db, 'account-key', keyId.trim());
    session.db.stmt('DELETE FROM account_keys WHERE id = ?').run(keyId.trim());
    session.audit('account.key.delete', `${a.name}: ${keyId.trim()}`);
  });
}

/** Deletes an account and its keys; with `confirm` (the app's type-to-confirm), it must be the account's name. */
export function deleteAccount(session: Session, accountRef: string, confirm?: string): void {
  session.authorize('serviceAccount.manage');
  const a = accountNamed(session, accountRef);
  if (confirm !== undefined && confirm !== a.name) throw new CofferError('CONFLICT', `type the service account's name, "${a.name}", exactly to delete it`, 'confirm');
  withoutOldKey(session, a, [...a.keys.keys()], () => {
    session.appendRoster({ type: 'account.delete', id: a.id });
    for (const keyId of a.keys.keys()) dropGrantsOf(session.db, 'account-key', keyId);
    session.db.stmt('DELETE FROM account_keys WHERE account_id = ?').run(a.id);
    session.audit('account.delete', a.name);
  });
}
