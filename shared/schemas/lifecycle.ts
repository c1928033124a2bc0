import { z } from 'zod';
import { LEVELS } from './secrets';

export const notice = z.object({
  id: z.number(),
  secretId: z.string(),
  /** Null once the secret is purged: its name went with it. */
  name: z.string().nullable(),
  /** Where the secret lives, so that opening the notice opens its own table; null once it is purged. */
  level: z.enum(LEVELS).nullable(),
  workspace: z.string().nullable(),
  kind: z.enum(['deletion', 'expiration']),
  daysBefore: z.number(),
  dueAt: z.number(),
  createdAt: z.number(),
  read: z.boolean(),
  gone: z.boolean(),
});
export type Notice = z.infer<typeof notice>;

export const auditEntry = z.object({
  seq: z.number(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /**
   * A secret target's name, when the reader can read that secret, or its last known name when it was
   * deleted and the reader could read it then (`targetDeleted`); the log itself keeps its id.
   */
  targetName: z.string().optional(),
  targetDeleted: z.literal(true).optional(),
  /** Where a secret target still is, when the reader can open it: the app opens it from the entry. */
  targetPlace: z.object({ level: z.enum(LEVELS), workspace: z.string().nullable() }).optional(),
  /** A service credential the actor names by its Client Id (a failed unlock), as `credential:NAME`. */
  actorName: z.string().optional(),
  /**
   * Who could vouch for the entry when it was written: an unlocked session under the audit key, or
   * nobody (`locked`: written without a key; `legacy`: before the log was keyed). See product.md §8.
   */
  origin: z.enum(['session', 'locked', 'legacy']),
});

/** As many entries as one listing returns: an export is the filtered view, not the whole log. */
export const AUDIT_LIMIT = 10_000;

export const auditQuery = z
  .object({
    actor: z.string().max(128).optional(),
    action: z.string().max(64).optional(),
    /** Any of these actions or prefixes: one of the app's categories, which span several. */
    actions: z.array(z.string().max(64)).max(16).optional(),
    since: z.number().optional(),
    until: z.number().optional(),
    search: z.string().max(256).optional(),
    limit: z.number().int().min(1).max(AUDIT_LIMIT).optional(),
  })
  .strict();

/** `unauthenticated`: entries written without a key, which the chain holds but nobody vouched for. */
/** "Export" on the Audit screen: the entries its filters select, as a file (trait `download`). */
export const AUDIT_FORMATS = ['csv', 'json'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const auditExportInput = auditQuery.extend({ format: z.enum(AUDIT_FORMATS) }).strict();

export const auditFile = z.object({
  /** `<organization>-audit-<YYYY-MM-DD>.<csv|json>`: what a download or the save dialog suggests. */
  fileName: z.string(),
  format: z.enum(AUDIT_FORMATS),
  entries: z.number().int(),
  bytes: z.number().int(),
  /** As a review report's: served once at `GET /download/ID` in browser mode; null once a door delivered it itself. */
  downloadId: z.string().nullable(),
  /** Where the desktop window saved it; null in browser mode or when its save dialog was cancelled. */
  savedTo: z.string().nullable(),
});
export type AuditFile = z.infer<typeof auditFile>;

export const auditVerdict = z.union([
  z.object({ ok: z.literal(true), entries: z.number(), unauthenticated: z.number() }),
  z.object({ ok: z.literal(false), entries: z.number(), unauthenticated: z.number(), brokenAt: z.number(), reason: z.string() }),
]);

export const CONFIRM_WORD = 'DELETE';

/** What a notice says, in the words of docs/product.md §4. */
export function noticeText(n: Pick<Notice, 'kind' | 'daysBefore' | 'name' | 'gone'>): string {
  const who = n.name ? `"${n.name}"` : 'A secret';
  const days = n.daysBefore === 1 ? '1 day' : `${n.daysBefore} days`;
  if (n.kind === 'deletion') return `${who} will be deleted within ${days}${n.gone ? ' (it has since been deleted)' : ''}`;
  return `${who} expires within ${days}`;
}
