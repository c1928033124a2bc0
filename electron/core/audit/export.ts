import type { AuditFile, AuditFormat } from '../../../shared/schemas/lifecycle';
import { AUDIT_LIMIT, auditExportInput } from '../../../shared/schemas/lifecycle';
import { parseInput } from '../../../shared/validation';
import { slug } from '../bundles/app-export';
import type { Outbox } from '../bundles/outbox';
import { isoDay } from '../lifecycle/clock';
import type { Session } from '../vault/session';
import type { NamedAuditEntry } from './access';
import { readAudit } from './access';

/** An entry as a file carries it: times as ISO 8601, the names this reader knows beside the ids the log keeps. */
export function exportedEntry(e: NamedAuditEntry) {
  return {
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    actorName: e.actorName ?? null,
    action: e.action,
    target: e.target,
    targetName: e.targetName ?? null,
    targetDeleted: e.targetDeleted ?? false,
    origin: e.origin,
  };
}

const CSV_COLUMNS = ['seq', 'at', 'actor', 'actorName', 'action', 'target', 'targetName', 'targetDeleted', 'origin'] as const;

/**
 * One CSV cell. Names are typed by members: a cell a spreadsheet would read as a formula (= + - @,
 * or a tab or carriage return before one) is prefixed with an apostrophe, and anything with a
 * separator, a quote or a line break is quoted (RFC 4180).
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The entries as a file: CSV for a spreadsheet, JSON (as `coffer --json audit list` prints them) for a program. */
export function renderAudit(format: AuditFormat, entries: readonly NamedAuditEntry[]): string {
  const rows = entries.map(exportedEntry);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * "Export" on the app's Audit screen: the entries its filters select, newest first, left in the
 * core's outbox for the door to deliver (shared/ipc.ts trait `download`). Names only, never a value.
 */
export function auditToOutbox(s: Session, outbox: Outbox, raw: unknown): AuditFile {
  const { format, ...query } = parseInput(auditExportInput, raw);
  const entries = readAudit(s, { ...query, limit: query.limit ?? AUDIT_LIMIT });
  const text = renderAudit(format, entries);
  const now = s.ctx.clock.now();
  const fileName = `${slug(s.vault.info().organization, 40) || 'coffer'}-audit-${isoDay(now)}.${format}`;
  const id = s.ctx.random.uuid();
  outbox.offerText(id, fileName, text, now);
  return { fileName, format, entries: entries.length, bytes: Buffer.byteLength(text), downloadId: id, savedTo: null };
}
