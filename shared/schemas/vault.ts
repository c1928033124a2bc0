import { z } from 'zod';

/** Built-in roles of SPEC §5. */
export const ROLES = ['account-holder', 'sys-admin', 'account-manager', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  'account-holder': 'Account Holder',
  'sys-admin': 'Sys Admin',
  'account-manager': 'Account Manager',
  member: 'Member',
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const label = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .transform((s) => s.trim().normalize('NFC'))
    .pipe(
      z
        .string()
        .min(1, `${what} is required`)
        .max(max, `${what} must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), `${what} must not contain control characters`),
    );

/** Login names are typed in terminals (`--as`), so they stay simple. */
export const memberName = z
  .string({ error: 'Member name is required' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'Member name must be 1–64 letters, digits or . _ @ - (starting with a letter or digit)');

export const password = z
  .string({ error: 'Password is required' })
  .min(8, 'Password must be at least 8 characters')
  .max(1024, 'Password must be at most 1024 characters');

export const orgName = label('Organization name', 128);
export const workspaceName = label('Workspace name', 64);
export const teamName = label('Team name', 64);
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
