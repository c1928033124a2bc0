import { CofferError } from '../../../shared/errors';
import type { MemberSummary } from '../../../shared/schemas/vault';
import { memberName, password as passwordSchema, role as roleSchema } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import type { RoleId } from '../../../shared/schemas/roles';
import { ROLES } from '../../../shared/schemas/roles';
import { grantScope, memberGrantee, resignGrantsOf } from '../access/grants';
import { memberEntryOf } from '../access/roster';
import { writeRosterHead } from '../access/roster-head';
import { compareNames, type RosterMember } from '../access/roster-state';
import { rekeyAudit } from '../audit/rekey';
import { integrityKey, wipe } from '../crypto/keys';
import type { ScopeGrantRow } from '../db/rows';
import type { OrganizationKeyChange, Rotate } from './rotation';
import { writeRotating } from './rotation';
import { createScope } from './scopes';
import type { Session } from './session';
import { checkSettings, rekeySettings } from './settings';
import { insertMember, prepareMember, rosterMemberOf, sealMemberKeys } from './vault';
import { newSetupCode } from './setup-code';

/** A member as the verified roster names them (docs/product.md §1a). */
export function rosterMemberByLogin(session: Session, login: string): RosterMember {
  const m = session.roster.memberByLogin(login);
  if (!m) throw new CofferError('NOT_FOUND', `no member named "${login}"`, 'member');
  return m;
}

/** The permissions under which someone's signature on a grant is accepted (access/roster-state.ts mayGrant). */
const GRANTING = ['member.manage', 'workspace.create', 'team.manage'] as const;

const summaryOf = (session: Session, m: RosterMember, lastUnlock: number | null = null): MemberSummary => ({
  id: m.id,
  name: m.login,
  role: m.role,
  roleName: session.roster.roleName(m.role),
  created: m.created,
  lastUnlock,
});

/** A role as someone names it (built-in id or label, or a custom role's name), as the roster knows it. */
export function resolveRole(session: Session, name: string): RoleId {
  const text = parseInput(roleSchema, name, 'role');
  const role = session.roster.roleByName(text);
  if (!role) {
    const known = [...ROLES, ...[...session.roster.roles.values()].map((r) => r.name)];
    throw new CofferError('VALIDATION', `no role named "${text}": roles are ${known.join(', ')}`, 'role');
  }
  return role;
}

/** Refused unless this member may give `role` (RosterState.mayGiveRole): a custom role needs all its operations, or an Account Holder. */
function authorizeGiving(session: Session, role: RoleId): void {
  if (session.roster.mayGiveRole(session.member.id, role)) return;
  const name = session.roster.roleName(role);
  throw new CofferError('FORBIDDEN', `${session.roster.roleName(session.member.role)} may not give the role "${name}": it allows what ${session.roster.roleName(session.member.role)} may not do`, 'role');
}

/** What adding a member hands back: with no password given, the one-time setup code to pass on to them. */
export type AddedMember = MemberSummary & { setupCode?: string };

/**
 * Adds a member: signed onto the roster first, so every key sealed to them goes to a grantee on it.
 * They get their personal scope and the key of every scope the roster lets them hold: the
 * organization, every workspace, and every team when their role manages teams. Their keys are
 * sealed under the password they chose (typed by them at the CLI's prompt), or, when none is given,
 * under a one-time setup code the admin hands over and the member replaces at their first unlock:
 * an admin never chooses someone else's password.
 */
