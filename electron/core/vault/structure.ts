import { CofferError } from '../../../shared/errors';
import type { NamedSummary, TeamSummary } from '../../../shared/schemas/vault';
import { teamName, workspaceName } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import { grantScope, memberGrantee } from '../access/grants';
import { compareNames, type RosterPlace } from '../access/roster-state';
import type { Db } from '../db/connection';
import type { MemberRow } from '../db/rows';
import { rosterMemberByLogin } from './members';
import { writeRotating } from './rotation';
import { createScope } from './scopes';
import type { Session } from './session';

/** Workspaces and teams: named scopes whose names are clear structure (docs/product.md §3). */

type Kind = 'workspace' | 'team';
const TABLE = { workspace: 'workspaces', team: 'teams' } as const;
const LABEL = { workspace: 'workspace', team: 'team' } as const;

function uniqueName<T>(kind: Kind, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new CofferError('CONFLICT', `a ${LABEL[kind]} named "${name}" already exists`, 'name');
    throw e;
  }
}

/**
 * A workspace or team by name, as the verified roster says (docs/product.md §1a): its scope is the
 * one secrets are written to and keys sealed for, so a clear table someone edited never decides it.
 * `field` is the input that named it, when that is not the kind itself (a secret's `teams`).
 */
export function findNamed(session: Session, kind: Kind, name: string, field: string = kind): RosterPlace {
  const place = session.roster.placeByName(kind, name);
  if (!place) throw new CofferError('NOT_FOUND', `no ${LABEL[kind]} named "${name}"`, field);
  return place;
}

/** Refused before anything is written when the roster already has a workspace or team of that name (`except` aside). */
function refuseTaken(session: Session, kind: Kind, name: string, except?: string): void {
  const clash = session.roster.placeByName(kind, name);
  if (clash && clash.id !== except) throw new CofferError('CONFLICT', `a ${LABEL[kind]} named "${name}" already exists`, 'name');
}

function listNamed(db: Db, kind: Kind): NamedSummary[] {
  return db.query<NamedSummary>(`SELECT id, name, created_at AS created FROM ${TABLE[kind]} ORDER BY name COLLATE NOCASE`).all();
}

function rename(session: Session, kind: Kind, from: string, to: string): NamedSummary {
  const name = parseInput(kind === 'workspace' ? workspaceName : teamName, to, 'name');
  const db = session.db;
  return session.write(() => {
    const place = findNamed(session, kind, from);
    refuseTaken(session, kind, name, place.id);
    session.appendRoster({ type: `${kind}.rename`, id: place.id, name });
    uniqueName(kind, name, () => db.stmt(`UPDATE ${TABLE[kind]} SET name = ? WHERE id = ?`).run(name, place.id));
    session.audit(`${kind}.rename`, `${place.name} → ${name}`);
    return db.query<NamedSummary>(`SELECT id, name, created_at AS created FROM ${TABLE[kind]} WHERE id = ?`).get(place.id)!;
  });
}

/** Seals a new scope's key to everyone the roster lets hold it, this session included. */
function grantNewScope(session: Session, scope: { id: string; key: Uint8Array; version: number }): void {
  for (const g of session.roster.granteesOf(scope.id)) grantScope(session.db, session.vaultId, session.signer(), scope.id, scope.version, scope.key, g);
  session.adoptScopeKey(scope.id, scope.key, scope.version);
}

/** A workspace's key is sealed to every member: all members belong to every workspace (docs/decisions.md). */
export function addWorkspace(session: Session, rawName: string): NamedSummary {
  session.authorize('workspace.create');
  const name = parseInput(workspaceName, rawName, 'name');
  const db = session.db;
  const now = session.ctx.clock.now();
  refuseTaken(session, 'workspace', name);
  return session.write(() => {
    const scope = createScope(db, session.ctx, 'workspace', { created: now });
    const id = session.ctx.random.uuid();
    session.appendRoster({ type: 'workspace.add', workspace: { id, name, scopeId: scope.id, created: now } });
    uniqueName('workspace', name, () =>
      db.stmt('INSERT INTO workspaces (id, name, scope_id, created_at) VALUES (?, ?, ?, ?)').run(id, name, scope.id, now),
    );
    grantNewScope(session, scope);
    session.audit('workspace.add', name);
    return { id, name, created: now };
  });
}

