import type { ReviewReport } from '../../../../shared/schemas/review';

/** Every time in a report is under one of these keys; the JSON gives them as ISO 8601. */
const TIME_KEYS = new Set(['at', 'created', 'expires', 'lastUsed', 'deletion']);

/** The report as structured data, times as ISO 8601 (docs/review.md). */
export function reportJson(r: ReviewReport): string {
  return `${JSON.stringify(r, (key, value: unknown) => (TIME_KEYS.has(key) && typeof value === 'number' ? new Date(value).toISOString() : value), 2)}\n`;
}
