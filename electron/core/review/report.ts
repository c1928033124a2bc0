import type { ReportRow, ReviewReport } from '../../../shared/schemas/review';
import { compareNames } from '../access/roster-state';
import type { SecretReaderRow } from '../db/rows';
import type { IndexColumns } from '../secrets/index-columns';
import { availabilityOf, levelOf, statusOf, typeOf } from '../secrets/index-columns';
import { SecretIndex } from '../secrets/secret-index';
import type { Session } from '../vault/session';
import { nameOrder, reviewSummary } from './summary';
import { readUses } from './uses';

/** A report's attention lists: long enough to act on, the rest counted (every secret is in the table anyway). */
export const REPORT_LIST_LIMIT = 500;

const orNull = (v: number) => (Number.isNaN(v) ? null : v);

interface ScopeName {
  label: string;
  /** Set for a team's scope: the Availability column names the teams. */
  team?: string;
}

/** Every scope the roster knows, by the name people give it. */
function scopeNames(s: Session): Map<string, ScopeName> {
  const roster = s.roster;
  const names = new Map<string, ScopeName>([[s.vault.orgScopeId, { label: 'Organization' }]]);
  for (const w of roster.workspaces.values()) names.set(w.scopeId, { label: `Workspace ${w.name}` });
  for (const t of roster.teams.values()) names.set(t.scopeId, { label: `Team ${t.name}`, team: t.name });
  for (const m of roster.members.values()) names.set(m.personalScopeId, { label: `Personal (${m.login})` });
  return names;
}

/**
 * The reader scopes of every secret, by name, read as two JSON arrays in one query: a row object
 * per wrapped key was most of the report's reading at 100,000 secrets (as for the listing's scan).
 */
function readersById(s: Session): Map<string, ScopeName[]> {
  const names = scopeNames(s);
  const out = new Map<string, ScopeName[]>();
  const [secretIds, scopeIds] = s.db
    .tuples<[string, string]>('SELECT json_group_array(secret_id), json_group_array(scope_id) FROM secret_readers')
    .get()!
    .map((json) => JSON.parse(json) as SecretReaderRow['secret_id'][]) as [string[], string[]];
  for (let i = 0; i < secretIds.length; i++) {
    const [secretId, scopeId] = [secretIds[i]!, scopeIds[i]!];
    const name = names.get(scopeId) ?? { label: `Unknown scope ${scopeId}` };
    const list = out.get(secretId);
    if (list) list.push(name);
    else out.set(secretId, [name]);
  }
  for (const list of out.values()) if (list.length > 1) list.sort((a, b) => compareNames(a.label, b.label));
  return out;
}

/** Each secret's consumers over its whole history, by name. */
function consumersById(s: Session): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [secretId, uses] of readUses(s, 0)) out.set(secretId, [...new Set(uses.map((u) => u.consumer))].sort(compareNames));
  return out;
}

function rowOf(c: Readonly<IndexColumns>, slot: number, usedBy: string[], readers: ScopeName[]): ReportRow {
  const flags = c.flags[slot]!;
  const code = c.workspace[slot]!;
  return {
    id: c.ids[slot]!,
    name: c.names[slot]!,
    type: typeOf(flags),
    level: levelOf(flags),
    workspace: code < 0 ? null : c.workspaceNames[code]!,
    availability: availabilityOf(flags),
    teams: readers.flatMap((r) => (r.team === undefined ? [] : [r.team])),
    created: c.created[slot]!,
    expires: orNull(c.expires[slot]!),
    status: statusOf(flags),
    lastUsed: orNull(c.lastUsed[slot]!),
    deletion: orNull(c.deletion[slot]!),
    usedBy,
    readers: readers.map((r) => r.label),
  };
}

/**
 * The offline review of the vault (docs/review.md): the dashboard's figures and one row per secret
 * this session may read, in name order. It only reads: a report is not a use of any secret.
 */
export function reviewReport(s: Session): ReviewReport {
  return s.db.read(() => {
    const summary = reviewSummary(s, { limit: REPORT_LIST_LIMIT });
    const c = SecretIndex.of(s).view;
    const readers = readersById(s);
    const consumers = consumersById(s);
    const secrets = c
      .liveSlots()
      .sort(nameOrder(c))
      .map((slot) => rowOf(c, slot, consumers.get(c.ids[slot]!) ?? [], readers.get(c.ids[slot]!) ?? []));
    return { organization: s.vault.info().organization, member: s.actor, summary, secrets };
  });
}
