import { CofferError } from '../../../shared/errors';
import type { NamedSummary, TeamSummary } from '../../../shared/schemas/vault';
import { teamName, workspaceName } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import { can } from '../access/permissions';
import type { Db } from '../db/connection';
import type { MemberRow, TeamRow, WorkspaceRow } from '../db/rows';
import { writeRotating } from './rotation';
import { createScope, grantScope, memberGrantee } from './scopes';
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

type Named = Pick<WorkspaceRow | TeamRow, 'id' | 'name' | 'scope_id'>;

/** `field` is the input that named it, when that is not the kind itself (a secret's `teams`). */
export function findNamed(db: Db, kind: Kind, name: string, field: string = kind): Named {
  const row = db.query<Named>(`SELECT id, name, scope_id FROM ${TABLE[kind]} WHERE name = ? COLLATE NOCASE`).get(name.trim());
  if (!row) throw new CofferError('NOT_FOUND', `no ${LABEL[kind]} named "${name}"`, field);
  return row;
}

function listNamed(db: Db, kind: Kind): NamedSummary[] {
  return db.query<NamedSummary>(`SELECT id, name, created_at AS created FROM ${TABLE[kind]} ORDER BY name COLLATE NOCASE`).all();
}

function rename(session: Session, kind: Kind, from: string, to: string): NamedSummary {
  const name = parseInput(kind === 'workspace' ? workspaceName : teamName, to, 'name');
  const db = session.db;
  return db.write(() => {
    const row = findNamed(db, kind, from);
    uniqueName(kind, name, () => db.stmt(`UPDATE ${TABLE[kind]} SET name = ? WHERE id = ?`).run(name, row.id));
    session.audit(`${kind}.rename`, row.id);
    return db.query<NamedSummary>(`SELECT id, name, created_at AS created FROM ${TABLE[kind]} WHERE id = ?`).get(row.id)!;
  });
}

type GranteeRow = Pick<MemberRow, 'id' | 'role' | 'box_public'>;

/** A workspace's key is sealed to every member: all members belong to every workspace (docs/decisions.md). */
export function addWorkspace(session: Session, rawName: string): NamedSummary {
  session.authorize('workspace.create');
  const name = parseInput(workspaceName, rawName, 'name');
  const db = session.db;
  const now = session.ctx.clock.now();
  return db.write(() => {
    const scope = createScope(db, session.ctx, 'workspace');
    const id = session.ctx.random.uuid();
    uniqueName('workspace', name, () =>
      db.stmt('INSERT INTO workspaces (id, name, scope_id, created_at) VALUES (?, ?, ?, ?)').run(id, name, scope.id, now),
    );
    for (const m of db.query<GranteeRow>('SELECT id, role, box_public FROM members').all()) {
      grantScope(db, scope.id, scope.version, scope.key, memberGrantee(m));
    }
    session.adoptScopeKey(scope.id, scope.key, scope.version);
    session.audit('workspace.add', id);
    return { id, name, created: now };
  });
}

export const listWorkspaces = (session: Session): NamedSummary[] => (session.assertUnlocked(), listNamed(session.db, 'workspace'));

export function renameWorkspace(session: Session, from: string, to: string): NamedSummary {
  session.authorize('workspace.create');
  return rename(session, 'workspace', from, to);
}

/** A team's key is sealed to its members and to every member whose role manages teams. */
export function addTeam(session: Session, rawName: string): TeamSummary {
  session.authorize('team.manage');
  const name = parseInput(teamName, rawName, 'name');
  const db = session.db;
  const now = session.ctx.clock.now();
  return db.write(() => {
    const scope = createScope(db, session.ctx, 'team');
    const id = session.ctx.random.uuid();
    uniqueName('team', name, () => db.stmt('INSERT INTO teams (id, name, scope_id, created_at) VALUES (?, ?, ?, ?)').run(id, name, scope.id, now));
    for (const m of db.query<GranteeRow>('SELECT id, role, box_public FROM members').all()) {
      if (can(m.role, 'team.manage')) grantScope(db, scope.id, scope.version, scope.key, memberGrantee(m));
    }
    session.adoptScopeKey(scope.id, scope.key, scope.version);
    session.audit('team.add', id);
    return { id, name, created: now, members: [] };
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

export function listTeams(session: Session): TeamSummary[] {
  session.assertUnlocked();
  return teamSummaries(session.db);
}

export function renameTeam(session: Session, from: string, to: string): TeamSummary {
  session.authorize('team.manage');
  return teamSummary(session.db, rename(session, 'team', from, to).id);
}

/** Refused while the team is the only reader of an organization secret: deleting it would lose the secret. */
export function deleteTeam(session: Session, name: string): void {
  session.authorize('team.manage');
  const db = session.db;
  db.write(() => {
    const team = findNamed(db, 'team', name);
    const orphans = db.count(
      `SELECT count(*) AS n FROM secret_readers r WHERE r.scope_id = ?
       AND NOT EXISTS (SELECT 1 FROM secret_readers o WHERE o.secret_id = r.secret_id AND o.scope_id <> r.scope_id)`,
      team.scope_id,
    );
    if (orphans > 0) {
      throw new CofferError('CONFLICT', `team "${team.name}" is the only reader of ${orphans} secret(s): make them available to other teams first`, 'team');
    }
    db.stmt('DELETE FROM secret_readers WHERE scope_id = ?').run(team.scope_id);
    db.stmt('DELETE FROM teams WHERE id = ?').run(team.id);
    db.stmt('DELETE FROM scopes WHERE id = ?').run(team.scope_id);
    session.audit('team.delete', team.id);
  });
  session.index?.invalidate();
}

export function addTeamMember(session: Session, teamName: string, login: string): TeamSummary {
  session.authorize('team.manage');
  const db = session.db;
  return db.write(() => {
    const team = findNamed(db, 'team', teamName);
    const m = session.vault.memberGranteeByLogin(login);
    const k = session.scopeKey(team.scope_id);
    db.stmt('INSERT OR IGNORE INTO team_members (team_id, member_id) VALUES (?, ?)').run(team.id, m.id);
    grantScope(db, team.scope_id, k.version, k.key, m.grantee);
    session.audit('team.member.add', `${team.id}:${login}`);
    return teamSummary(db, team.id);
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
    const team = findNamed(db, 'team', teamName);
    const m = session.vault.memberGranteeByLogin(login);
    const removed = db.stmt('DELETE FROM team_members WHERE team_id = ? AND member_id = ?').run(team.id, m.id);
    if (removed.changes === 0) throw new CofferError('NOT_FOUND', `${login} is not a member of team "${team.name}"`, 'member');
    if (!can(m.role, 'team.manage')) rotate([team.scope_id], m.id);
    session.audit('team.member.remove', `${team.id}:${login}`);
    return teamSummary(db, team.id);
  });
}

function teamSummary(db: Db, teamId: string): TeamSummary {
  const t = db.query<NamedSummary>('SELECT id, name, created_at AS created FROM teams WHERE id = ?').get(teamId)!;
  return { ...t, members: teamMembers(db, teamId) };
}