/** Workspaces as the verified roster says. */
export function listWorkspaces(session: Session): NamedSummary[] {
  session.catchUpRoster();
  return [...session.roster.workspaces.values()]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((w) => ({ id: w.id, name: w.name, created: w.created }));
}

export function renameWorkspace(session: Session, from: string, to: string): NamedSummary {
  session.authorize('workspace.create');
  return rename(session, 'workspace', from, to);
}

/**
 * Refused while any secret lives in the workspace, scheduled ones included, with their count:
 * deleting it would take them along, and Coffer never loses a value without the lifecycle's notice.
 */
export function deleteWorkspace(session: Session, name: string): void {
  session.authorize('workspace.create');
  const db = session.db;
  session.write(() => {
    const ws = findNamed(session, 'workspace', name);
    const living = db.count('SELECT count(*) AS n FROM secrets WHERE scope_id = ?', ws.scopeId);
    if (living > 0) throw new CofferError('CONFLICT', `workspace "${ws.name}" still holds ${living} secret(s): move or delete them first`, 'workspace');
    const accounts = [...session.roster.accounts.values()].filter((a) => a.workspace === ws.id).length;
    if (accounts > 0) throw new CofferError('CONFLICT', `${accounts} service account(s) belong to workspace "${ws.name}": delete them first`, 'workspace');
    session.appendRoster({ type: 'workspace.delete', id: ws.id });
    db.stmt('DELETE FROM workspaces WHERE id = ?').run(ws.id);
    db.stmt('DELETE FROM scopes WHERE id = ?').run(ws.scopeId);
    session.audit('workspace.delete', ws.name);
  });
  session.index?.invalidate();
}

/** A team's key is sealed to its members and to every member whose role manages teams. */
export function addTeam(session: Session, rawName: string): TeamSummary {
  session.authorize('team.manage');
  const name = parseInput(teamName, rawName, 'name');
  const db = session.db;
  const now = session.ctx.clock.now();
  refuseTaken(session, 'team', name);
  return session.write(() => {
    const scope = createScope(db, session.ctx, 'team', { created: now });
    const id = session.ctx.random.uuid();
    session.appendRoster({ type: 'team.add', team: { id, name, scopeId: scope.id, created: now } });
    uniqueName('team', name, () => db.stmt('INSERT INTO teams (id, name, scope_id, created_at) VALUES (?, ?, ?, ?)').run(id, name, scope.id, now));
    grantNewScope(session, scope);
    session.audit('team.add', name);
    return { id, name, created: now, members: [], credentials: [] };
  });
}

function teamMembers(db: Db, teamId: string): string[] {
  return db
    .query<Pick<MemberRow, 'login'>>(
      'SELECT m.login FROM team_members tm JOIN members m ON m.id = tm.member_id WHERE tm.team_id = ? ORDER BY m.login COLLATE NOCASE',
    )
    .all(teamId)
    .map((r) => r.login);
}

/** Teams and their members: structure kept in clear, readable without a password. */
export function teamSummaries(db: Db): TeamSummary[] {
  return listNamed(db, 'team').map((t) => teamSummary(db, t.id));
}

/** Teams and their members as the verified roster says. */
export function listTeams(session: Session): TeamSummary[] {
  session.catchUpRoster();
  return [...session.roster.teams.values()].sort((a, b) => compareNames(a.name, b.name)).map((t) => teamOf(session, t.id));
}

export function renameTeam(session: Session, from: string, to: string): TeamSummary {
  session.authorize('team.manage');
  return teamOf(session, rename(session, 'team', from, to).id);
}

