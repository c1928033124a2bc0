import { sameBytes } from '../crypto/same-bytes';
import { z } from 'zod';
import { CUSTOM_ROLE_OPERATIONS, ROLE_LABELS, customRoleId, roleId, type Operation } from '../../../shared/schemas/roles';
import { ad } from '../crypto/aead';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { RosterRow } from '../db/rows';
import type { RosterCredential, RosterMember, RosterPlace } from './roster-state';
import { RosterRefusal, RosterState } from './roster-state';

/**
 * The signed roster (docs/product.md §1a, SECURITY.md "The roster"): every change to who is in the
 * vault, their role and keys, and the workspaces and teams, as a chain of entries. Each entry is
 * signed with the Ed25519 key of a member whose role, as the entries before it say, allows the
 * change; the first entry lists the founding Account Holder, whose signature it carries, and its
 * hash is pinned inside every member's encrypted keys. Nothing here needs a scope key: the chain is
 * verified with public keys it carries itself.
 */

const id = z.string().min(1).max(64);
const name = z.string().min(1).max(128);
const publicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);
const created = z.number().int().nonnegative();
const memberEntry = z.object({ id, login: name, role: roleId, boxPublic: publicKey, signPublic: publicKey, personalScopeId: id, created }).strict();
const place = z.object({ id, name, scopeId: id, created }).strict();
const teamEntry = place.extend({ members: z.array(id).max(100_000) }).strict();
const operations = z.array(z.enum(CUSTOM_ROLE_OPERATIONS as [Operation, ...Operation[]])).max(64);
const roleEntry = z.object({ id: customRoleId, name, operations, created }).strict();
const credentialEntry = z.object({ id, name, creator: id, boxPublic: publicKey, created, teams: z.array(id).max(10_000) }).strict();
/** A key's signing key is on the roster too: an account that manages accounts (over REST) signs what it changes. */
const accountKeyEntry = z.object({ id, boxPublic: publicKey, signPublic: publicKey, created, expires: created.nullable() }).strict();
const accountEntry = z.object({ id, name, role: roleId, workspace: id.nullable(), basicAuth: z.boolean(), creator: id, created }).strict();

const rosterEvent = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('genesis'),
      orgScopeId: id,
      created,
      members: z.array(memberEntry).min(1).max(100_000),
      workspaces: z.array(place),
      teams: z.array(teamEntry),
      /** An upgraded vault's scopes were made apart from their owners or places: their own dates. */
      scopeDates: z.record(id, created).optional(),
    })
    .strict(),
  z.object({ type: z.literal('member.add'), member: memberEntry }).strict(),
  z.object({ type: z.literal('member.role'), member: id, role: roleId }).strict(),
  z.object({ type: z.literal('member.remove'), member: id }).strict(),
  z.object({ type: z.literal('workspace.add'), workspace: place }).strict(),
  z.object({ type: z.literal('workspace.rename'), id, name }).strict(),
  z.object({ type: z.literal('workspace.delete'), id }).strict(),
  z.object({ type: z.literal('role.define'), role: roleEntry }).strict(),
  z.object({ type: z.literal('role.update'), id: customRoleId, name, operations }).strict(),
  z.object({ type: z.literal('role.delete'), id: customRoleId }).strict(),
  z.object({ type: z.literal('credential.add'), credential: credentialEntry }).strict(),
  z.object({ type: z.literal('credential.teams'), id, teams: z.array(id).max(10_000) }).strict(),
  z.object({ type: z.literal('credential.revoke'), id }).strict(),
  /** Over REST an account is made without a key (docs/rest.md): its keys are added afterwards. */
  z.object({ type: z.literal('account.add'), account: accountEntry, key: accountKeyEntry.optional() }).strict(),
  z.object({ type: z.literal('account.delete'), id }).strict(),
  z.object({ type: z.literal('account.key.add'), account: id, key: accountKeyEntry }).strict(),
  /** Renew: the key keeps its id, with a new key pair; the old one opens nothing afterwards. */
  z.object({ type: z.literal('account.key.renew'), account: id, key: accountKeyEntry }).strict(),
  z.object({ type: z.literal('account.key.delete'), account: id, key: id }).strict(),
  z.object({ type: z.literal('team.add'), team: place }).strict(),
  z.object({ type: z.literal('team.rename'), id, name }).strict(),
  z.object({ type: z.literal('team.delete'), id }).strict(),
  z.object({ type: z.literal('team.member.add'), team: id, member: id }).strict(),
  z.object({ type: z.literal('team.member.remove'), team: id, member: id }).strict(),
]);
export type RosterEvent = z.infer<typeof rosterEvent>;
type MemberEntry = z.infer<typeof memberEntry>;
type CredentialEntry = z.infer<typeof credentialEntry>;
export type AccountKeyEntry = z.infer<typeof accountKeyEntry>;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export function memberEntryOf(m: RosterMember): MemberEntry {
  return { id: m.id, login: m.login, role: m.role, boxPublic: b64(m.boxPublic), signPublic: b64(m.signPublic), personalScopeId: m.personalScopeId, created: m.created };
}

