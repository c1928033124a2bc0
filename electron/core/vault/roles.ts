import { CofferError } from '../../../shared/errors';
import type { Operation, RoleId, RoleSummary } from '../../../shared/schemas/roles';
import { OPERATIONS, ROLES, defineRoleInput, updateRoleInput } from '../../../shared/schemas/roles';
import { parseInput } from '../../../shared/validation';
import { builtInAllows } from '../access/permissions';
import { resignGrantsOf } from '../access/grants';
import type { RosterRole } from '../access/roster-state';
import { compareNames } from '../access/roster-state';
import { teamKeysFollowRoles } from './members';
import { writeRotating } from './rotation';
import type { Session } from './session';

/**
 * Custom roles (docs/product.md §5): named sets of the permission table's operations, signed on the
 * roster by an Account Holder, so the same check (RosterState.allows) decides for built-in and
 * custom roles at every door.
 */

function membersWith(session: Session, role: RoleId): string[] {
  return [...session.roster.members.values()].filter((m) => m.role === role).map((m) => m.id);
}

const summaryOf = (session: Session, r: RosterRole): RoleSummary => ({
  id: r.id as RoleId,
  name: r.name,
  builtIn: false,
  operations: OPERATIONS.filter((op) => r.operations.has(op)),
  members: membersWith(session, r.id as RoleId).length,
});

/** The built-in roles, then the custom ones by name. */
export function listRoles(session: Session): RoleSummary[] {
  session.catchUpRoster();
  const builtIn = ROLES.map(
    (id): RoleSummary => ({ id, name: session.roster.roleName(id), builtIn: true, operations: OPERATIONS.filter((op) => builtInAllows(id, op)), members: membersWith(session, id).length }),
  );
  const custom = [...session.roster.roles.values()].sort((a, b) => compareNames(a.name, b.name)).map((r) => summaryOf(session, r));
  return [...builtIn, ...custom];
}

function refuseTakenName(session: Session, name: string, except?: string): void {
  const clash = session.roster.roleByName(name);
  if (clash && clash !== except) throw new CofferError('CONFLICT', `a role named "${name}" already exists`, 'name');
}

export function defineRole(session: Session, input: { name: string; operations: readonly string[] }): RoleSummary {
  session.authorize('member.grantAccountHolder');
  const v = parseInput(defineRoleInput, input);
  refuseTakenName(session, v.name);
  const id = `role:${session.ctx.random.uuid()}`;
  return session.write(() => {
    session.appendRoster({ type: 'role.define', role: { id, name: v.name, operations: v.operations, created: session.ctx.clock.now() } });
    session.audit('role.define', v.name);
    return summaryOf(session, session.roster.roles.get(id)!);
  });
}

/** A custom role by id or name; a built-in role is not editable. */
function customRole(session: Session, ref: string): RosterRole {
  const id = session.roster.roleByName(ref) ?? ref;
  const r = session.roster.roles.get(id);
  if (!r) {
    if ((ROLES as readonly string[]).includes(id)) throw new CofferError('CONFLICT', 'built-in roles cannot be changed: define a custom role instead', 'role');
    throw new CofferError('NOT_FOUND', `no custom role named "${ref}"`, 'role');
  }
  return r;
}

/**
 * Renames a custom role or changes its operations. Its members' keys follow at once: grants they
 * signed are signed again by the Account Holder making the change (a role that stops granting would
 * leave them unvouched for), and team keys go to or are rotated away from them (teamKeysFollowRoles).
 */
export function updateRole(session: Session, input: { role: string; name?: string; operations?: readonly string[] }): RoleSummary {
  session.authorize('member.grantAccountHolder');
  const v = parseInput(updateRoleInput, input);
  const before = customRole(session, v.role);
  const name = v.name ?? before.name;
  const operations: Operation[] = v.operations ?? [...before.operations];
  refuseTakenName(session, name, before.id);
  const holders = membersWith(session, before.id as RoleId);
  if (holders.includes(session.member.id) && [...before.operations].some((op) => !operations.includes(op))) {
    throw new CofferError('CONFLICT', 'you cannot take operations away from your own role: another Account Holder must', 'operations');
  }
  return writeRotating(session, (rotate) => {
    for (const id of holders) resignGrantsOf(session.db, session.vaultId, session.roster, id, session.signer());
    session.appendRoster({ type: 'role.update', id: before.id, name, operations });
    session.audit('role.update', name);
    teamKeysFollowRoles(session, holders, rotate);
    return summaryOf(session, session.roster.roles.get(before.id)!);
  });
}

/** Refused while any member has the role: give them another first. */
export function deleteRole(session: Session, ref: string): void {
  session.authorize('member.grantAccountHolder');
  const r = customRole(session, ref);
  const holders = membersWith(session, r.id as RoleId).length;
  if (holders > 0) throw new CofferError('CONFLICT', `${holders} member(s) have the role "${r.name}": give them another role first`, 'role');
  session.write(() => {
    session.appendRoster({ type: 'role.delete', id: r.id });
    session.audit('role.delete', r.name);
  });
}
