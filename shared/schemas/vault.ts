import { z } from 'zod';
import type { RoleId } from './roles';
import { displayName } from './text';

/** A member's role: built-in or custom (shared/schemas/roles.ts). */
export type Role = RoleId;

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
/** A role as someone names it: a built-in id or label, or a custom role's name; the core resolves it (access/roles.ts). */
export const role = z.string({ error: 'Role is required' }).trim().min(1, 'Role is required').max(64, 'Role must be at most 64 characters');

export const KDF_PROFILES = ['standard', 'fast'] as const;

export const createVaultInput = z.object({
  org: orgName,
  member: memberName,
  password,
  kdf: z.enum(KDF_PROFILES).default('standard'),
});
export type CreateVaultInput = z.input<typeof createVaultInput>;

export const memberSummary = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  /** The role's name as people read it. */
  roleName: z.string(),
  created: z.number(),
  /** When they last unlocked, as the audit log says; absent where no log is read (locked views). */
  lastUnlock: z.number().nullable().optional(),
});
export type MemberSummary = z.infer<typeof memberSummary>;

export const namedSummary = z.object({ id: z.string(), name: z.string(), created: z.number() });
export type NamedSummary = z.infer<typeof namedSummary>;

export const teamSummary = namedSummary.extend({
  /** Member logins. */
  members: z.array(z.string()),
  /** Names of the service credentials that read with this team's key (empty in locked views). */
  credentials: z.array(z.string()),
});
export type TeamSummary = z.infer<typeof teamSummary>;

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
