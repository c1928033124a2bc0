import { CofferError } from '../../../shared/errors';
import { open } from '../crypto/aead';
import { wipe } from '../crypto/keys';
import type { UsageRow } from '../db/rows';
import { openDataKey } from '../secrets/sealing';
import { readUseRecord, reviewConsumer, usageContext } from '../secrets/usage';
import type { Session } from '../vault/session';

const decoder = new TextDecoder();

/** What a review shows for a use whose record (or its secret's wrapped key) failed verification: counted, not named. */
export const UNREADABLE_CONSUMER = '(unreadable record)';

export interface Use {
  at: number;
  consumer: string;
}

/**
 * The uses since `since` of every secret this session can open, by secret id, each consumer named as
 * a review groups reads (reviewConsumer: who and through which door, an older record by its label). A use record is
 * sealed under its secret's data key (secrets/usage.ts), so each used secret's data key is opened
 * once: a key, never a value, and only for secrets that were used. A damaged record is counted
 * under UNREADABLE_CONSUMER instead of failing the whole review.
 */
export function readUses(s: Session, since: number): Map<string, Use[]> {
  const out = new Map<string, Use[]>();
  // Ordered by secret (the usage_by_secret index), so each data key is opened once and wiped before the next.
  const rows = s.db.query<Pick<UsageRow, 'secret_id' | 'at' | 'consumer'>>('SELECT secret_id, at, consumer FROM usage WHERE at >= ? ORDER BY secret_id').all(since);
  let i = 0;
  while (i < rows.length) {
    const secretId = rows[i]!.secret_id;
    let end = i;
    while (end < rows.length && rows[end]!.secret_id === secretId) end++;
    const dataKey = dataKeyOf(s, secretId);
    if (dataKey !== null) {
      try {
        const uses: Use[] = [];
        for (let k = i; k < end; k++) uses.push({ at: rows[k]!.at, consumer: dataKey ? label(s, secretId, dataKey, rows[k]!.consumer) : UNREADABLE_CONSUMER });
        out.set(secretId, uses);
      } finally {
        if (dataKey) wipe(dataKey);
      }
    }
    i = end;
  }
  return out;
}

/** The secret's data key; null when this session cannot read the secret, undefined when its wrapped key failed verification. */
function dataKeyOf(s: Session, secretId: string): Uint8Array | null | undefined {
  try {
    return openDataKey(s, secretId) ?? null;
  } catch (e) {
    if (e instanceof CofferError && e.code === 'TAMPERED') return undefined;
    throw e;
  }
}

function label(s: Session, secretId: string, dataKey: Uint8Array, sealed: Uint8Array): string {
  try {
    return reviewConsumer(readUseRecord(decoder.decode(open(dataKey, sealed, usageContext(s, secretId), 'a usage record'))));
  } catch (e) {
    if (e instanceof CofferError && e.code === 'TAMPERED') return UNREADABLE_CONSUMER;
    throw e;
  }
}
