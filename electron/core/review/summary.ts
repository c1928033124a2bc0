import type { ReviewAccountKey, ReviewCredential, ReviewInput, ReviewItem, ReviewSummary } from '../../../shared/schemas/review';
import { ATTENTION_DAYS, SERIES_DAYS, reviewInput } from '../../../shared/schemas/review';
import { AVAILABILITIES, LEVELS, SECRET_TYPES, STATUSES } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { DAY_MS, dayStart, isoDay } from '../lifecycle/clock';
import type { IndexColumns } from '../secrets/index-columns';
import { availabilityOf, levelOf, statusOf, typeOf } from '../secrets/index-columns';
import { SecretIndex } from '../secrets/secret-index';
import { listAccounts } from '../vault/accounts';
import { listCredentials } from '../vault/credentials';
import type { Session } from '../vault/session';
import { readUses } from './uses';

/** How many items each "Needs attention" list carries unless asked otherwise: a screenful, the rest counted. */
export const DEFAULT_LIST_LIMIT = 100;

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
/** Whole UTC days from `today` (a day's start) to `at`. */
const daysFrom = (today: number, at: number) => Math.floor((at - today) / DAY_MS);

/**
 * The `limit` most urgent slots of a list (smallest key first, then the listing's name order) and
 * how many the list holds, kept in one pass: sorting every never-used secret of a large vault to
 * show a hundred would cost the dashboard more than everything else together.
 */
class Urgent {
  total = 0;
  private readonly slots: number[] = [];
  private readonly keys: number[] = [];

  constructor(
    private readonly limit: number,
    /** Orders two slots of equal key: the listing's name order. */
    private readonly tie: (a: number, b: number) => number,
  ) {}

  private before(key: number, slot: number, at: number): boolean {
    const k = this.keys[at]!;
    return key < k || (key === k && this.tie(slot, this.slots[at]!) < 0);
  }

  offer(slot: number, key: number): void {
    this.total++;
    const n = this.keys.length;
    if (n === this.limit && (n === 0 || !this.before(key, slot, n - 1))) return;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(key, slot, mid)) hi = mid;
      else lo = mid + 1;
    }
    this.keys.splice(lo, 0, key);
    this.slots.splice(lo, 0, slot);
    if (this.keys.length > this.limit) {
      this.keys.pop();
      this.slots.pop();
    }
  }

  list(item: (slot: number) => ReviewItem): { total: number; items: ReviewItem[] } {
    return { total: this.total, items: this.slots.map(item) };
  }
}

