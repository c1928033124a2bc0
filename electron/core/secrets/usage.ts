import { z } from 'zod';
import { USAGE_DOOR_LABELS, usageHowText } from '../../../shared/labels';
import type { UsageDoor, UsageEntry, UsageHow } from '../../../shared/schemas/secrets';
import { USAGE_DOORS, USAGE_HOWS } from '../../../shared/schemas/secrets';
import { ad, seal } from '../crypto/aead';
import type { Session } from '../vault/session';
import type { HeadState } from './head';
import { headOf } from './head';
import type { ListedSecret } from './summaries';
import { teamNamesOf, workspaceName } from './summaries';

const encoder = new TextEncoder();

export const usageContext = (s: Session, secretId: string) => ad('coffer/v1/usage', s.vaultId, secretId);

/** A use makes the secret Active again and cancels a scheduled deletion (docs/product.md §4); `?` twice for the time. */
export const USED_AT = "last_used_at = ?, active_since = ?, status = 'active', inactive_since = NULL, deletion_at = NULL";

/** A secret's covered state as USED_AT leaves it: used now, Active, no deletion date. */
export const usedAt = <T extends HeadState>(st: T, now: number): T => ({ ...st, last_used_at: now, active_since: now, status: 'active', deletion_at: null });

/** Through which door and how a value is read; who read it is always the session's own (usageActor). */
export interface UseVia {
  door: UsageDoor;
  how: UsageHow;
  /** `run`'s command, `inject`'s template, `secret get --consumer`'s label, the export's kind. */
  detail?: string;
}

const DETAIL_MAX = 256;

/** What a use record holds since who, door and how are kept; older records hold a bare label ("desktop", "run:make"). */
const useRecord = z.object({ who: z.string(), door: z.enum(USAGE_DOORS), how: z.enum(USAGE_HOWS), detail: z.string().optional() });

/** The plaintext of one use's record, sealed under the secret's data key: only its readers learn who used it. */
export function useRecordOf(s: Session, via: UseVia): Uint8Array {
  const detail = via.detail?.trim().slice(0, DETAIL_MAX);
  return encoder.encode(JSON.stringify({ who: s.usageActor, door: via.door, how: via.how, ...(detail ? { detail } : {}) }));
}

/** A record's plaintext as the doors show it; a bare label (a record older than who/door/how) stays as it was written. */
export function readUseRecord(plain: string): Omit<UsageEntry, 'at'> {
  const parsed = plain.startsWith('{') ? useRecord.safeParse(jsonOrNull(plain)) : null;
  if (!parsed?.success) return { consumer: plain, who: null, door: null, how: null, detail: null };
  const { who, door, how, detail = null } = parsed.data;
  return { consumer: `${who} · ${USAGE_DOOR_LABELS[door]} · ${usageHowText(how, detail)}`, who, door, how, detail };
}

/** A use as a review groups reads: who and through which door, and the command or label when there is one, not reveal vs copy. */
export function reviewConsumer(u: Omit<UsageEntry, 'at'>): string {
  if (u.who === null || u.door === null || u.how === null) return u.consumer;
  return `${u.who} · ${USAGE_DOOR_LABELS[u.door]}${u.detail === null ? '' : ` · ${usageHowText(u.how, u.detail)}`}`;
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A use's record, sealed under the secret's data key. */
export const usageLabel = (s: Session, secretId: string, dataKey: Uint8Array, record: Uint8Array) => seal(dataKey, record, usageContext(s, secretId), s.ctx.random);

/**
 * One use of a single read, in the caller's transaction; the head and the index, when built, follow.
 * `row` is the state the caller checked against its head in this transaction, so the next head is
 * computed from it and written with the same statement instead of read back.
 */
export function recordUsage(s: Session, row: ListedSecret, dataKey: Uint8Array, via: UseVia): void {
  const now = s.ctx.clock.now();
  const used = usedAt(row, now);
  s.db.stmt('INSERT INTO usage (secret_id, at, consumer) VALUES (?, ?, ?)').run(row.id, now, usageLabel(s, row.id, dataKey, useRecordOf(s, via)));
  s.db.stmt(`UPDATE secrets SET ${USED_AT}, head = ? WHERE id = ?`).run(now, now, headOf(s.vaultId, dataKey, used), row.id);
  if (s.index) s.index.upsert(used, s.index.get(row.seq)?.name ?? '', workspaceName(s, row.workspace_id), teamNamesOf(s.db, row.seq));
}
