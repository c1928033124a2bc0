import { CofferError } from '../../../shared/errors';
import type { BuiltInRole, Operation } from '../../../shared/schemas/roles';
import { OPERATION_LABELS } from '../../../shared/schemas/roles';
import type { Level } from '../../../shared/schemas/secrets';

export type { Operation } from '../../../shared/schemas/roles';

/**
 * The one permission table (docs/product.md §5 defaults) for the built-in roles, and whether each
 * operation writes the vault (a read-only session is granted none that does: docs/product.md §3). A
 * custom role is a named set of these operations, signed on the roster (access/roster-state.ts
 * allows); every door reaches both through the core.
 */
const TABLE: Record<Operation, { roles: readonly BuiltInRole[]; writes: boolean }> = {
  'vault.settings': { roles: ['account-holder'], writes: true },
  'member.grantAccountHolder': { roles: ['account-holder'], writes: true },
  'member.manage': { roles: ['account-holder', 'sys-admin'], writes: true },
  'credential.manage': { roles: ['account-holder', 'sys-admin'], writes: true },
  'serviceAccount.manage': { roles: ['account-holder', 'sys-admin'], writes: true },
  'secret.organization.write': { roles: ['account-holder', 'account-manager'], writes: true },
  'workspace.create': { roles: ['account-holder', 'sys-admin', 'account-manager'], writes: true },
  'team.manage': { roles: ['account-holder', 'sys-admin', 'account-manager'], writes: true },
  'secret.workspace.write': { roles: ['account-holder', 'sys-admin', 'account-manager', 'member'], writes: true },
  'secret.personal.write': { roles: ['account-holder', 'sys-admin', 'account-manager', 'member'], writes: true },
  'audit.read': { roles: ['account-holder', 'sys-admin', 'account-manager'], writes: false },
  // An export reads the vault and writes its file elsewhere.
  'bundle.exportOrganization': { roles: ['account-holder', 'sys-admin', 'account-manager'], writes: false },
};

export function builtInAllows(role: BuiltInRole, op: Operation): boolean {
  return TABLE[op].roles.includes(role);
}

/** Whether doing `op` changes the vault file: what a read-only session is never permitted. */
export function writesVault(op: Operation): boolean {
  return TABLE[op].writes;
}

/** The refusal every door shows for an operation a role lacks. */
export function forbidden(roleName: string, op: Operation): CofferError {
  return new CofferError('FORBIDDEN', `${roleName} may not ${OPERATION_LABELS[op]}`);
}

/** The permission that writing (register, edit, restore, delete) a secret of each level needs. */
export const SECRET_WRITE: Record<Level, Operation> = {
  organization: 'secret.organization.write',
  workspace: 'secret.workspace.write',
  personal: 'secret.personal.write',
};
