/**
 * What is audited (docs/product.md §8); values never appear, only who did what to which id, and when.
 * Here rather than in the core so that the app's labels (renderer/screens/audit/actions.ts) must
 * name every action.
 */
export type AuditAction =
  | 'unlock'
  | 'unlock.failed'
  | 'password.change'
  | 'secret.register'
  | 'secret.import'
  | 'secret.get'
  | 'secret.reveal'
  | 'secret.copy'
  /** Values written in clear to a file (bundles/plain-export.ts). */
  | 'secret.export'
  | 'secret.edit'
  /** Who can read an organization secret changed: the entire organization, or which teams. */
  | 'secret.availability'
  | 'secret.restore'
  | 'secret.schedule'
  | 'secret.cancel'
  | 'secret.delete'
  | 'secret.purge'
  | 'member.add'
  | 'member.role'
  | 'member.remove'
  | 'team.add'
  | 'team.rename'
  | 'team.delete'
  | 'team.member.add'
  | 'team.member.remove'
  | 'workspace.add'
  | 'workspace.rename'
  | 'workspace.delete'
  | 'role.define'
  | 'role.update'
  | 'role.delete'
  | 'credential.create'
  | 'credential.teams'
  | 'credential.revoke'
  | 'account.create'
  | 'account.delete'
  | 'account.key.add'
  | 'account.key.renew'
  | 'account.key.delete'
  | 'settings.update'
  | 'bundle.export'
  | 'bundle.import'
  /** A KeePass, Bitwarden, 1Password or .env file imported; the target names the format and file. */
  | 'import.foreign'
  /** An Account Holder signed the roster of a vault made before it (vault/adoption.ts). */
  | 'roster.start'
  /** A member pinned the roster in their keys and vouched for the grants they hold. */
  | 'roster.adopt'
  /** Written by the session that found the chain broken, instead of healing it (audit/breaks.ts). */
  | 'audit.broken';
