import type { Settings } from './schemas/settings';
import type { SecretStatus, SecretSummary, UsageDoor, UsageHow } from './schemas/secrets';

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

/**
 * A secret's name as the doors show it. A tampered secret whose name did not verify has none, and
 * says so; one whose row was damaged in the file keeps its verified name beside the tamper mark
 * (docs/product.md §1a, "Damage is reported").
 */
export const shownName = (s: Pick<SecretSummary, 'name' | 'tampered'>): string => (s.tampered && s.name === '' ? 'Name could not be verified' : s.name);

/** Why a listed secret carries the tamper mark, for its tooltip. */
export const tamperedTitle = (s: Pick<SecretSummary, 'name'>): string =>
  s.name === '' ? 'Its name did not verify: the vault file is damaged or was altered' : 'Its row in the vault file is damaged or was altered';

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

/** Where a use came from, as "Where used" names it. */
export const USAGE_DOOR_LABELS: Record<UsageDoor, string> = {
  desktop: 'desktop app',
  browser: 'browser mode',
  cli: 'CLI',
  rest: 'REST API',
};

/** How a value left, as "Where used" names it. */
export const USAGE_HOW_LABELS: Record<UsageHow, string> = {
  reveal: 'reveal',
  copy: 'copy',
  print: 'secret get',
  run: 'run',
  inject: 'inject',
  api: 'API read',
  export: 'export',
};

/** How a value left, with its command, template, label or export kind: "run (./deploy.sh)". */
export const usageHowText = (how: UsageHow, detail: string | null): string => (detail === null ? USAGE_HOW_LABELS[how] : `${USAGE_HOW_LABELS[how]} (${detail})`);
