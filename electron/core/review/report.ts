import type { ReportRow, ReviewReport } from '../../../shared/schemas/review';
import type { Availability } from '../../../shared/schemas/secrets';
import { compareNames } from '../access/roster-state';
import type { SecretReaderRow, TeamRow } from '../db/rows';
import type { IndexColumns } from '../secrets/index-columns';
import { availabilityOf, isTampered, levelOf, statusOf, typeOf } from '../secrets/index-columns';
import { SecretIndex } from '../secrets/secret-index';
import type { Session } from '../vault/session';
import { nameOrder, reviewSummary } from './summary';
import { readUses } from './uses';

/** A report's attention lists: long enough to act on, the rest counted (every secret is in the table anyway). */
export const REPORT_LIST_LIMIT = 500;

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/**
 * The teams of every team-only secret, by secret id: the wrapped keys of the teams' scopes only
 * (an index range per team), not every wrapped key of the vault (~50 ms at 10,000 secrets in a CLI process).
 */
function teamsById(s: Session): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [secretId, team] of s.db.tuples<[SecretReaderRow['secret_id'], TeamRow['name']]>('SELECT r.secret_id, t.name FROM teams t JOIN secret_readers r ON r.scope_id = t.scope_id').all()) {
    const list = out.get(secretId);
    if (list) list.push(team);
    else out.set(secretId, [team]);
  }
  for (const list of out.values()) if (list.length > 1) list.sort(compareNames);
  return out;
}

/**
 * Who can read a secret, as the scopes its data key is wrapped for (registration wraps it for
 * exactly those of its availability): the organization, its teams, its workspace, or the
 * member's personal space, which only its owner holds, so a personal secret listed here is this
 * session's own.
 */
function readersOf(s: Session, availability: Availability, workspace: string | null, teams: string[]): string[] {
  switch (availability) {
    case 'entire-organization':
      return ['Organization'];
    case 'teams':
      return teams.map((t) => `Team ${t}`);
    case 'workspace':
      return [`Workspace ${workspace ?? ''}`];
    case 'personal':
      return [`Personal (${s.actor})`];
  }
}

/** Each secret's consumers over its whole history, by name. */
function consumersById(s: Session): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [secretId, uses] of readUses(s, 0)) out.set(secretId, [...new Set(uses.map((u) => u.consumer))].sort(compareNames));
  return out;
}

function rowOf(s: Session, c: Readonly<IndexColumns>, slot: number, usedBy: string[], teams: string[]): ReportRow {
  const flags = c.flags[slot]!;
  const code = c.workspace[slot]!;
  const workspace = code < 0 ? null : c.workspaceNames[code]!;
  const availability = availabilityOf(flags);
  const row: ReportRow = {
    id: c.ids[slot]!,
    name: c.names[slot]!,
    type: typeOf(flags),
    level: levelOf(flags),
    workspace,
    availability,
    teams,
    created: c.created[slot]!,
    expires: orNull(c.expires[slot]!),
    status: statusOf(flags),
    lastUsed: orNull(c.lastUsed[slot]!),
    deletion: orNull(c.deletion[slot]!),
    usedBy,
    readers: readersOf(s, availability, workspace, teams),
  };
  if (isTampered(flags)) row.tampered = true;
  return row;
}

/**
 * The offline review of the vault (docs/review.md): the dashboard's figures and one row per secret
 * this session may read, in name order. It only reads: a report is not a use of any secret.
 */
export function reviewReport(s: Session): ReviewReport {
  return s.db.read(() => {
    // Every date first: one row per secret needs them all, and the figures then read none again.
    const c = SecretIndex.of(s).view;
    const summary = reviewSummary(s, { limit: REPORT_LIST_LIMIT });
    const teams = teamsById(s);
    const consumers = consumersById(s);
    const none: string[] = [];
    const secrets = c
      .liveSlots()
      .sort(nameOrder(c))
      .map((slot) => rowOf(s, c, slot, consumers.get(c.ids[slot]!) ?? none, teams.get(c.ids[slot]!) ?? none));
    return { organization: s.vault.info().organization, member: s.actor, summary, secrets };
  });
}
