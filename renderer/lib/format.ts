/** How the face writes dates, counts and durations (docs/ui.md: `25 Nov 2026`, "in 6 days"). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** `25 Nov 2026`, in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** `25 Nov 2026` for a calendar day stored as UTC midnight (expiration dates). */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `25 Nov 2026, 14:05`, local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${formatDate(ms)}, ${hh}:${mm}`;
}

/** `YYYY-MM-DD` of a UTC-midnight day, for date inputs. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function span(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return 'less than a minute';
  if (abs < 3_600_000) return plural(Math.round(abs / 60_000), 'minute');
  if (abs < DAY) return plural(Math.round(abs / 3_600_000), 'hour');
  if (abs < 45 * DAY) return plural(Math.round(abs / DAY), 'day');
  if (abs < 365 * DAY) return plural(Math.round(abs / (30 * DAY)), 'month');
  return plural(Math.round(abs / (365 * DAY)), 'year');
}

/** "3 months ago", "in 6 days", "just now". */
export function relative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  if (Math.abs(diff) < 60_000) return 'just now';
  return diff > 0 ? `in ${span(diff)}` : `${span(diff)} ago`;
}

/** The table's shorter form: "5 min ago", "2 h ago", "3 days ago", "in 6 days". */
export function relativeShort(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 60_000) return 'just now';
  let text: string;
  if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < DAY) text = `${Math.round(abs / 3_600_000)} h`;
  else text = span(diff);
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** Whole calendar days from today (local) to a UTC-midnight day: 0 today, 1 tomorrow, -1 yesterday. */
export function daysUntilDay(dayMs: number, now = Date.now()): number {
  const today = new Date(now);
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((dayMs - todayUtc) / DAY);
}

/**
 * The hint beside an expiration date, only where it matters (past, or within 90 days).
 * `short` is for the table, where a past date just says "expired".
 */
export function expiryHint(dayMs: number, now = Date.now(), short = false): { text: string; tone: 'past' | 'soon' | 'near' } | null {
  const days = daysUntilDay(dayMs, now);
  if (days < 0) {
    if (short) return { text: 'expired', tone: 'past' };
    return { text: days === -1 ? 'expired yesterday' : `expired ${span(days * DAY)} ago`, tone: 'past' };
  }
  if (days === 0) return { text: short ? 'today' : 'expires today', tone: 'past' };
  if (days === 1) return { text: 'tomorrow', tone: 'soon' };
  if (days <= 30) return { text: `in ${days} days`, tone: 'soon' };
  if (days <= 90) return { text: `in ${span(days * DAY)}`, tone: 'near' };
  return null;
}

/** Whole days from now until an instant, rounded up (a purge in 19.2 days is "20 days left"). */
export function daysUntil(ms: number, now = Date.now()): number {
  return Math.ceil((ms - now) / DAY);
}

export function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
