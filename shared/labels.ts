import type { Settings } from './schemas/settings';
import type { SecretStatus, SecretSummary } from './schemas/secrets';

/** How people read a listing's Availability column (docs/product.md §2: "Entire organization" or the chosen Spots). */
export function availabilityLabel(s: Pick<SecretSummary, 'availability' | 'teams' | 'workspace'>): string {
  switch (s.availability) {
    case 'entire-organization':
      return 'Entire organization';
    case 'teams':
      return `Teams: ${s.teams.join(', ')}`;
    case 'workspace':
      return `Workspace: ${s.workspace ?? '?'}`;
    case 'personal':
      return 'Personal';
  }
}

export const STATUS_LABELS: Record<SecretStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  scheduled: 'Scheduled for deletion',
};

/** How a setting is named in a sentence (a finding about it, an audit target). */
export const SETTING_LABELS: Record<keyof Settings | 'kdfProfile', string> = {
  revealSeconds: 'the reveal time',
  clipboardSeconds: 'the clipboard time',
  autoLockMinutes: 'the auto-lock time',
  inactiveDays: 'the inactivity period',
  deletionDays: 'the deletion period',
  credentialsPerMember: 'the service credentials per member',
  kdfProfile: 'the key derivation profile',
};

/** Where a secret lives, as the vault-wide search and the palette show it beside its name. */
export function levelLabel(s: Pick<SecretSummary, 'level' | 'workspace'>): string {
  switch (s.level) {
    case 'personal':
      return 'Personal';
    case 'workspace':
      return `Workspace: ${s.workspace ?? '?'}`;
    case 'organization':
      return 'Organization';
  }
}
