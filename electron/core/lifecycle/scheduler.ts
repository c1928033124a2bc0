import { appendAudit } from '../audit/log';
import type { Db } from '../db/connection';
import { DiskFullError } from '../db/connection';
import type { MetaRow, SecretRow } from '../db/rows';
import type { Clock } from './clock';
import { DAY_MS } from './clock';

/** Days before a deletion, and before an expiration, at which a notice is produced (docs/product.md §4). */
export const DELETION_NOTICE_DAYS = [15, 10, 1] as const;
export const EXPIRATION_NOTICE_DAYS = [30, 7, 1] as const;

export interface LifecycleSettings {
  inactiveDays: number;
  deletionDays: number;
}

/** A due secret's state, once a session has checked it against the secret's head; what it is purged on. */
export type VerifiedState = Pick<SecretRow, 'status' | 'deletion_at' | 'active_since'>;

/**
 * Checks a secret due for purging against authenticated data (an unlocked session's: lifecycle/passes.ts).
 * Undefined: not purged by this pass (its head did not verify, or this session cannot open it).
 */
export type PurgeCheck = (id: string) => VerifiedState | undefined;

/**
 * What a pass may rely on. Only a pass whose periods were authenticated (an unlocked session's,
 * every setting verified) purges, which is irreversible, and only secrets `verify` vouches for;
 * any pass makes secrets Inactive and writes notices, which a later use or an authenticated pass
 * undoes or corrects.
 */
export type PassPolicy = { periods: LifecycleSettings } & (
  | { authenticated: false }
  /** `bury` keeps a secret's last known name, before it is purged, and `buried` bounds what was kept. */
  | { authenticated: true; verify: PurgeCheck; bury: (id: string) => void; buried: () => void }
);

export interface PassResult {
  inactivated: number;
  notices: number;
  purged: number;
  /** Why the pass changed nothing though it was due (a full disk); the next pass catches up. */
  skipped?: string;
}

type Candidate = Pick<SecretRow, 'id' | 'scope_id' | 'created_at' | 'active_since' | 'status' | 'deletion_at' | 'expires_at'>;

/** Removes a secret and everything of it (revisions, wrapped keys, usage) in the caller's transaction. */
export function purgeSecret(db: Db, id: string): void {
  db.stmt('DELETE FROM secrets WHERE id = ?').run(id);
}

/**
 * The notices of one event (a deletion or an expiration) due by `now`. A threshold that had passed
 * before the event was known (`start`) is skipped, except the tightest of those, given at `start`:
 * a secret registered four days before it expires gets the "within 7 days" notice at once. Every
 * time is derived from stored dates, so the result does not depend on when passes run.
 */
export function noticesDue(thresholds: readonly number[], due: number, start: number, now: number): { days: number; at: number }[] {
  const out: { days: number; at: number }[] = [];
  let catchUp: number | undefined;
  for (const days of thresholds) {
    const at = due - days * DAY_MS;
    if (at >= start) {
      if (at <= now) out.push({ days, at });
    } else if (catchUp === undefined || days < catchUp) catchUp = days;
  }
  if (catchUp !== undefined && start <= now && start < due) out.push({ days: catchUp, at: start });
  return out;
}

function lastPassAt(db: Db, now: number): number {
  const stored = db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'lifecycle_pass_at'");
  // A clock set back (tests, a wrong system time) must not hide notices: look again from the start.
  return Math.min(Number(stored ?? 0), now);
}

const CANDIDATE = 'SELECT id, scope_id, created_at, active_since, status, deletion_at, expires_at FROM secrets';

/**
 * Secrets with a notice that may have come due since the last pass: a notice `d` days before a
 * date D is due in (last, now] exactly when D is in (last + d, now + d]. One indexed range per
 * threshold keeps a daily pass over 100,000 secrets to the few whose day it is.
 */
function dueSince(db: Db, last: number, now: number, deletionMs: number, redated: string[]): Candidate[] {
  const found = new Map<string, Candidate>();
  const take = (rows: Candidate[]) => rows.forEach((r) => found.set(r.id, r));
  // A deletion date moved by this pass may have notice days behind it already.
  for (const id of redated) take(db.query<Candidate>(`${CANDIDATE} WHERE id = ? AND deletion_at IS NOT NULL`).all(id));
  for (const offset of [...DELETION_NOTICE_DAYS.map((d) => d * DAY_MS), deletionMs]) {
    take(db.query<Candidate>(`${CANDIDATE} WHERE deletion_at > ? AND deletion_at <= ?`).all(last + offset, now + offset));
  }
  for (const offset of EXPIRATION_NOTICE_DAYS.map((d) => d * DAY_MS)) {
    take(db.query<Candidate>(`${CANDIDATE} WHERE expires_at > ? AND expires_at <= ?`).all(last + offset, now + offset));
  }
  // Registered since: an expiration already near gets its catch-up notice at registration.
  take(db.query<Candidate>(`${CANDIDATE} WHERE created_at > ? AND created_at <= ? AND expires_at IS NOT NULL`).all(last, now));
  return [...found.values()];
}

/**
 * Inactive secrets whose deletion date is closer to their `active_since` than the periods' sum, by
 * that distance (migration 10's index): the early few, not every Inactive secret. `likelihood` tells
 * SQLite, which keeps no statistics, that most rows the status index would give are Inactive, so it
 * takes the distance's range instead.
 */
export const DATED_EARLY = "SELECT id, active_since FROM secrets WHERE likelihood(status = 'inactive', 0.95) AND deletion_at - active_since < ?";