export function addMember(session: Session, input: { name: string; role: string; password?: string }): AddedMember {
  session.authorize('member.manage');
  const login = parseInput(memberName, input.name, 'name');
  const role = resolveRole(session, input.role);
  const setupCode = input.password === undefined ? newSetupCode(session.ctx.random) : undefined;
  const pw = setupCode ?? parseInput(passwordSchema, input.password, 'password');
  if (role === 'account-holder') session.authorize('member.grantAccountHolder');
  authorizeGiving(session, role);
  if (session.roster.memberByLogin(login)) throw new CofferError('CONFLICT', `a member named "${login}" already exists`, 'name');
  const profile = checkSettings(session).values.kdfProfile;
  const member = prepareMember(session.ctx, { login, role, password: pw, profile });
  const now = session.ctx.clock.now();
  const db = session.db;
  try {
    session.write(() => {
      const entry = rosterMemberOf(member, session.ctx.random.uuid(), now);
      session.appendRoster({ type: 'member.add', member: memberEntryOf(entry) });
      insertMember(db, now, member, sealMemberKeys(session.ctx, session.vaultId, member, session.rosterPin, setupCode ? 'setup' : 'password'));
      const personal = createScope(db, session.ctx, 'personal', { created: now, owner: member.id, id: entry.personalScopeId });
      const signer = session.signer();
      grantScope(db, session.vaultId, signer, personal.id, personal.version, personal.key, memberGrantee(entry));
      // The adder seals the new personal key and forgets it: no one else ever holds it.
      wipe(personal.key);
      for (const scopeId of session.readableScopes()) {
        if (scopeId === personal.id || !session.roster.mayHold(scopeId, member.id)) continue;
        const k = session.scopeKey(scopeId);
        grantScope(db, session.vaultId, signer, scopeId, k.version, k.key, memberGrantee(entry));
      }
      session.audit('member.add', login);
    });
  } finally {
    wipe(member.passwordKey, member.keys.boxSecret, member.keys.signSecret);
  }
  return { ...summaryOf(session, session.roster.member(member.id)!), ...(setupCode ? { setupCode } : {}) };
}

/** Each member's last unlock, from the audit log (by login: the log names people as they were called). */
function lastUnlocks(session: Session): Map<string, number> {
  const rows = session.db.tuples<[actor: string, at: number]>("SELECT actor, max(at) FROM audit WHERE action = 'unlock' GROUP BY actor COLLATE NOCASE").all();
  return new Map(rows.map(([actor, at]) => [actor.toLowerCase(), at]));
}

export function listMembers(session: Session): MemberSummary[] {
  session.catchUpRoster();
  const unlocks = lastUnlocks(session);
  return [...session.roster.members.values()].sort((a, b) => compareNames(a.login, b.login)).map((m) => summaryOf(session, m, unlocks.get(m.login.toLowerCase()) ?? null));
}

function holdsGrant(session: Session, scopeId: string, memberId: string): boolean {
  return session.db.stmt("SELECT 1 FROM scope_grants WHERE scope_id = ? AND grantee_kind = 'member' AND grantee_id = ?").get(scopeId, memberId) !== undefined;
}

/**
 * Changes a role, signed onto the roster (which keeps one Account Holder at least). Team keys
 * follow the role: a role that stops managing teams loses the keys of the teams the member is not
 * in, and those teams are rotated (writeRotating), so the keys they kept open nothing written
 * afterwards. Grants the member signed are signed again by whoever changes the role, so none
 * depends on a role they may no longer have.
 */
export function setMemberRole(session: Session, name: string, nextRole: string): MemberSummary {
  session.authorize('member.manage');
  const role = resolveRole(session, nextRole);
  const target = rosterMemberByLogin(session, name);
  if (role === 'account-holder' || target.role === 'account-holder') session.authorize('member.grantAccountHolder');
  authorizeGiving(session, role);
  const roster = session.roster;
  if (target.id === session.member.id && GRANTING.some((op) => roster.allows(target.role, op) && !roster.allows(role, op))) {
    // What they signed would stop being vouched for, and no one else is here to sign it again.
    throw new CofferError('CONFLICT', 'you cannot give yourself a role that manages less: another member who manages members must change it', 'role');
  }
  if (target.role === 'account-holder' && role !== 'account-holder' && session.roster.accountHolders() <= 1) {
    throw new CofferError('CONFLICT', 'the last Account Holder cannot change role: make another member Account Holder first', 'role');
  }
  const db = session.db;
  writeRotating(session, (rotate) => {
    resignGrantsOf(db, session.vaultId, session.roster, target.id, session.signer());
    session.appendRoster({ type: 'member.role', member: target.id, role });
    db.stmt('UPDATE members SET role = ? WHERE id = ?').run(role, target.id);
    session.audit('member.role', `${target.login}:${session.roster.roleName(role)}`);
    teamKeysFollowRoles(session, [target.id], rotate);
  });
  return summaryOf(session, session.roster.member(target.id)!);
}

