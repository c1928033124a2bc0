import { z } from 'zod';
import { displayName } from './text';

/** Built-in roles of docs/product.md §5. */
export const ROLES = ['account-holder', 'sys-admin', 'account-manager', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  'account-holder': 'Account Holder',
  'sys-admin': 'Sys Admin',
  'account-manager': 'Account Manager',
  member: 'Member',
};

/** Login names are typed in terminals (`--as`), so they stay simple. */
export const memberName = z
  .string({ error: 'Member name is required' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'Member name must be 1–64 letters, digits or . _ @ - (starting with a letter or digit)');

export const password = z
  .string({ error: 'Password is required' })
  .min(8, 'Password must be at least 8 characters')
  .max(1024, 'Password must be at most 1024 characters');

export const orgName = displayName('Organization name', 128);
export const workspaceName = displayName('Workspace name', 64);
export const teamName = displayName('Team name', 64);
export const role = z.enum(ROLES, { error: `Role must be one of ${ROLES.join(', ')}` });

export const KDF_PROFILES = ['standard', 'fast'] as const;

export const createVaultInput = z.object({
  org: orgName,
  member: memberName,
  password,
  kdf: z.enum(KDF_PROFILES).default('standard'),
});
export type CreateVaultInput = z.input<typeof createVaultInput>;

export interface MemberSummary {
  id: string;
  name: string;
  role: Role;
  created: number;
}

export interface NamedSummary {
  id: string;
  name: string;
  created: number;
}

export interface TeamSummary extends NamedSummary {
  members: string[];
}

export interface VaultInfo {
  id: string;
  organization: string;
  created: number;
  format: number;
  kdfProfile: 'standard' | 'fast';
  members: MemberSummary[];
  workspaces: NamedSummary[];
  teams: TeamSummary[];
  secrets: { total: number; active: number; inactive: number; scheduled: number };
}