/** Refused while the team is the only reader of an organization secret: deleting it would lose the secret. */
export function deleteTeam(session: Session, name: string): void {
  session.authorize('team.manage');
  const db = session.db;
  session.write(() => {
    const team = findNamed(session, 'team', name);
    const orphans = db.count(
      `SELECT count(*) AS n FROM secret_readers r WHERE r.scope_id = ?
       AND NOT EXISTS (SELECT 1 FROM secret_readers o WHERE o.secret_id = r.secret_id AND o.scope_id <> r.scope_id)`,
      team.scopeId,
    );
    if (orphans > 0) {
      throw new CofferError('CONFLICT', `team "${team.name}" is the only reader of ${orphans} secret(s): make them available to other teams first`, 'team');
    }
    session.appendRoster({ type: 'team.delete', id: team.id });
    db.stmt('DELETE FROM secret_readers WHERE scope_id = ?').run(team.scopeId);
    db.stmt('DELETE FROM team_members WHERE team_id = ?').run(team.id);
    db.stmt('DELETE FROM teams WHERE id = ?').run(team.id);
    db.stmt('DELETE FROM scopes WHERE id = ?').run(team.scopeId);
    session.audit('team.delete', team.name);
  });
  session.index?.invalidate();
}

export function addTeamMember(session: Session, teamName: string, login: string): TeamSummary {
  session.authorize('team.manage');
  const db = session.db;
  return session.write(() => {
    const team = findNamed(session, 'team', teamName);
    const m = rosterMemberByLogin(session, login);
    const k = session.scopeKey(team.scopeId);
    if (!session.roster.teams.get(team.id)!.members.has(m.id)) session.appendRoster({ type: 'team.member.add', team: team.id, member: m.id });
    db.stmt('INSERT OR IGNORE INTO team_members (team_id, member_id) VALUES (?, ?)').run(team.id, m.id);
    grantScope(db, session.vaultId, session.signer(), team.scopeId, k.version, k.key, memberGrantee(m));
    session.audit('team.member.add', `${team.name}: ${m.login}`);
    return teamOf(session, team.id);
  });
}

/**
 * Removes membership. A member whose role manages teams keeps the key by their role; anyone else
 * loses it, and the team is rotated with new data keys for its secrets (writeRotating), so the keys
 * they kept open nothing written afterwards.
 */
export function removeTeamMember(session: Session, teamName: string, login: string): TeamSummary {
  session.authorize('team.manage');
  const db = session.db;
  return writeRotating(session, (rotate) => {
    const team = findNamed(session, 'team', teamName);
    const m = rosterMemberByLogin(session, login);
    if (!session.roster.teams.get(team.id)!.members.has(m.id)) throw new CofferError('NOT_FOUND', `${login} is not a member of team "${team.name}"`, 'member');
    session.appendRoster({ type: 'team.member.remove', team: team.id, member: m.id });
    db.stmt('DELETE FROM team_members WHERE team_id = ? AND member_id = ?').run(team.id, m.id);
    if (!session.roster.mayHold(team.scopeId, m.id)) rotate([team.scopeId]);
    session.audit('team.member.remove', `${team.name}: ${m.login}`);
    return teamOf(session, team.id);
  });
}

/** One team and its members' logins, as the roster says. */
function teamOf(session: Session, teamId: string): TeamSummary {
  const t = session.roster.teams.get(teamId)!;
  const members = [...t.members].map((id) => session.roster.member(id)?.login ?? '').sort(compareNames);
  const credentials = [...session.roster.credentials.values()].filter((c) => c.teams.has(t.id)).map((c) => c.name).sort(compareNames);
  return { id: t.id, name: t.name, created: t.created, members, credentials };
}

function teamSummary(db: Db, teamId: string): TeamSummary {
  const t = db.query<NamedSummary>('SELECT id, name, created_at AS created FROM teams WHERE id = ?').get(teamId)!;
  return { ...t, members: teamMembers(db, teamId), credentials: [] };
}
