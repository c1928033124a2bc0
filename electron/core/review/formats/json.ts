import type { ReviewReport } from '../../../../shared/schemas/review';

/** Every time in a report is under one of these keys; the JSON gives them as ISO 8601. */
const TIME_KEYS = new Set(['at', 'created', 'expires', 'lastUsed', 'deletion']);

/** A copy with every time as ISO 8601, walked once: a replacer would be called for every key of 100,000 rows. */
function withIsoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = TIME_KEYS.has(key) && typeof v === 'number' ? new Date(v).toISOString() : withIsoTimes(v);
  return out;
}

/** The report as structured data, times as ISO 8601 (docs/review.md). */
export function reportJson(r: ReviewReport): string {
  return `${JSON.stringify(withIsoTimes(r), null, 2)}\n`;
}