/**
 * After a role changed (one member's, or a custom role's operations): each team key goes to the
 * members whose role now lets them hold it, and the teams someone's role no longer lets them hold
 * are rotated (writeRotating), so the keys they kept open nothing written afterwards.
 */
export function teamKeysFollowRoles(session: Session, memberIds: readonly string[], rotate: Rotate): void {
  const db = session.db;
  const lost = new Set<string>();
  for (const team of session.roster.teams.values()) {
    for (const id of memberIds) {
      const m = session.roster.member(id)!;
      if (session.roster.mayHold(team.scopeId, id)) {
        if (!session.canRead(team.scopeId)) continue;
        const k = session.scopeKey(team.scopeId);
        grantScope(db, session.vaultId, session.signer(), team.scopeId, k.version, k.key, memberGrantee(m));
      } else if (holdsGrant(session, team.scopeId, id)) {
        lost.add(team.scopeId);
      }
    }
  }
  if (lost.size > 0) rotate([...lost]);
}

/**
 * Records MACed under keys derived from the organization key (settings, the audit chain, the
 * roster's head: docs/product.md §1a) follow it to its new version inside the rotating transaction,
 * so a removed member's copy of the old key forges nothing afterwards. The member.remove entry is
 * already in the chain and is re-keyed with the rest.
 */
export function rekeyOrganizationRecords(session: Session, org: OrganizationKeyChange): void {
  const db = session.db;
  rekeySettings(db, org.oldKey, org.newKey, org.version);
  const oldAudit = integrityKey(org.oldKey, 'audit');
  const newAudit = integrityKey(org.newKey, 'audit');
  const newRoster = integrityKey(org.newKey, 'roster');
  try {
    rekeyAudit(db, oldAudit, newAudit, org.version);
    writeRosterHead(db, session.vaultId, { key: newRoster, version: org.version }, session.rosterHead!);
  } finally {
    wipe(oldAudit, newAudit, newRoster);
  }
}

/**
 * Removes a member, signed onto the roster: their personal secrets go with them (no one else can
 * open them), every shared scope they could open is rotated with new data keys for its secrets
 * (writeRotating), and the grants they signed are signed again by the remover.
 */
export function removeMember(session: Session, name: string, confirm?: string): void {
  session.authorize('member.manage');
  const target = rosterMemberByLogin(session, name);
  // The app asks to type the login (docs/ui.md "Destructive actions"); the CLI's own argument is the confirmation.
  if (confirm !== undefined && confirm !== target.login) throw new CofferError('CONFLICT', `type the member's login, "${target.login}", exactly to remove them`, 'confirm');
  if (target.role === 'account-holder') session.authorize('member.grantAccountHolder');
  if (target.id === session.member.id) throw new CofferError('CONFLICT', 'you cannot remove yourself', 'member');
  if (target.role === 'account-holder' && session.roster.accountHolders() <= 1) throw new CofferError('CONFLICT', 'the last Account Holder cannot be removed', 'member');
  const db = session.db;
  writeRotating(session, (rotate) => {
    const personal = target.personalScopeId;
    db.stmt('DELETE FROM secrets WHERE scope_id = ?').run(personal);
    db.stmt('DELETE FROM scope_grants WHERE scope_id = ?').run(personal);
    db.stmt('DELETE FROM scopes WHERE id = ?').run(personal);
    resignGrantsOf(db, session.vaultId, session.roster, target.id, session.signer());
    session.appendRoster({ type: 'member.remove', member: target.id });
    // Appended before the organization key rotates, under the audit key the chain is kept with until
    // the re-keying below moves the whole chain, this entry included, to the new one.
    session.audit('member.remove', name);
    const shared = db
      .query<Pick<ScopeGrantRow, 'scope_id'>>("SELECT scope_id FROM scope_grants WHERE grantee_kind = 'member' AND grantee_id = ?")
      .all(target.id);
    const rotation = rotate(shared.map((g) => g.scope_id));
    if (rotation.organization) rekeyOrganizationRecords(session, rotation.organization);
    db.stmt('DELETE FROM team_members WHERE member_id = ?').run(target.id);
    db.stmt('DELETE FROM members WHERE id = ?').run(target.id);
  });
}
