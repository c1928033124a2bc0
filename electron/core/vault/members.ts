import { CofferError } from '../../../shared/errors';
import type { MemberSummary, Role } from '../../../shared/schemas/vault';
import { memberName, password as passwordSchema, role as roleSchema } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import { can } from '../access/permissions';
import { rekeyAudit } from '../audit/rekey';
import { integrityKey, wipe } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { ScopeGrantRow, ScopeRow, TeamRow } from '../db/rows';
import type { OrganizationKeyChange } from './rotation';
import { writeRotating } from './rotation';
import { createScope, grantScope } from './scopes';
import type { Session } from './session';
import { checkSettings, rekeySettings } from './settings';
import { insertMember, prepareMember } from './vault';

/**
 * Scopes a member of this role is granted besides their own personal scope: the organization and
 * every workspace (all members belong to every workspace, docs/decisions.md), and every team when
 * the role manages teams — they register and edit team-only organization secrets.
 */
function sharedScopesFor(session: Session, role: Role): Pick<ScopeRow, 'id' | 'kind'>[] {
  const rows = session.db.query<Pick<ScopeRow, 'id' | 'kind'>>("SELECT id, kind FROM scopes WHERE kind IN ('organization', 'workspace', 'team')").all();
  return rows.filter((s) => s.kind !== 'team' || can(role, 'team.manage'));
}

export function addMember(session: Session, input: { name: string; role: string; password: string }): MemberSummary {
  session.authorize('member.manage');
  const login = parseInput(memberName, input.name, 'name');
  const role = parseInput(roleSchema, input.role, 'role');
  const pw = parseInput(passwordSchema, input.password, 'password');
  if (role === 'account-holder') session.authorize('member.grantAccountHolder');
  const vault = session.vault;
  const profile = checkSettings(session).values.kdfProfile;
  const member = prepareMember(session.ctx, vault.id, { login, role, password: pw, profile });
  const now = session.ctx.clock.now();
  session.db.write(() => {
    insertMember(session.db, now, member);
    const grantee = { kind: 'member' as const, id: member.id, boxPublic: member.keys.boxPublic };
    const personal = createScope(session.db, session.ctx, 'personal', member.id);
    grantScope(session.db, personal.id, personal.version, personal.key, grantee);
    // The adder seals the new personal key and forgets it: no one else ever holds it.
    wipe(personal.key);
    for (const scope of sharedScopesFor(session, role)) {
      const k = session.scopeKey(scope.id);
      grantScope(session.db, scope.id, k.version, k.key, grantee);
    }
    session.audit('member.add', login);
  });
  wipe(member.keys.boxSecret, member.keys.signSecret);
  return { id: member.id, name: login, role, created: now };
}

export function listMembers(session: Session): MemberSummary[] {
  session.assertUnlocked();
  return session.vault.members();
}

/**
 * Changes a role; at least one Account Holder always remains, and team keys follow the role: a
 * role that stops managing teams loses the keys of the teams the member is not in, and those teams
 * are rotated (writeRotating), so the keys they kept open nothing written afterwards.
 */
