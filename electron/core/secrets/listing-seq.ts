import type { Db } from '../db/connection';
import type { MetaRow, SecretRow } from '../db/rows';

/**
 * Hands out listing numbers (`secrets.seq`) inside one write transaction: the counter is read
 * once and written back once, so a bulk import of N secrets does not pay N extra statements.
 */
export class ListingSeq {
  private next: number | undefined;

  constructor(private readonly db: Db) {}

  take(): number {
    if (this.next === undefined) {
      const row = this.db.query<Pick<MetaRow, 'value'>>("SELECT value FROM meta WHERE key = 'next_secret_seq'").get()!;
      this.next = Number(row.value);
    }
    return this.next++;
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
