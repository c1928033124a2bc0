import type { SecretStatus, SecretSummary } from './schemas/secrets';

/** How people read a listing's Availability column (seed 001: "Entire organization" or the chosen Spots). */
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