function memberOf(e: MemberEntry): RosterMember {
  return { ...e, boxPublic: unb64(e.boxPublic), signPublic: unb64(e.signPublic) };
}

export function credentialEntryOf(c: RosterCredential): CredentialEntry {
  return { id: c.id, name: c.name, creator: c.creator, boxPublic: b64(c.boxPublic), created: c.created, teams: [...c.teams] };
}

function refuseIf(condition: boolean, reason: string): void {
  if (condition) throw new RosterRefusal(reason);
}

function knownScope(state: RosterState, scopeId: string): boolean {
  return state.scopeKind(scopeId) !== undefined;
}

function knownRole(state: RosterState, role: string): void {
  refuseIf(role.startsWith('role:') && !state.roles.has(role), 'gives a role that does not exist');
}

function roleNameFree(state: RosterState, roleName: string, except?: string): void {
  const taken = Object.values(ROLE_LABELS).some((l) => l.toLowerCase() === roleName.toLowerCase()) || [...state.roles.values()].some((r) => r.id !== except && r.name.toLowerCase() === roleName.toLowerCase());
  refuseIf(taken, 'names a role with a name already taken');
}

function teamsExist(state: RosterState, teamIds: readonly string[]): void {
  for (const t of teamIds) refuseIf(!state.teams.has(t), 'names a team that does not exist');
}

function credential(state: RosterState, credentialId: string): RosterCredential {
  const c = state.credentials.get(credentialId);
  refuseIf(!c, 'names a credential that does not exist');
  return c!;
}

function account(state: RosterState, accountId: string) {
  const a = state.accounts.get(accountId);
  refuseIf(!a, 'names a service account that does not exist');
  return a!;
}

/** A workspace-level account manages only accounts of its own workspace. */
function withinReach(state: RosterState, signerId: string, target: { workspace: string | null }): void {
  const signerAccount = state.signerOf(signerId)?.account;
  refuseIf(signerAccount !== undefined && signerAccount.workspace !== null && target.workspace !== signerAccount.workspace, "changes an account outside its signer's workspace");
}

const keyOf = (e: AccountKeyEntry) => ({ ...e, boxPublic: unb64(e.boxPublic), signPublic: unb64(e.signPublic) });

function keyIdFree(state: RosterState, keyId: string): void {
  refuseIf(state.accountOfKey(keyId) !== undefined || state.members.has(keyId) || state.credentials.has(keyId), 'adds a key whose id is taken');
}

function addMember(state: RosterState, m: RosterMember): void {
  refuseIf(state.members.has(m.id) || state.memberByLogin(m.login) !== undefined, `adds ${m.login}, who is already a member`);
  knownRole(state, m.role);
  refuseIf(knownScope(state, m.personalScopeId), `gives ${m.login} a scope that already exists`);
  state.members.set(m.id, m);
  state.scopeDates.set(m.personalScopeId, m.created);
}

function addPlace(state: RosterState, kind: 'workspace' | 'team', p: RosterPlace): void {
  refuseIf(state.workspaces.has(p.id) || state.teams.has(p.id) || state.placeByName(kind, p.name) !== undefined || knownScope(state, p.scopeId), `adds a ${kind} that already exists`);
  if (kind === 'workspace') state.workspaces.set(p.id, p);
  else state.teams.set(p.id, { ...p, members: new Set() });
  state.scopeDates.set(p.scopeId, p.created);
}

function rename(state: RosterState, kind: 'workspace' | 'team', placeId: string, newName: string): void {
  const places: Map<string, RosterPlace> = kind === 'workspace' ? state.workspaces : state.teams;
  const p = places.get(placeId);
  refuseIf(!p, `renames a ${kind} that does not exist`);
  const clash = state.placeByName(kind, newName);
  refuseIf(clash !== undefined && clash.id !== placeId, `renames a ${kind} to a name already taken`);
  places.set(placeId, { ...p!, name: newName });
}

function targetMember(state: RosterState, memberId: string): RosterMember {
  const m = state.member(memberId);
  refuseIf(!m, 'names someone who is not a member');
  return m!;
}

