import type { AuditAction } from '../../../shared/audit-actions';

/** The audit log's actions in people's words (docs/product.md §8), and the categories the filter chips offer. */

export const ACTION_LABELS: Record<AuditAction, string> = {
  unlock: 'Unlocked',
  'unlock.failed': 'Failed unlock',
  'password.change': 'Changed password',
  'secret.register': 'Registered',
  'secret.import': 'Imported secrets',
  'secret.get': 'Read a value',
  'secret.reveal': 'Revealed a value',
  'secret.copy': 'Copied a value',
  'secret.edit': 'Edited',
  'secret.availability': 'Changed who can read',
  'secret.restore': 'Restored a revision',
  'secret.schedule': 'Scheduled deletion',
  'secret.cancel': 'Cancelled deletion',
  'secret.delete': 'Deleted now',
  'secret.purge': 'Purged',
  'member.add': 'Added a member',
  'member.role': 'Changed a member’s role',
  'member.remove': 'Removed a member',
  'team.add': 'Created a team',
  'team.rename': 'Renamed a team',
  'team.delete': 'Deleted a team',
  'team.member.add': 'Added to a team',
  'team.member.remove': 'Removed from a team',
  'workspace.add': 'Added a workspace',
  'workspace.rename': 'Renamed a workspace',
  'workspace.delete': 'Deleted a workspace',
  'role.define': 'Created a role',
  'role.update': 'Changed a role’s permissions',
  'role.delete': 'Deleted a role',
  'credential.create': 'Created a service credential',
  'credential.teams': 'Changed a credential’s teams',
  'credential.revoke': 'Revoked a service credential',
  'account.create': 'Created a service account',
  'account.delete': 'Deleted a service account',
  // The target names the account ("deploy-bot: KEY-ID"), so "account key" is enough and fits the column.
  'account.key.add': 'Added an account key',
  'account.key.renew': 'Renewed an account key',
  'account.key.delete': 'Deleted an account key',
  'roster.start': 'Signed the roster',
  'roster.adopt': 'Adopted the roster',
  'settings.update': 'Changed settings',
  'bundle.export': 'Exported a bundle',
  'secret.export': 'Exported in plain text',
  'bundle.import': 'Imported a bundle',
  'import.foreign': 'Imported a file',
  'audit.broken': 'Found the log broken',
};

/** Entries nobody vouched for under the audit key (docs/product.md §8): what the file said when the next unlock adopted them. */
export const UNAUTHENTICATED: Record<string, string> = {
  locked: 'Written without a key (while locked, a failed unlock, or a scheduler pass): not authenticated',
  legacy: 'Written before the log was keyed: not authenticated',
};

/** Actions worth a second look: shown in the danger colour. */
export const ALARMING = new Set([
  'unlock.failed',
  'secret.delete',
  'secret.purge',
  'member.remove',
  'team.delete',
  'workspace.delete',
  'role.delete',
  'credential.revoke',
  'account.delete',
  'account.key.delete',
  'audit.broken',
]);

const isKnown = (action: string): action is AuditAction => Object.hasOwn(ACTION_LABELS, action);

/** The log is read from the file: an action this version does not know is shown as written. */
export function actionLabel(action: string): string {
  return isKnown(action) ? ACTION_LABELS[action] : action;
}

export type Category = 'all' | 'secrets' | 'unlocks' | 'integrity' | 'members' | 'teams' | 'credentials' | 'settings';

/** Each category is one or more action prefixes; the core matches `action` exactly or as `prefix.*`. */
export const CATEGORIES: { id: Category; label: string; prefixes: string[] }[] = [
  { id: 'all', label: 'All', prefixes: [] },
  { id: 'secrets', label: 'Secrets', prefixes: ['secret'] },
  { id: 'unlocks', label: 'Unlocks', prefixes: ['unlock', 'password'] },
  { id: 'integrity', label: 'Integrity', prefixes: ['audit', 'roster'] },
  { id: 'members', label: 'Members & roles', prefixes: ['member', 'role'] },
  { id: 'teams', label: 'Teams & workspaces', prefixes: ['team', 'workspace'] },
  { id: 'credentials', label: 'Machine identities', prefixes: ['credential', 'account'] },
  { id: 'settings', label: 'Settings', prefixes: ['settings'] },
];