/** The listing's name order of two slots: lower-cased names, then ids (a collator over 100,000 names costs ten times more). */
export function nameOrder(c: Readonly<IndexColumns>): (a: number, b: number) => number {
  const { keys, ids } = c;
  return (a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
}

/** A secret as the attention lists show it: the listing's row, less what the lists leave out. */
function itemOf(c: Readonly<IndexColumns>, slot: number, daysLeft: number | null): ReviewItem {
  const { id, name, tampered, type, level, workspace, status, created, expires, lastUsed, deletion } = c.summary(slot);
  const item: ReviewItem = { id, name, type, level, workspace, status, created, expires, lastUsed, deletion, daysLeft };
  if (tampered) item.tampered = true;
  return item;
}

/** Idle since its last use, or since it was made when never used. */
const idleSince = (x: { created: number; lastUsed: number | null }) => x.lastUsed ?? x.created;

/** Credentials with no use for ATTENTION_DAYS; null when the session may not see credentials at all. */
function idleCredentials(s: Session, now: number): ReviewCredential[] | null {
  if (!s.may('credential.manage')) return null;
  const cutoff = now - ATTENTION_DAYS * DAY_MS;
  return listCredentials(s)
    .filter((c) => idleSince(c) <= cutoff)
    .map((c) => ({ clientId: c.clientId, name: c.name, created: c.created, lastUsed: c.lastUsed }));
}

/** Service-account keys unused for ATTENTION_DAYS or expiring within them; null when the session may not see service accounts. */
function keysNeedingAttention(s: Session, now: number): ReviewAccountKey[] | null {
  if (!s.may('serviceAccount.manage')) return null;
  const cutoff = now - ATTENTION_DAYS * DAY_MS;
  const horizon = now + ATTENTION_DAYS * DAY_MS;
  return listAccounts(s).flatMap((a) =>
    a.keys
      .map((k) => ({ account: a.name, keyId: k.keyId, created: k.created, expires: k.expires, lastUsed: k.lastUsed, unused: idleSince(k) <= cutoff, expiring: k.expires !== null && k.expires <= horizon }))
      .filter((k) => k.unused || k.expiring),
  );
}

/** Reads per consumer on each of the SERIES_DAYS days up to today, busiest consumer first. */
function readsSeries(s: Session, from: number): ReviewSummary['series']['reads'] {
  const byConsumer = new Map<string, number[]>();
  for (const uses of readUses(s, from).values()) {
    for (const u of uses) {
      let perDay = byConsumer.get(u.consumer);
      if (!perDay) byConsumer.set(u.consumer, (perDay = new Array<number>(SERIES_DAYS).fill(0)));
      const day = daysFrom(from, u.at);
      if (day < SERIES_DAYS) perDay[day]!++;
    }
  }
  const consumers = [...byConsumer].map(([consumer, perDay]) => ({ consumer, total: perDay.reduce((a, b) => a + b, 0), perDay }));
  consumers.sort((a, b) => b.total - a.total || (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : 0));
  return { from: isoDay(from), consumers };
}

/**
 * The review figures (docs/review.md) of every secret this session may read, as `secret list`
 * shows them: the listing's index (names from the name chunks, clear columns), never a value. Only
 * the reads chart opens anything more: the data keys of secrets used in its window, for their
 * consumer labels.
 */
export function reviewSummary(s: Session, input: ReviewInput = {}): ReviewSummary {
  const limit = parseInput(reviewInput, input).limit ?? DEFAULT_LIST_LIMIT;
  const c = SecretIndex.of(s).timeline;
  const now = s.ctx.clock.now();
  const today = dayStart(isoDay(now));
  const counts = { status: zeroes(STATUSES), type: zeroes(SECRET_TYPES), level: zeroes(LEVELS), availability: zeroes(AVAILABILITIES) };
  const urgent = () => new Urgent(limit, nameOrder(c));
  const expiring = urgent();
  const inactive = urgent();
  const scheduled = urgent();
  const neverUsed = urgent();
  const expirations = new Array<number>(SERIES_DAYS).fill(0);
  const deletions = new Array<number>(SERIES_DAYS).fill(0);
  for (let slot = 0; slot < c.length; slot++) {
    if (c.ids[slot] === undefined) continue;
    const flags = c.flags[slot]!;
    const status = statusOf(flags);
    counts.status[status]++;
    counts.type[typeOf(flags)]++;
    counts.level[levelOf(flags)]++;
    counts.availability[availabilityOf(flags)]++;
    const expires = c.expires[slot]!;
    if (!Number.isNaN(expires)) {
      const days = daysFrom(today, expires);
      if (days <= ATTENTION_DAYS) expiring.offer(slot, expires);
      if (days >= 0 && days < SERIES_DAYS) expirations[days]!++;
    }
    const deletion = c.deletion[slot]!;
    if (!Number.isNaN(deletion)) {
      const days = daysFrom(today, deletion);
      if (days >= 0 && days < SERIES_DAYS) deletions[days]!++;
    }
    if (status === 'inactive') inactive.offer(slot, Number.isNaN(deletion) ? Number.MAX_VALUE : deletion);
    if (status === 'scheduled') scheduled.offer(slot, Number.isNaN(deletion) ? Number.MAX_VALUE : deletion);
    if (Number.isNaN(c.lastUsed[slot]!)) neverUsed.offer(slot, c.created[slot]!);
  }
  const until = (date: (slot: number) => number) => (slot: number) => {
    const at = date(slot);
    return itemOf(c, slot, Number.isNaN(at) ? null : daysFrom(today, at));
  };
  const toDeletion = until((slot) => c.deletion[slot]!);
  return {
    at: now,
    total: c.live,
    counts,
    attention: {
      expiring: expiring.list(until((slot) => c.expires[slot]!)),
      inactive: inactive.list(toDeletion),
      scheduled: scheduled.list(toDeletion),
      neverUsed: neverUsed.list((slot) => itemOf(c, slot, null)),
      credentials: idleCredentials(s, now),
      accountKeys: keysNeedingAttention(s, now),
    },
    series: {
      ahead: { from: isoDay(today), expirations, deletions },
      reads: readsSeries(s, today - (SERIES_DAYS - 1) * DAY_MS),
    },
  };
}