export function setMemberRole(session: Session, name: string, nextRole: string): MemberSummary {
  session.authorize('member.manage');
  const role = parseInput(roleSchema, nextRole, 'role');
  const target = session.vault.memberGranteeByLogin(name);
  if (role === 'account-holder' || target.role === 'account-holder') session.authorize('member.grantAccountHolder');
  const db = session.db;
  writeRotating(session, (rotate) => {
    if (target.role === 'account-holder' && role !== 'account-holder') {
      const holders = db.count("SELECT count(*) AS n FROM members WHERE role = 'account-holder'");
      if (holders <= 1) throw new CofferError('CONFLICT', 'the last Account Holder cannot change role: make another member Account Holder first', 'role');
    }
    db.stmt('UPDATE members SET role = ? WHERE id = ?').run(role, target.id);
    session.audit('member.role', `${name}:${role}`);
    const teams = db
      .query<Pick<ScopeRow, 'id'> & { team_id: TeamRow['id'] }>('SELECT s.id, t.id AS team_id FROM scopes s JOIN teams t ON t.scope_id = s.id')
      .all();
    const lost: string[] = [];
    for (const team of teams) {
      const isTeamMember = db.stmt('SELECT 1 FROM team_members WHERE team_id = ? AND member_id = ?').get(team.team_id, target.id) !== undefined;
      if (can(role, 'team.manage') || isTeamMember) {
        const k = session.scopeKey(team.id);
        grantScope(db, team.id, k.version, k.key, target.grantee);
      } else if (holdsGrant(session, team.id, target.id)) {
        lost.push(team.id);
      }
    }
    if (lost.length > 0) rotate(lost, target.id);
  });
  const m = session.vault.members().find((x) => x.id === target.id)!;
  return m;
}

function holdsGrant(session: Session, scopeId: string, memberId: string): boolean {
  return session.db.stmt("SELECT 1 FROM scope_grants WHERE scope_id = ? AND grantee_kind = 'member' AND grantee_id = ?").get(scopeId, memberId) !== undefined;
}

/**
 * Records MACed under keys derived from the organization key (settings, the audit chain:
 * docs/product.md §1a) follow it to its new version inside the rotating transaction, so a removed
 * member's copy of the old key forges nothing afterwards. The member.remove entry is already in
 * the chain and is re-keyed with the rest.
 */
function rekeyOrganizationRecords(db: Db, org: OrganizationKeyChange): void {
  rekeySettings(db, org.oldKey, org.newKey, org.version);
  const oldAudit = integrityKey(org.oldKey, 'audit');
  const newAudit = integrityKey(org.newKey, 'audit');
  try {
    rekeyAudit(db, oldAudit, newAudit, org.version);
  } finally {
    wipe(oldAudit, newAudit);
  }
}

/**
 * Removes a member: their personal secrets go with them (no one else can open them), and every
 * shared scope they could open is rotated with new data keys for its secrets (writeRotating), so
 * nothing they kept opens anything written afterwards.
 */
export function removeMember(session: Session, name: string): void {
  session.authorize('member.manage');
  const target = session.vault.memberGranteeByLogin(name);
  if (target.role === 'account-holder') session.authorize('member.grantAccountHolder');
  if (target.id === session.member.id) throw new CofferError('CONFLICT', 'you cannot remove yourself', 'member');
  const db = session.db;
  writeRotating(session, (rotate) => {
    if (target.role === 'account-holder') {
      const holders = db.count("SELECT count(*) AS n FROM members WHERE role = 'account-holder'");
      if (holders <= 1) throw new CofferError('CONFLICT', 'the last Account Holder cannot be removed', 'member');
    }
    const personal = db.query<Pick<ScopeRow, 'id'>>("SELECT id FROM scopes WHERE kind = 'personal' AND owner_id = ?").all(target.id);
    for (const p of personal) {
      db.stmt('DELETE FROM secrets WHERE scope_id = ?').run(p.id);
      db.stmt('DELETE FROM scope_grants WHERE scope_id = ?').run(p.id);
      db.stmt('DELETE FROM scopes WHERE id = ?').run(p.id);
    }
    // Appended before the organization key rotates, under the audit key the chain is kept with until
    // the re-keying below moves the whole chain, this entry included, to the new one.
    session.audit('member.remove', name);
    const shared = db
      .query<Pick<ScopeGrantRow, 'scope_id'>>("SELECT scope_id FROM scope_grants WHERE grantee_kind = 'member' AND grantee_id = ?")
      .all(target.id);
    const rotation = rotate(shared.map((g) => g.scope_id), target.id);
    if (rotation.organization) rekeyOrganizationRecords(db, rotation.organization);
    db.stmt('DELETE FROM members WHERE id = ?').run(target.id);
  });
}
