import { CofferError } from '../../../shared/errors';
import type { Level } from '../../../shared/schemas/secrets';
import type { Role } from '../../../shared/schemas/vault';
import { ROLE_LABELS } from '../../../shared/schemas/vault';

export type Operation =
  | 'vault.settings'
  | 'member.grantAccountHolder'
  | 'member.manage'
  | 'credential.manage'
  | 'serviceAccount.manage'
  | 'secret.organization.write'
  | 'workspace.create'
  | 'team.manage'
  | 'secret.workspace.write'
  | 'secret.personal.write'
  | 'audit.read'
  | 'bundle.exportOrganization';

/** The one permission table (docs/product.md §5 defaults). Every door reaches it through the core. */
const TABLE: Record<Operation, readonly Role[]> = {
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

const DESCRIPTIONS: Record<Operation, string> = {
  'vault.settings': 'change vault settings',
  'member.grantAccountHolder': 'grant the Account Holder role',
  'member.manage': 'add or remove members and change roles',
  'credential.manage': 'manage service credentials',
  'serviceAccount.manage': 'manage service accounts',
  'secret.organization.write': 'register, edit or delete organization secrets',
  'workspace.create': 'create or rename workspaces',
  'team.manage': 'manage teams',
  'secret.workspace.write': 'write workspace secrets',
  'secret.personal.write': 'write personal secrets',
  'audit.read': 'read the audit log',
  'bundle.exportOrganization': 'export organization scopes',
};

export function can(role: Role, op: Operation): boolean {
  return TABLE[op].includes(role);
}

export function authorize(role: Role, op: Operation): void {
  if (!can(role, op)) throw new CofferError('FORBIDDEN', `${ROLE_LABELS[role]} may not ${DESCRIPTIONS[op]}`);
}

/** The permission that writing (register, edit, restore, delete) a secret of each level needs. */
export const SECRET_WRITE: Record<Level, Operation> = {
  organization: 'secret.organization.write',
  workspace: 'secret.workspace.write',
  personal: 'secret.personal.write',
};