/**
 * Inactive secrets dated earlier than `periods` allow, which only a pass with other periods can have
 * done (a locked pass reading settings someone changed in the file, or periods raised since), are
 * dated again from their `active_since`, or made Active again when not yet due: an authenticated
 * pass never lets a shorter, unauthenticated period bring a purge forward. Returns their ids.
 */
function redateEarly(db: Db, now: number, inactiveMs: number, deletionMs: number): string[] {
  const early = db.query<Pick<SecretRow, 'id' | 'active_since'>>(DATED_EARLY).all(inactiveMs + deletionMs);
  const redate = db.stmt('UPDATE secrets SET inactive_since = ?, deletion_at = ? WHERE id = ?');
  const reactivate = db.stmt("UPDATE secrets SET status = 'active', inactive_since = NULL, deletion_at = NULL WHERE id = ?");
  for (const s of early) {
    const since = s.active_since + inactiveMs;
    if (since > now) reactivate.run(s.id);
    else redate.run(since, since + deletionMs, s.id);
  }
  return early.map((s) => s.id);
}

/**
 * When a secret whose state is verified is due: a scheduled one at its deletion date (in its head),
 * an Inactive one once its inactivity and deletion periods have run from `active_since` (in its
 * head), whatever its clear `deletion_at` says. Never for an Active one.
 */
function dueAt(state: VerifiedState, inactiveMs: number, deletionMs: number): number {
  if (state.status === 'scheduled') return state.deletion_at ?? Infinity;
  if (state.status === 'inactive') return state.active_since + inactiveMs + deletionMs;
  return Infinity;
}

/**
 * One scheduler pass over clear columns only, so it runs while the vault is locked too; only an
 * authenticated policy purges (see PassPolicy). Every threshold is computed from stored dates, not
 * from when the pass runs: after an offline gap the outcome (statuses, notices with their own
 * dates, purges) is the one a daily run would have reached.
 */
export function runLifecyclePass(db: Db, clock: Clock, policy: PassPolicy): PassResult {
  if (db.readOnly) return { inactivated: 0, notices: 0, purged: 0 };
  const now = clock.now();
  const inactiveMs = policy.periods.inactiveDays * DAY_MS;
  const deletionMs = policy.periods.deletionDays * DAY_MS;
  const result: PassResult = { inactivated: 0, notices: 0, purged: 0 };

  try {
    db.write(() => {
      const redated = policy.authenticated ? redateEarly(db, now, inactiveMs, deletionMs) : [];
      const stale = db
        .query<Pick<SecretRow, 'id' | 'active_since'>>("SELECT id, active_since FROM secrets WHERE status = 'active' AND active_since <= ?")
        .all(now - inactiveMs);
      const inactivate = db.stmt("UPDATE secrets SET status = 'inactive', inactive_since = ?, deletion_at = ? WHERE id = ?");
      for (const s of stale) {
        const since = s.active_since + inactiveMs;
        inactivate.run(since, since + deletionMs, s.id);
      }
      result.inactivated = stale.length;

      const notice = db.stmt(
        `INSERT OR IGNORE INTO notices (secret_id, scope_id, kind, days_before, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const due = dueSince(db, lastPassAt(db, now), now, deletionMs, redated);
      for (const s of due) {
        if (s.deletion_at !== null) {
          // Counted from when deletion was decided, so a short deletion period does not back-date notices.
          for (const n of noticesDue(DELETION_NOTICE_DAYS, s.deletion_at, s.deletion_at - deletionMs, now)) {
            result.notices += notice.run(s.id, s.scope_id, 'deletion', n.days, s.deletion_at, n.at).changes;
          }
        }
        if (s.expires_at !== null && s.expires_at > s.created_at) {
          for (const n of noticesDue(EXPIRATION_NOTICE_DAYS, s.expires_at, s.created_at, now)) {
            result.notices += notice.run(s.id, s.scope_id, 'expiration', n.days, s.expires_at, n.at).changes;
          }
        }
      }

      if (policy.authenticated) {
        // `deletion_at <= ?` holds only where a deletion date is set. The unary `+` keeps SQLite on the
        // deletion index, the few rows due, rather than the status index and every Inactive secret
        // (~8 ms of each pass and unlock at 1,000,000).
        const doomed = db
          .query<Pick<SecretRow, 'id'> & { deletion_at: number }>(
            "SELECT id, deletion_at FROM secrets WHERE deletion_at <= ? AND +status IN ('inactive', 'scheduled')",
          )
          .all(now);
        for (const s of doomed) {
          // The clear columns only nominate a secret: it goes when its verified state says it is due (docs/product.md §1a).
          const state = policy.verify(s.id);
          if (!state || dueAt(state, inactiveMs, deletionMs) > now) continue;
          policy.bury(s.id);
          purgeSecret(db, s.id);
          appendAudit(db, s.deletion_at, 'scheduler', 'secret.purge', s.id);
          result.purged++;
        }
        if (result.purged > 0) policy.buried();
      }
      db.stmt("INSERT INTO meta (key, value) VALUES ('lifecycle_pass_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(now));
    });
  } catch (e) {
    // Thresholds come from stored dates, so a pass skipped for want of space loses nothing.
    if (e instanceof DiskFullError) return { inactivated: 0, notices: 0, purged: 0, skipped: e.message };
    throw e;
  }
  // A purged value must survive neither in the database nor in the -wal file.
  if (result.purged > 0) db.checkpoint();
  return result;
}
