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

/** The consumer of a use, sealed under the secret's data key: only its readers learn who used it. */
export const usageLabel = (s: Session, secretId: string, dataKey: Uint8Array, consumer: Uint8Array) => seal(dataKey, consumer, usageContext(s, secretId), s.ctx.random);

/**
 * One use of a single read, in the caller's transaction; the head and the index, when built, follow.
 * `row` is the state the caller checked against its head in this transaction, so the next head is
 * computed from it and written with the same statement instead of read back.
 */
export function recordUsage(s: Session, row: ListedSecret, dataKey: Uint8Array, consumer: string): void {
  const now = s.ctx.clock.now();
  const used = usedAt(row, now);
  s.db.stmt('INSERT INTO usage (secret_id, at, consumer) VALUES (?, ?, ?)').run(row.id, now, usageLabel(s, row.id, dataKey, encoder.encode(consumer)));
  s.db.stmt(`UPDATE secrets SET ${USED_AT}, head = ? WHERE id = ?`).run(now, now, headOf(s.vaultId, dataKey, used), row.id);
  if (s.index) s.index.upsert(used, s.index.get(row.seq)?.name ?? '', workspaceName(s, row.workspace_id), teamNamesOf(s.db, row.id));
}