function team(state: RosterState, teamId: string) {
  const t = state.teams.get(teamId);
  refuseIf(!t, 'names a team that does not exist');
  return t!;
}

/** The founding state: whoever signs it must be one of its Account Holders. */
function genesisState(event: Extract<RosterEvent, { type: 'genesis' }>, signerId: string): RosterState {
  const state = new RosterState(event.orgScopeId, event.created);
  for (const m of event.members) addMember(state, memberOf(m));
  for (const w of event.workspaces) addPlace(state, 'workspace', w);
  for (const t of event.teams) {
    addPlace(state, 'team', t);
    for (const memberId of t.members) {
      targetMember(state, memberId);
      state.teams.get(t.id)!.members.add(memberId);
    }
  }
  for (const [scopeId, at] of Object.entries(event.scopeDates ?? {})) {
    refuseIf(!knownScope(state, scopeId), 'dates a scope it does not list');
    state.scopeDates.set(scopeId, at);
  }
  state.requireSigner(signerId, 'member.grantAccountHolder');
  return state;
}

/**
 * The state after `event`, signed by `signerId`, or a RosterRefusal saying why the chain may not
 * contain it: each change needs the permission the same change needs through the app (§5).
 */
export function applyEvent(before: RosterState | undefined, event: RosterEvent, signerId: string): RosterState {
  if (event.type === 'genesis') {
    refuseIf(before !== undefined, 'starts the roster a second time');
    return genesisState(event, signerId);
  }
  refuseIf(before === undefined, 'comes before the roster was started');
  const state = before!.clone();
  switch (event.type) {
    case 'member.add': {
      state.requireSigner(signerId, event.member.role === 'account-holder' ? 'member.grantAccountHolder' : 'member.manage');
      addMember(state, memberOf(event.member));
      refuseIf(!state.mayGiveRole(signerId, event.member.role), 'gives a role with operations its signer does not have');
      break;
    }
    case 'member.role': {
      const m = targetMember(state, event.member);
      const touchesHolder = m.role === 'account-holder' || event.role === 'account-holder';
      state.requireSigner(signerId, touchesHolder ? 'member.grantAccountHolder' : 'member.manage');
      refuseIf(m.role === 'account-holder' && event.role !== 'account-holder' && state.accountHolders() <= 1, 'demotes the last Account Holder');
      knownRole(state, event.role);
      refuseIf(!state.mayGiveRole(signerId, event.role), 'gives a role with operations its signer does not have');
      state.members.set(m.id, { ...m, role: event.role });
      break;
    }
    case 'member.remove': {
      const m = targetMember(state, event.member);
      state.requireSigner(signerId, m.role === 'account-holder' ? 'member.grantAccountHolder' : 'member.manage');
      refuseIf(m.id === signerId, 'removes its own signer');
      state.members.delete(m.id);
      state.former.set(m.id, m);
      for (const t of state.teams.values()) t.members.delete(m.id);
      break;
    }
    case 'workspace.add':
      state.requireSigner(signerId, 'workspace.create');
      addPlace(state, 'workspace', event.workspace);
      break;
    case 'workspace.rename':
      state.requireSigner(signerId, 'workspace.create');
      rename(state, 'workspace', event.id, event.name);
      break;
    case 'workspace.delete':
      state.requireSigner(signerId, 'workspace.create');
      refuseIf(!state.workspaces.has(event.id), 'deletes a workspace that does not exist');
      refuseIf([...state.accounts.values()].some((a) => a.workspace === event.id), 'deletes a workspace a service account belongs to');
      state.workspaces.delete(event.id);
      break;
    case 'role.define':
      state.requireSigner(signerId, 'member.grantAccountHolder');
      refuseIf(state.roles.has(event.role.id), 'defines a role that already exists');
      roleNameFree(state, event.role.name);
      state.roles.set(event.role.id, { ...event.role, operations: new Set(event.role.operations) });
      break;
    case 'role.update': {
      state.requireSigner(signerId, 'member.grantAccountHolder');
      const r = state.roles.get(event.id);
      refuseIf(!r, 'changes a role that does not exist');
      roleNameFree(state, event.name, event.id);
      state.roles.set(event.id, { ...r!, name: event.name, operations: new Set(event.operations) });
      break;
    }
    case 'role.delete':
      state.requireSigner(signerId, 'member.grantAccountHolder');
      refuseIf(!state.roles.has(event.id), 'deletes a role that does not exist');
      refuseIf([...state.members.values()].some((m) => m.role === event.id), 'deletes a role members still have');
      state.roles.delete(event.id);
      break;
    case 'credential.add': {
      state.requireSigner(signerId, 'credential.manage');
      const c = event.credential;
      refuseIf(state.credentials.has(c.id) || state.credentialByName(c.name) !== undefined, 'adds a credential that already exists');
      refuseIf(c.creator !== signerId, 'names another creator than its signer');
      teamsExist(state, c.teams);
      state.credentials.set(c.id, { ...c, boxPublic: unb64(c.boxPublic), teams: new Set(c.teams) });
      break;
    }
    case 'credential.teams': {
      // Its creator's kind of admin edits a credential's teams, and so does whoever manages the teams.
      const signer = state.member(signerId);
      state.requireSigner(signerId, signer && state.allows(signer.role, 'credential.manage') ? 'credential.manage' : 'team.manage');
      teamsExist(state, event.teams);
      credential(state, event.id).teams = new Set(event.teams);
      break;
    }
    case 'credential.revoke':
      state.requireSigner(signerId, 'credential.manage');
      credential(state, event.id);
      state.credentials.delete(event.id);
      break;
    case 'account.add': {
      state.requireSigner(signerId, 'serviceAccount.manage');
      const a = event.account;
      refuseIf(state.accounts.has(a.id) || state.accountByName(a.name) !== undefined, 'adds a service account that already exists');
      refuseIf(a.creator !== signerId, 'names another creator than its signer');
      refuseIf(a.role === 'account-holder', 'makes a service account an Account Holder');
      knownRole(state, a.role);
      refuseIf(!state.mayGiveRole(signerId, a.role), 'gives a role with operations its signer does not have');
      refuseIf(a.workspace !== null && !state.workspaces.has(a.workspace), 'names a workspace that does not exist');
      withinReach(state, signerId, a);
      if (event.key) keyIdFree(state, event.key.id);
      state.accounts.set(a.id, { ...a, keys: new Map(event.key ? [[event.key.id, keyOf(event.key)]] : []) });
      break;
    }
    case 'account.delete':
      state.requireSigner(signerId, 'serviceAccount.manage');
      withinReach(state, signerId, account(state, event.id));
      state.accounts.delete(event.id);
      break;
    case 'account.key.add':
      state.requireSigner(signerId, 'serviceAccount.manage');
      keyIdFree(state, event.key.id);
      withinReach(state, signerId, account(state, event.account));
      account(state, event.account).keys.set(event.key.id, keyOf(event.key));
      break;
    case 'account.key.renew': {
      state.requireSigner(signerId, 'serviceAccount.manage');
      const a = account(state, event.account);
      withinReach(state, signerId, a);
      refuseIf(!a.keys.has(event.key.id), 'renews a key that does not exist');
      a.keys.set(event.key.id, keyOf(event.key));
      break;
    }
    case 'account.key.delete': {
      state.requireSigner(signerId, 'serviceAccount.manage');
      const a = account(state, event.account);
      withinReach(state, signerId, a);
      refuseIf(!a.keys.delete(event.key), 'deletes a key that does not exist');
      break;
    }
    case 'team.add':
      state.requireSigner(signerId, 'team.manage');
      addPlace(state, 'team', event.team);
      break;
    case 'team.rename':
      state.requireSigner(signerId, 'team.manage');
      rename(state, 'team', event.id, event.name);
      break;
    case 'team.delete':
      state.requireSigner(signerId, 'team.manage');
      team(state, event.id);
      state.teams.delete(event.id);
      for (const c of state.credentials.values()) c.teams.delete(event.id);
      break;
    case 'team.member.add':
      state.requireSigner(signerId, 'team.manage');
      targetMember(state, event.member);
      team(state, event.team).members.add(event.member);
      break;
    case 'team.member.remove':
      state.requireSigner(signerId, 'team.manage');
      team(state, event.team).members.delete(event.member);
      break;
  }
  return state;
}

