import { CofferError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { MetaRow, SecretRow } from '../db/rows';

/**
 * The highest listing number a vault hands out: 167 times the 100,000 secrets Coffer is built for,
 * never reached by registering, and it bounds what the listing index allocates per number (4 bytes,
 * so 64 MiB at most) whatever the file says.
 */
export const MAX_LISTING_SEQ = 2 ** 24;

export const isListingSeq = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_LISTING_SEQ;

/**
 * Hands out listing numbers (`secrets.seq`) inside one write transaction: the counter is read
 * once and written back once, so a bulk import of N secrets does not pay N extra statements.
 */
export class ListingSeq {
  private next: number | undefined;

  constructor(private readonly db: Db) {}

  take(): number {
    this.next ??= this.first();
    if (this.next > MAX_LISTING_SEQ) throw new CofferError('TAMPERED', 'this vault has no listing number left to give: its secrets table was altered', 'seq');
    return this.next++;
  }

  /**
   * The stored counter, kept within bounds: never at or below a number a secret holds (a lowered
   * counter would collide), and a counter out of range (crafted) gives way to the highest number in
   * range a secret holds, plus one.
   */
  private first(): number {
    const stored = Number(this.db.value<MetaRow['value']>("SELECT value FROM meta WHERE key = 'next_secret_seq'"));
    const highest = this.db.value<SecretRow['seq']>('SELECT max(seq) FROM secrets WHERE seq BETWEEN 1 AND ?', MAX_LISTING_SEQ) ?? 0;
    return isListingSeq(stored) ? Math.max(stored, highest + 1) : highest + 1;
  }

  /** Call inside the same transaction as the inserts. */
  flush(): void {
    if (this.next !== undefined) this.db.stmt("UPDATE meta SET value = ? WHERE key = 'next_secret_seq'").run(String(this.next));
    this.next = undefined;
  }
}

/**
 * A secret's listing number by id, for name-chunk entries written before migration 3 (they carry
 * none); undefined once the secret is gone.
 */
export function seqOfId(db: Db, id: string): number | undefined {
  const seq = db.value<SecretRow['seq']>('SELECT seq FROM secrets WHERE id = ?', id);
  return typeof seq === 'number' ? seq : undefined;
}
