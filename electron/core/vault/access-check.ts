import type { RosterMember } from '../access/roster-state';
import { RosterState } from '../access/roster-state';
import { checkGrant } from '../access/grants';
import type { KeyPairs } from '../crypto/keys';
import { openSealed } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { MemberRow, ScopeGrantRow, ScopeRow, TeamMemberRow, TeamRow, WorkspaceRow } from '../db/rows';

/**
 * What unlock checks against the roster (docs/product.md §1a): the grants it opens, and whether the
 * clear tables, which the locked views show, still say what the roster says.
 */

type ClearMember = Pick<MemberRow, 'id' | 'login' | 'role' | 'box_public' | 'sign_public'>;
type Place = Pick<WorkspaceRow, 'id' | 'name' | 'scope_id'>;

function clearMembers(db: Db): ClearMember[] {
  return db.query<ClearMember>('SELECT id, login, role, box_public, sign_public FROM members').all();
}

const personalScopes = (db: Db) =>
  new Map(db.query<Pick<ScopeRow, 'id' | 'owner_id'>>("SELECT id, owner_id FROM scopes WHERE kind = 'personal'").all().map((s) => [s.owner_id, s.id]));

/**
 * The state the clear tables describe, for a vault made before the roster: what its first entry
 * lists when an Account Holder signs it, and, until then, what an unsigned session works from.
 */
export function stateFromTables(db: Db, orgScopeId: string): RosterState {
  const state = new RosterState(orgScopeId);
  const personal = personalScopes(db);
  for (const m of clearMembers(db)) {
    state.members.set(m.id, { id: m.id, login: m.login, role: m.role, boxPublic: m.box_public, signPublic: m.sign_public, personalScopeId: personal.get(m.id) ?? '' });
  }
  for (const w of db.query<Place>('SELECT id, name, scope_id FROM workspaces').all()) state.workspaces.set(w.id, { id: w.id, name: w.name, scopeId: w.scope_id });
  for (const t of db.query<Pick<TeamRow, 'id' | 'name' | 'scope_id'>>('SELECT id, name, scope_id FROM teams').all()) {
    state.teams.set(t.id, { id: t.id, name: t.name, scopeId: t.scope_id, members: new Set() });
  }
  for (const tm of db.query<TeamMemberRow>('SELECT team_id, member_id FROM team_members').all()) state.teams.get(tm.team_id)?.members.add(tm.member_id);
  return state;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function sameMember(row: ClearMember, m: RosterMember): boolean {
  return row.login === m.login && row.role === m.role && sameBytes(row.box_public, m.boxPublic) && sameBytes(row.sign_public, m.signPublic);
}

/**
 * Where the clear tables differ from the verified roster, one line each. The unlocked session acts on
 * the roster; the lines tell the user that the locked views (and the file) were edited.
 */
export function compareTables(db: Db, roster: RosterState, metaOrgScopeId: string): string[] {
  const found: string[] = [];
  if (metaOrgScopeId !== roster.orgScopeId) found.push('the organization scope named in the file is not the one the roster names');
  const rows = new Map(clearMembers(db).map((m) => [m.id, m]));
  const personal = personalScopes(db);
  for (const m of roster.members.values()) {
    const row = rows.get(m.id);
    if (!row) found.push(`member ${m.login} is missing from the members table`);
    else if (!sameMember(row, m)) found.push(`member ${m.login} differs from the roster (name, role or keys)`);
    if (personal.get(m.id) !== m.personalScopeId) found.push(`the personal scope of ${m.login} differs from the roster`);
  }
  for (const row of rows.values()) if (!roster.member(row.id)) found.push(`${row.login} is in the members table but not on the roster`);
  const places = (table: 'workspaces' | 'teams') => new Map(db.query<Place>(`SELECT id, name, scope_id FROM ${table}`).all().map((p) => [p.id, p]));
  for (const [label, table, listed] of [
    ['workspace', 'workspaces', roster.workspaces],
    ['team', 'teams', roster.teams],
  ] as const) {
    const clear = places(table);
    for (const p of listed.values()) {
      const row = clear.get(p.id);
      if (!row || row.name !== p.name || row.scope_id !== p.scopeId) found.push(`${label} ${p.name} differs from the roster`);
    }
    for (const row of clear.values()) if (!listed.has(row.id)) found.push(`${label} ${row.name} is not on the roster`);
  }
  const clearTeamMembers = db.query<TeamMemberRow>('SELECT team_id, member_id FROM team_members').all();
  const listedCount = [...roster.teams.values()].reduce((n, t) => n + t.members.size, 0);
  const agree = clearTeamMembers.every((tm) => roster.teams.get(tm.team_id)?.members.has(tm.member_id));
  if (!agree || clearTeamMembers.length !== listedCount) found.push('team membership differs from the roster');
  for (const s of db.query<Pick<ScopeRow, 'id' | 'kind' | 'owner_id'>>('SELECT id, kind, owner_id FROM scopes').all()) {
    const kind = roster.scopeKind(s.id);
    if (kind !== s.kind) found.push(`scope ${s.id} is a ${s.kind} in the file but ${kind ? `a ${kind}` : 'unknown'} on the roster`);
  }
  return found;
}

/** One line per finding, for a door that prints warnings (the CLI); the app shows them in its banner. */
export function accessWarnings(f: { rosterProblem?: string; structure: string[]; grantsRejected: number; unsigned: boolean }): string[] {
  const out: string[] = [];
  if (f.rosterProblem) out.push(`TAMPERED: ${f.rosterProblem}; members, roles, workspaces and teams cannot change until the vault is restored from a backup`);
  if (f.structure.length > 0) out.push(`TAMPERED: the member, workspace or team lists in the file differ from the signed roster (${f.structure.join('; ')}); Coffer follows the roster`);
  if (f.grantsRejected > 0) out.push(`TAMPERED: ${f.grantsRejected} key grant(s) sealed to you were not signed by anyone allowed to give them and were not used`);
  if (f.unsigned) out.push('this vault was made before signed rosters: the next unlock by an Account Holder signs it');
  return out;
}

type MemberGrant = Pick<ScopeGrantRow, 'scope_id' | 'grantee_kind' | 'grantee_id' | 'key_version' | 'sealed_key' | 'granter_id' | 'signature'>;

export interface OpenedGrants {
  scopes: Map<string, { key: Uint8Array; version: number }>;
  /** Grants not used: forged, unsigned after adoption, or for a scope the roster does not let this member hold. */
  rejected: number;
}

/**
 * Opens the scope keys sealed to a member, each only if its grant is signed by someone the roster
 * allows (access/grants.ts), or is unsigned while the member has not adopted the signed form yet.
 */
export function openGrants(db: Db, vaultId: string, roster: RosterState, keys: KeyPairs, memberId: string, acceptUnsigned: boolean): OpenedGrants {
  const grants = db
    .query<MemberGrant>(
      "SELECT scope_id, grantee_kind, grantee_id, key_version, sealed_key, granter_id, signature FROM scope_grants WHERE grantee_kind = 'member' AND grantee_id = ?",
    )
    .all(memberId);
  const scopes = new Map<string, { key: Uint8Array; version: number }>();
  let rejected = 0;
  for (const g of grants) {
    const verdict = checkGrant(vaultId, roster, g);
    if (verdict === 'forged' || (verdict === 'unsigned' && (!acceptUnsigned || !roster.mayHold(g.scope_id, memberId)))) {
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
  return { scopes, rejected };
}
