import { z } from 'zod';
import { AVAILABILITIES, LEVELS, SECRET_TYPES, STATUSES, secretSummary } from './secrets';

/**
 * The Coffer review (docs/review.md): figures over every secret the session may read, computed
 * from clear columns and the listing's name index, never from a value. Times are Unix milliseconds.
 */

/** How far ahead "expiring" and "unused" look, and how many days each chart covers. */
export const ATTENTION_DAYS = 30;
export const SERIES_DAYS = 90;

const countsOf = <T extends readonly [string, ...string[]]>(keys: T) => z.record(z.enum(keys), z.number().int());

/** What every listing row shows of a secret: its clear facts and name, never a value. */
const listed = secretSummary.pick({ id: true, name: true, tampered: true, type: true, level: true, workspace: true, status: true, created: true, expires: true, lastUsed: true, deletion: true });

/** A secret in a "Needs attention" list. */
export const reviewItem = listed.extend({
  /** Whole UTC days from today to the date the list is about (expiry or deletion); negative once past. Null where the list has no date. */
  daysLeft: z.number().int().nullable(),
});
export type ReviewItem = z.infer<typeof reviewItem>;

/** A list's size, and its most urgent items (at most the limit asked for). */
const attentionList = <T extends z.ZodTypeAny>(item: T) => z.object({ total: z.number().int(), items: z.array(item) });

export const reviewCredential = z.object({ clientId: z.string(), name: z.string(), created: z.number(), lastUsed: z.number().nullable() });
export type ReviewCredential = z.infer<typeof reviewCredential>;

export const reviewAccountKey = z.object({
  account: z.string(),
  keyId: z.string(),
  created: z.number(),
  expires: z.number().nullable(),
  lastUsed: z.number().nullable(),
  /** Why it is listed: no use for ATTENTION_DAYS, an expiry within them, or both. */
  unused: z.boolean(),
  expiring: z.boolean(),
});
export type ReviewAccountKey = z.infer<typeof reviewAccountKey>;

/** One consumer's reads per day, oldest day first. */
export const consumerSeries = z.object({ consumer: z.string(), total: z.number().int(), perDay: z.array(z.number().int()) });
export type ConsumerSeries = z.infer<typeof consumerSeries>;

export const reviewSummary = z.object({
  /** When the figures were computed; "today" is its UTC day. */
  at: z.number(),
  total: z.number().int(),
  counts: z.object({ status: countsOf(STATUSES), type: countsOf(SECRET_TYPES), level: countsOf(LEVELS), availability: countsOf(AVAILABILITIES) }),
  attention: z.object({
    /** Expiry within ATTENTION_DAYS, or already past (certificates included), soonest first. */
    expiring: attentionList(reviewItem),
    /** Inactive, soonest deletion first. */
    inactive: attentionList(reviewItem),
    /** Scheduled for deletion, soonest first. */
    scheduled: attentionList(reviewItem),
    /** Never read since registered, oldest first. */
    neverUsed: attentionList(reviewItem),
    /** Service credentials without a use for ATTENTION_DAYS; null when the session may not manage credentials. */
    credentials: z.array(reviewCredential).nullable(),
    /** Service-account keys unused for ATTENTION_DAYS or expiring within them; null when the session may not manage service accounts. */
    accountKeys: z.array(reviewAccountKey).nullable(),
  }),
  series: z.object({
    /** SERIES_DAYS days from today on (`YYYY-MM-DD` of the first): expirations and deletions due each day. */
    ahead: z.object({ from: z.string(), expirations: z.array(z.number().int()), deletions: z.array(z.number().int()) }),
    /** SERIES_DAYS days up to today (`YYYY-MM-DD` of the first): reads per consumer each day, busiest consumer first. */
    reads: z.object({ from: z.string(), consumers: z.array(consumerSeries) }),
  }),
});
export type ReviewSummary = z.infer<typeof reviewSummary>;

export const reviewInput = z.object({ limit: z.number().int().min(0).max(10_000).optional() }).strict();

/** The report's formats: one self-contained HTML page, Markdown for a ticket, JSON for a program (docs/review.md). */
export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** "Export review report" in the app: the report written to the core's outbox for the door to deliver (trait `download`). */
export const reportFileInput = z.object({ format: z.enum(REPORT_FORMATS) }).strict();

export const reportFile = z.object({
  /** `<organization>-review-<YYYY-MM-DD>.<html|md|json>`: what a download or the save dialog suggests. */
  fileName: z.string(),
  format: z.enum(REPORT_FORMATS),
  secrets: z.number().int(),
  bytes: z.number().int(),
  /** As a bundle export's: served once at `GET /download/ID` in browser mode; null once a door delivered it itself. */
  downloadId: z.string().nullable(),
  /** Where the desktop window saved it; null in browser mode or when its save dialog was cancelled. */
  savedTo: z.string().nullable(),
});
export type ReportFile = z.infer<typeof reportFile>;
export type ReviewInput = z.input<typeof reviewInput>;

/** One secret in the report: what the listing shows, where it was used and who can read it; never a value. */
export const reportRow = listed.extend({
  availability: secretSummary.shape.availability,
  /** The teams of a secret available to teams only. */
  teams: secretSummary.shape.teams,
  /** Every consumer that ever read it (`cli`, `desktop`, a credential's name…), by name. */
  usedBy: z.array(z.string()),
  /** Who can read it: the scopes its data key is wrapped for, by name (`Organization`, `Team T`, `Workspace W`, `Personal (login)`). */
  readers: z.array(z.string()),
});
export type ReportRow = z.infer<typeof reportRow>;

export const reviewReport = z.object({
  organization: z.string(),
  /** Who the report was made as: only what they may read is in it. */
  member: z.string(),
  summary: reviewSummary,
  secrets: z.array(reportRow),
});
export type ReviewReport = z.infer<typeof reviewReport>;
