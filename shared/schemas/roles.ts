import { z } from 'zod';
import { displayName } from './text';

/**
 * The operations of the permission table (docs/product.md §5). The table itself, which roles may do
 * which, lives in the core (electron/core/access/permissions.ts); the renderer learns what the
 * unlocked member may do from the app's status, never by deciding it again.
 */
export const OPERATIONS = [
  'vault.settings',
  'member.grantAccountHolder',
  'member.manage',
  'credential.manage',
  'serviceAccount.manage',
  'secret.organization.write',
  'workspace.create',
  'team.manage',
  'secret.workspace.write',
  'secret.personal.write',
  'audit.read',
  'bundle.exportOrganization',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** What each operation lets someone do, in words: error messages and the role editor say it the same way. */
export const OPERATION_LABELS: Record<Operation, string> = {
  'vault.settings': 'change vault settings',
  'member.grantAccountHolder': 'grant the Account Holder role',
  'member.manage': 'add or remove members and change roles',
  'credential.manage': 'manage service credentials',
  'serviceAccount.manage': 'manage service accounts',
  'secret.organization.write': 'register, edit or delete organization secrets',
  'workspace.create': 'create, rename or delete workspaces',
  'team.manage': 'manage teams',
  'secret.workspace.write': 'write workspace secrets',
  'secret.personal.write': 'write personal secrets',
  'audit.read': 'read the audit log',
  'bundle.exportOrganization': 'export organization scopes',
};

/** Making someone an Account Holder is what the Account Holder role is: no custom role carries it. */
export const CUSTOM_ROLE_OPERATIONS = OPERATIONS.filter((op) => op !== 'member.grantAccountHolder');

/** Built-in roles of docs/product.md §5. */
export const ROLES = ['account-holder', 'sys-admin', 'account-manager', 'member'] as const;
export type BuiltInRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<BuiltInRole, string> = {
  'account-holder': 'Account Holder',
  'sys-admin': 'Sys Admin',
  'account-manager': 'Account Manager',
  member: 'Member',
};

/** A custom role's id: `role:` and a UUID, so it can never be taken for a built-in one. */
export const customRoleId = z.string().regex(/^role:[0-9a-f-]{36}$/);

/** A role as stored and signed: a built-in role or a custom role's id. */
export const roleId = z.union([z.enum(ROLES), customRoleId]);
export type RoleId = z.infer<typeof roleId>;

export const isBuiltInRole = (id: string): id is BuiltInRole => (ROLES as readonly string[]).includes(id);

export const roleName = displayName('Role name', 64);

export const roleOperations = z
  .array(z.enum(CUSTOM_ROLE_OPERATIONS as [Operation, ...Operation[]], { error: 'Unknown operation' }))
  .max(OPERATIONS.length)
  .transform((ops) => [...new Set(ops)]);

export const defineRoleInput = z.object({ name: roleName, operations: roleOperations }).strict();
export const updateRoleInput = z.object({ role: z.string().min(1).max(64), name: roleName.optional(), operations: roleOperations.optional() }).strict();

export const roleSummary = z.object({
  id: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  operations: z.array(z.enum(OPERATIONS)),
  /** How many members have it. */
  members: z.number(),
});
export type RoleSummary = z.infer<typeof roleSummary>;
