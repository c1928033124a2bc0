import type { Operation } from '../../shared/schemas/roles';

/**
 * docs/product.md §5 written out role by role, independently of the core's table, for the tests
 * that try every role against every operation through the core and through the CLI.
 */

/** A custom role an Account Holder could define: it reads the audit log and manages teams. */
export const CUSTOM_ROLE = { name: 'Auditor', operations: ['audit.read', 'team.manage', 'secret.personal.write'] as Operation[] };

export const ROLES_UNDER_TEST = ['account-holder', 'sys-admin', 'account-manager', 'member', 'Auditor'] as const;
export type RoleUnderTest = (typeof ROLES_UNDER_TEST)[number];

const ALL_MEMBERS: Operation[] = ['secret.workspace.write', 'secret.personal.write'];

export const EXPECTED: Record<RoleUnderTest, readonly Operation[]> = {
  'account-holder': [
    'vault.settings',
    'member.grantAccountHolder',
    'member.manage',
    'credential.manage',
    'serviceAccount.manage',
    'secret.organization.write',
    'workspace.create',
    'team.manage',
    ...ALL_MEMBERS,
    'audit.read',
    'bundle.exportOrganization',
  ],
  'sys-admin': ['member.manage', 'credential.manage', 'serviceAccount.manage', 'workspace.create', 'team.manage', ...ALL_MEMBERS, 'audit.read', 'bundle.exportOrganization'],
  'account-manager': ['secret.organization.write', 'workspace.create', 'team.manage', ...ALL_MEMBERS, 'audit.read', 'bundle.exportOrganization'],
  member: ALL_MEMBERS,
  Auditor: CUSTOM_ROLE.operations,
};
