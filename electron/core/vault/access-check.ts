import type { GranteeKind, RosterMember } from '../access/roster-state';
import { RosterState } from '../access/roster-state';
import { checkGrant } from '../access/grants';
import type { KeyPairs } from '../crypto/keys';
import { openSealed } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { MemberRow, MetaRow, ScopeGrantRow, ScopeRow, TeamMemberRow, WorkspaceRow } from '../db/rows';
import { scopeNumbersOfTable } from './scopes';
import type { AccessFindings } from './session';

/**
 * What unlock checks against the roster (docs/product.md §1a): the grants it opens, and whether the
 * clear tables, which the locked views show, still say what the roster says.
 */

type ClearMember = Pick<MemberRow, 'id' | 'login' | 'role' | 'box_public' | 'sign_public' | 'created_at'>;
type Place = Pick<WorkspaceRow, 'id' | 'name' | 'scope_id' | 'created_at'>;

function clearMembers(db: Db): ClearMember[] {
  return db.query<ClearMember>('SELECT id, login, role, box_public, sign_public, created_at FROM members').all();
}

const clearPlaces = (db: Db, table: 'workspaces' | 'teams') => db.query<Place>(`SELECT id, name, scope_id, created_at FROM ${table}`).all();

const personalScopes = (db: Db) =>
  new Map(db.query<Pick<ScopeRow, 'id' | 'owner_id'>>("SELECT id, owner_id FROM scopes WHERE kind = 'personal'").all().map((s) => [s.owner_id, s.id]));

/**
 * The state the clear tables describe, for a vault made before the roster: what its first entry
 * lists when an Account Holder signs it, and, until then, what an unsigned session works from.
 */