/** What each entry's signature covers: its vault, place, time, signer, the previous entry and the event. */
function entryDigest(vaultId: string, row: Omit<RosterRow, 'signature'>): Uint8Array {
  const head = ad('coffer/v1/roster', vaultId, row.seq, row.at, row.signer_id);
  const body = new TextEncoder().encode(row.body);
  const message = new Uint8Array(head.length + row.prev_hash.length + body.length);
  message.set(head, 0);
  message.set(row.prev_hash, head.length);
  message.set(body, head.length + row.prev_hash.length);
  return sodium().crypto_generichash(32, message, null);
}

/** An entry's link in the chain: the next entry's `prev_hash`, and for the first entry, the pin. */
function entryHash(digest: Uint8Array, signature: Uint8Array): Uint8Array {
  const joined = new Uint8Array(digest.length + signature.length);
  joined.set(digest, 0);
  joined.set(signature, digest.length);
  return sodium().crypto_generichash(32, joined, null);
}

export const GENESIS_PREV = new Uint8Array(32);

/** The end of a verified chain: where the next entry goes. */
export interface RosterHead {
  seq: number;
  hash: Uint8Array;
}

export interface RosterCheck {
  /** The state the verified entries describe; undefined when no entry verified (or there are none). */
  state: RosterState | undefined;
  /** The last verified entry. */
  head: RosterHead;
  /** The first entry's hash, which members pin. */
  genesis: Uint8Array | undefined;
  /** Why verification stopped before the last entry, or why the chain cannot be trusted at all. */
  problem?: string;
}

