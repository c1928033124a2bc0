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

/**
 * The report as structured data, times as ISO 8601 (docs/review.md): the same text as one
 * `JSON.stringify(…, null, 2)` of it, with the secrets written one by one after the rest.
 */
export function* reportJson(r: ReviewReport): Generator<string> {
  const { secrets, ...rest } = r;
  const head = JSON.stringify(withIsoTimes({ ...rest, secrets: [] }), null, 2);
  if (secrets.length === 0) return yield `${head}\n`;
  // The empty array closes the text: `[]` then the object's `}`.
  yield `${head.slice(0, head.lastIndexOf('[]'))}[`;
  let first = true;
  for (const row of secrets) {
    yield `${first ? '' : ','}\n    ${JSON.stringify(withIsoTimes(row), null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield '\n  ]\n}\n';
}