export function stateFromTables(db: Db, orgScopeId: string): RosterState {
  const created = Number(db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'created_at'") ?? 0);
  const state = new RosterState(orgScopeId, created);
  const personal = personalScopes(db);
  for (const m of clearMembers(db)) {
    state.members.set(m.id, {
      id: m.id,
      login: m.login,
      role: m.role,
      boxPublic: m.box_public,
      signPublic: m.sign_public,
      personalScopeId: personal.get(m.id) ?? '',
      created: m.created_at,
    });
  }
  const placeOf = (p: Place) => ({ id: p.id, name: p.name, scopeId: p.scope_id, created: p.created_at });
  for (const w of clearPlaces(db, 'workspaces')) state.workspaces.set(w.id, placeOf(w));
  for (const t of clearPlaces(db, 'teams')) state.teams.set(t.id, { ...placeOf(t), members: new Set() });
  for (const tm of db.query<TeamMemberRow>('SELECT team_id, member_id FROM team_members').all()) state.teams.get(tm.team_id)?.members.add(tm.member_id);
  for (const s of db.query<Pick<ScopeRow, 'id' | 'created_at'>>('SELECT id, created_at FROM scopes').all()) if (state.scopeKind(s.id)) state.scopeDates.set(s.id, s.created_at);
  return state;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function sameMember(row: ClearMember, m: RosterMember): boolean {
  return row.login === m.login && row.role === m.role && row.created_at === m.created && sameBytes(row.box_public, m.boxPublic) && sameBytes(row.sign_public, m.signPublic);
}

function compareMembers(db: Db, roster: RosterState, found: string[]): void {
  const rows = new Map(clearMembers(db).map((m) => [m.id, m]));
  for (const m of roster.members.values()) {
    const row = rows.get(m.id);
    if (!row) found.push(`member ${m.login} is missing from the members table`);
    else if (!sameMember(row, m)) found.push(`member ${m.login} differs from the roster (name, role, keys or date)`);
  }
  for (const row of rows.values()) if (!roster.member(row.id)) found.push(`${row.login} is in the members table but not on the roster`);
}

function comparePlaces(db: Db, roster: RosterState, found: string[]): void {
  for (const [label, table, listed] of [
    ['workspace', 'workspaces', roster.workspaces],
    ['team', 'teams', roster.teams],
  ] as const) {
    const clear = new Map(clearPlaces(db, table).map((p) => [p.id, p]));
    for (const p of listed.values()) {
      const row = clear.get(p.id);
      if (!row || row.name !== p.name || row.scope_id !== p.scopeId || row.created_at !== p.created) found.push(`${label} ${p.name} differs from the roster`);
    }
    for (const row of clear.values()) if (!listed.has(row.id)) found.push(`${label} ${row.name} is not on the roster`);
  }
  const clearTeamMembers = db.query<TeamMemberRow>('SELECT team_id, member_id FROM team_members').all();
  const listedCount = [...roster.teams.values()].reduce((n, t) => n + t.members.size, 0);
  const agree = clearTeamMembers.every((tm) => roster.teams.get(tm.team_id)?.members.has(tm.member_id));
  if (!agree || clearTeamMembers.length !== listedCount) found.push('team membership differs from the roster');
}

/**
 * Scopes: each the kind, owner and date the roster gives it, and the key version its signed grants
 * carry (rotation moves both together); grants only to members on the roster.
 */
function compareScopes(db: Db, roster: RosterState, found: string[]): void {
  const listed = new Map(roster.scopes().map((s) => [s.id, s.created]));
  const versions = new Map(
    db.tuples<[scopeId: string, version: number]>('SELECT scope_id, max(key_version) FROM scope_grants GROUP BY scope_id').all().map(([id, v]) => [id, v]),
  );
  for (const s of db.query<Pick<ScopeRow, 'id' | 'kind' | 'owner_id' | 'key_version' | 'created_at'>>('SELECT id, kind, owner_id, key_version, created_at FROM scopes').all()) {
    const kind = roster.scopeKind(s.id);
    if (kind !== s.kind) found.push(`scope ${s.id} is a ${s.kind} in the file but ${kind ? `a ${kind}` : 'unknown'} on the roster`);
    else if (s.owner_id !== roster.ownerOf(s.id) || s.created_at !== listed.get(s.id)) found.push(`scope ${s.id} has another owner or date than the roster gives it`);
    else if (versions.has(s.id) && versions.get(s.id) !== s.key_version) found.push(`scope ${s.id} names another key version than its grants`);
  }
  const unknown = db
    .query<Pick<ScopeGrantRow, 'grantee_id'>>("SELECT DISTINCT grantee_id FROM scope_grants WHERE grantee_kind = 'member'")
    .all()
    .filter((g) => !roster.member(g.grantee_id));
  if (unknown.length > 0) found.push(`${unknown.length} key grant(s) name someone not on the roster`);
}

/**
 * Where the clear tables differ from the verified roster, one line each. The unlocked session acts on
 * the roster; the lines tell the user that the locked views (and the file) were edited.
 */
export function compareTables(db: Db, roster: RosterState): string[] {
  const found: string[] = [];
  if (Number(db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'created_at'")) !== roster.created) found.push("the vault's creation date differs from the roster");
  compareMembers(db, roster, found);
  comparePlaces(db, roster, found);
  compareScopes(db, roster, found);
  return found;
}

/** One line per finding, for a door that prints warnings (the CLI); the app shows them in its banner. */
export function accessWarnings(f: AccessFindings): string[] {
  const out: string[] = [];
  if (f.rosterProblem) out.push(`TAMPERED: ${f.rosterProblem}; members, roles, workspaces and teams cannot change until the vault is restored from a backup`);
  if (f.structure.length > 0) out.push(`TAMPERED: the member, workspace or team lists in the file differ from the signed roster (${f.structure.join('; ')}); Coffer follows the roster`);
  if (f.grantsRejected > 0) out.push(`TAMPERED: ${f.grantsRejected} key grant(s) sealed to you were not signed by anyone allowed to give them and were not used`);
  if (f.grantsMissing > 0) out.push(`TAMPERED: ${f.grantsMissing} scope key(s) the roster gives you have no grant in the file: what they open stays closed to you`);
  if (f.unsigned) out.push('this vault was made before signed rosters: the next unlock by an Account Holder signs it');
  return out;
}

type MemberGrant = Pick<ScopeGrantRow, 'scope_id' | 'grantee_kind' | 'grantee_id' | 'key_version' | 'sealed_key' | 'granter_id' | 'signature'>;

export interface OpenedGrants {
  scopes: Map<string, { key: Uint8Array; version: number }>;
  /** Grants not used: forged, unsigned after adoption, or for a scope the roster does not let this member hold. */
  rejected: number;
  /** Scopes the roster lets this member hold that have no grant to them in the file at all. */
  missing: number;
  /** Scopes granted to, or held by, this grantee whose key did not open: every grant rejected, damaged or missing. */
  closed: string[];
  /** Scopes the file has, the roster does not know and this grantee did not open: read only when asked. */
  unknown: () => string[];
}

/**
 * What unlock found about a principal's grants. Without a roster check (a vault made before the
 * roster, not yet adopted) nothing can be missing or closed by the roster's word.
 */
export function grantFindings(check: { problem?: string } | undefined, grants: OpenedGrants): AccessFindings {
  return {
    rosterProblem: check?.problem,
    structure: [],
    grantsRejected: grants.rejected,
    grantsMissing: check ? grants.missing : 0,
    unsigned: !check,
    // A roster that stops early (a damaged entry) cannot say who holds the scopes made after it, nor
    // show a grant to one that a damaged page hid: each is closed to this grantee too, so what it
    // alone holds is counted unreadable rather than missing without a word (docs/product.md §1a).
    closedScopes: check ? [...new Set([...grants.closed, ...(check.problem ? grants.unknown() : [])])] : [],
  };
}

/**
 * Opens the scope keys sealed to a member or a credential, each only if its grant is signed by
 * someone the roster allows (access/grants.ts), or is unsigned while a member has not adopted the
 * signed form yet (a credential's never is: credentials came after the roster).
 */
export function openGrants(db: Db, vaultId: string, roster: RosterState, keys: KeyPairs, grantee: { kind: GranteeKind; id: string }, acceptUnsigned: boolean): OpenedGrants {
  // From the table itself, not through the grantee index: a damaged page of that index would hide a
  // grant, and a grant the roster no longer explains (a roster cut short) would then be neither
  // used nor counted as closed, its secrets missing without a word (docs/product.md §1a). The table
  // holds a row per holder and scope, small beside the secrets.
  const grants = db
    .query<MemberGrant>(
      'SELECT scope_id, grantee_kind, grantee_id, key_version, sealed_key, granter_id, signature FROM scope_grants NOT INDEXED WHERE grantee_kind = ? AND grantee_id = ?',
    )
    .all(grantee.kind, grantee.id);
  const scopes = new Map<string, { key: Uint8Array; version: number }>();
  let rejected = 0;
  for (const g of grants) {
    const verdict = checkGrant(vaultId, roster, g);
    if (verdict === 'forged' || (verdict === 'unsigned' && (!acceptUnsigned || !roster.mayHoldAs(grantee.kind, g.scope_id, grantee.id)))) {
      rejected++;
      continue;
    }
    try {
      scopes.set(g.scope_id, { key: openSealed(g.sealed_key, keys), version: g.key_version });
    } catch {
      // One damaged grant costs that scope only: its secrets stay unreadable, the rest unlocks.
      rejected++;
    }
  }
  const granted = new Set(grants.map((g) => g.scope_id));
  const held = roster.scopes().filter((s) => roster.mayHoldAs(grantee.kind, s.id, grantee.id));
  const missing = held.filter((s) => !granted.has(s.id)).length;
  // A scope granted but not opened counts too when the roster does not know it (a roster that stops early).
  const closed = [...new Set([...held.map((s) => s.id), ...granted])].filter((id) => !scopes.has(id));
  const unknown = () => [...scopeNumbersOfTable(db).keys()].filter((id) => !roster.scopeKind(id) && !scopes.has(id));
  return { scopes, rejected, missing, closed, unknown };
}