function parseEvent(body: string): RosterEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new RosterRefusal('is not readable');
  }
  const parsed = rosterEvent.safeParse(json);
  if (!parsed.success) throw new RosterRefusal('is not a roster change Coffer knows');
  return parsed.data;
}

/** The key an entry's signature must verify under: its signer's, as the chain so far (or the genesis itself) says. */
function signerKey(state: RosterState | undefined, event: RosterEvent, signerId: string): Uint8Array {
  const listed = event.type === 'genesis' ? event.members.find((m) => m.id === signerId) : undefined;
  const key = listed ? unb64(listed.signPublic) : state?.signerOf(signerId)?.signPublic;
  if (!key) throw new RosterRefusal('signed by someone not in the vault');
  return key;
}

/**
 * Replays the chain, checking each link, signature and permission. Verification stops at the first
 * entry that fails; the state is the one of the entries before it. With `pin`, a first entry other
 * than the pinned one makes the whole chain untrusted.
 */
export function verifyRoster(db: Db, vaultId: string, pin?: Uint8Array): RosterCheck {
  const rows = db.query<RosterRow>('SELECT seq, at, signer_id, body, prev_hash, signature FROM roster ORDER BY seq').all();
  let state: RosterState | undefined;
  let head: RosterHead = { seq: 0, hash: GENESIS_PREV };
  let genesis: Uint8Array | undefined;
  const s = sodium();
  for (const row of rows) {
    try {
      if (row.seq !== head.seq + 1) throw new RosterRefusal('is out of sequence: entries were removed or inserted');
      if (!sameBytes(row.prev_hash, head.hash)) throw new RosterRefusal('does not follow the entry before it');
      const event = parseEvent(row.body);
      const digest = entryDigest(vaultId, row);
      const signature: unknown = row.signature;
      if (!(signature instanceof Uint8Array) || signature.length !== s.crypto_sign_BYTES) throw new RosterRefusal('has a signature that does not verify');
      if (!s.crypto_sign_verify_detached(signature, digest, signerKey(state, event, row.signer_id))) throw new RosterRefusal('has a signature that does not verify');
      const next = applyEvent(state, event, row.signer_id);
      const hash = entryHash(digest, row.signature);
      if (row.seq === 1) {
        if (pin && !s.memcmp(pin, hash)) return { state: undefined, head, genesis: hash, problem: 'the roster does not begin with the entry your keys were pinned to' };
        genesis = hash;
      }
      state = next;
      head = { seq: row.seq, hash };
    } catch (e) {
      if (!(e instanceof RosterRefusal)) throw e;
      return { state, head, genesis, problem: `roster entry ${row.seq} ${e.message}` };
    }
  }
  if (rows.length === 0 && pin) return { state: undefined, head, genesis, problem: 'the roster your keys were pinned to is gone' };
  return { state, head, genesis };
}

/** Signs and writes the entry after `head`, inside the caller's transaction; returns the new head. */
export function writeEntry(
  db: Db,
  vaultId: string,
  head: RosterHead,
  signer: { id: string; signSecret: Uint8Array },
  at: number,
  event: RosterEvent,
): RosterHead {
  const row = { seq: head.seq + 1, at, signer_id: signer.id, body: JSON.stringify(event), prev_hash: head.hash };
  const digest = entryDigest(vaultId, row);
  const signature = sodium().crypto_sign_detached(digest, signer.signSecret);
  db.stmt('INSERT INTO roster (seq, at, signer_id, body, prev_hash, signature) VALUES (?, ?, ?, ?, ?, ?)').run(row.seq, row.at, row.signer_id, row.body, row.prev_hash, signature);
  return { seq: row.seq, hash: entryHash(digest, signature) };
}
