import { availabilityLabel, shownName, STATUS_LABELS } from '../../../../shared/labels';
import type { ReportRow, ReviewItem, ReviewReport } from '../../../../shared/schemas/review';
import { ATTENTION_DAYS, SERIES_DAYS } from '../../../../shared/schemas/review';
import type { Level } from '../../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../../shared/schemas/secrets';
import { DAY_MS, dayStart, isoDay } from '../../lifecycle/clock';

/** The words and columns the Markdown and HTML reports share, so both say the same thing the same way. */

export const LEVEL_LABELS: Record<Level, string> = { organization: 'Organization', workspace: 'Workspace', personal: 'Personal' };

const days = new Map<number, string>();
/** `YYYY-MM-DD`, remembered per day: a report of 100,000 rows asks for the same few hundred days 400,000 times. */
export function day(ms: number | null): string {
  if (ms === null) return '';
  const n = Math.floor(ms / DAY_MS);
  let text = days.get(n);
  if (text === undefined) days.set(n, (text = isoDay(ms)));
  return text;
}

export const title = (r: ReviewReport): string => `Coffer review: ${r.organization}`;

export const preamble = (r: ReviewReport): string =>
  `Made on ${day(r.summary.at)} by ${r.member}, offline, from the vault's clear columns and name index: only the secrets ${r.member} may read are in it, and no value of any secret.`;

export const daysLeft = (n: number | null): string => (n === null ? '' : n < 0 ? `${-n} day(s) ago` : n === 0 ? 'today' : `in ${n} day(s)`);

export interface Section {
  heading: string;
  /** What the list holds beyond the rows shown. */
  more: number;
  columns: string[];
  rows: string[][];
}

const where = (i: ReviewItem): string => (i.level === 'workspace' ? `Workspace ${i.workspace ?? ''}` : LEVEL_LABELS[i.level]);

/** The "Needs attention" lists, in the order a reviewer acts on them. */
export function attentionSections(r: ReviewReport): Section[] {
  const a = r.summary.attention;
  const list = (heading: string, l: { total: number; items: ReviewItem[] }, columns: string[], cells: (i: ReviewItem) => string[]): Section => ({
    heading: `${heading} (${l.total})`,
    more: l.total - l.items.length,
    columns: ['Name', 'Type', 'Where', ...columns],
    rows: l.items.map((i) => [shownName(i), TYPE_LABELS[i.type], where(i), ...cells(i)]),
  });
  const untilDeletion = (i: ReviewItem) => [day(i.deletion), daysLeft(i.daysLeft)];
  const sections = [
    list(`Expiring within ${ATTENTION_DAYS} days or expired`, a.expiring, ['Expires', 'When'], (i) => [day(i.expires), daysLeft(i.daysLeft)]),
    list('Inactive', a.inactive, ['Deletion', 'When'], untilDeletion),
    list('Scheduled for deletion', a.scheduled, ['Deletion', 'When'], untilDeletion),
    list('Never used', a.neverUsed, ['Status', 'Created'], (i) => [STATUS_LABELS[i.status], day(i.created)]),
  ];
  if (a.credentials !== null) {
    sections.push({
      heading: `Service credentials unused for ${ATTENTION_DAYS} days (${a.credentials.length})`,
      more: 0,
      columns: ['Name', 'Client Id', 'Created', 'Last used'],
      rows: a.credentials.map((c) => [c.name, c.clientId, day(c.created), day(c.lastUsed) || 'never']),
    });
  }
  if (a.accountKeys !== null) {
    sections.push({
      heading: `Service-account keys unused for ${ATTENTION_DAYS} days or expiring (${a.accountKeys.length})`,
      more: 0,
      columns: ['Account', 'Key', 'Created', 'Expires', 'Last used', 'Why'],
      rows: a.accountKeys.map((k) => [k.account, k.keyId, day(k.created), day(k.expires), day(k.lastUsed) || 'never', [k.unused ? 'unused' : '', k.expiring ? 'expiring' : ''].filter(Boolean).join(', ')]),
    });
  }
  return sections;
}

/** The counts, as label and number pairs per dimension. */
export function countSections(r: ReviewReport): { heading: string; counts: [string, number][] }[] {
  const c = r.summary.counts;
  return [
    { heading: 'By status', counts: Object.entries(c.status).map(([k, n]) => [STATUS_LABELS[k as keyof typeof STATUS_LABELS], n]) },
    { heading: 'By type', counts: Object.entries(c.type).map(([k, n]) => [TYPE_LABELS[k as keyof typeof TYPE_LABELS], n]) },
    { heading: 'By level', counts: Object.entries(c.level).map(([k, n]) => [LEVEL_LABELS[k as Level], n]) },
  ];
}

/** The day `i` days after a series' first day. */
export const seriesDay = (from: string, i: number): string => isoDay(dayStart(from) + i * DAY_MS);

export const AHEAD_HEADING = `Expirations and deletions in the next ${SERIES_DAYS} days`;
export const READS_HEADING = `Reads per consumer in the last ${SERIES_DAYS} days`;

export const SECRET_COLUMNS = ['Name', 'Type', 'Level', 'Availability', 'Created', 'Expires', 'Status', 'Last used', 'Where used', 'Who can read it'];

export const secretCells = (s: ReportRow): string[] => [
  shownName(s),
  TYPE_LABELS[s.type],
  LEVEL_LABELS[s.level],
  availabilityLabel(s),
  day(s.created),
  day(s.expires),
  s.deletion === null ? STATUS_LABELS[s.status] : `${STATUS_LABELS[s.status]} (deletion ${day(s.deletion)})`,
  day(s.lastUsed) || 'never',
  s.usedBy.join(', '),
  s.readers.join(', '),
];

/** Each secret's cells as its row is written, so the rows of a big report are never all held as text. */
export function* cellsOf(rows: Iterable<ReportRow>): Generator<string[]> {
  for (const row of rows) yield secretCells(row);
}
