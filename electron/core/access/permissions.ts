import { CofferError } from '../../../shared/errors';
import type { BuiltInRole, Operation } from '../../../shared/schemas/roles';
import { OPERATION_LABELS } from '../../../shared/schemas/roles';
import type { Level } from '../../../shared/schemas/secrets';

export type { Operation } from '../../../shared/schemas/roles';

/**
 * The one permission table (docs/product.md §5 defaults) for the built-in roles. A custom role is
 * a named set of these operations, signed on the roster (access/roster-state.ts allows); every door
 * reaches both through the core.
 */
const TABLE: Record<Operation, readonly BuiltInRole[]> = {
  'vault.settings': ['account-holder'],
  'member.grantAccountHolder': ['account-holder'],
  'member.manage': ['account-holder', 'sys-admin'],
  'credential.manage': ['account-holder', 'sys-admin'],
  'serviceAccount.manage': ['account-holder', 'sys-admin'],
  'secret.organization.write': ['account-holder', 'account-manager'],
  'workspace.create': ['account-holder', 'sys-admin', 'account-manager'],
  'team.manage': ['account-holder', 'sys-admin', 'account-manager'],
  'secret.workspace.write': ['account-holder', 'sys-admin', 'account-manager', 'member'],
  'secret.personal.write': ['account-holder', 'sys-admin', 'account-manager', 'member'],
  'audit.read': ['account-holder', 'sys-admin', 'account-manager'],
  'bundle.exportOrganization': ['account-holder', 'sys-admin', 'account-manager'],
};

export function builtInAllows(role: BuiltInRole, op: Operation): boolean {
  return TABLE[op].includes(role);
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
