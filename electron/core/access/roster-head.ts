import { ad } from '../crypto/aead';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { MetaRow } from '../db/rows';
import type { RosterHead } from './roster';

/**
 * The roster's last entry, MACed under a key derived from the organization key (docs/product.md
 * §1a). Signatures stop anyone from adding entries; this stops someone without the current
 * organization key, a removed member included, from cutting the newest ones off, which would bring
 * back whoever they removed.
 */

interface MacKey {
  key: Uint8Array;
  version: number;
}

const META_KEY = 'roster_head';
const ROW = /^([0-9]{1,9}):([0-9]{1,12}):([0-9a-f]{64}):([0-9a-f]{64})$/;

function headMac(vaultId: string, k: MacKey, head: RosterHead): Uint8Array {
  const s = sodium();
  return s.crypto_generichash(32, ad('coffer/v1/roster-head', vaultId, k.version, head.seq, s.to_hex(head.hash)), k.key);
}

export function writeRosterHead(db: Db, vaultId: string, k: MacKey, head: RosterHead): void {
  const s = sodium();
  const value = `${k.version}:${head.seq}:${s.to_hex(head.hash)}:${s.to_hex(headMac(vaultId, k, head))}`;
  db.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(META_KEY, value);
}

/** Why the stored head does not vouch for `head` (the end of the verified chain), or undefined when it does. */
export function checkRosterHead(db: Db, vaultId: string, k: MacKey, head: RosterHead): string | undefined {
  const s = sodium();
  const stored = ROW.exec(db.value<MetaRow['value']>('SELECT value FROM meta WHERE key = ?', META_KEY) ?? '');
  if (!stored) return "the roster's keyed head is missing";
  const claimed = { seq: Number(stored[2]), hash: s.from_hex(stored[3]!) };
  if (Number(stored[1]) !== k.version || !s.memcmp(headMac(vaultId, k, claimed), s.from_hex(stored[4]!))) return "the roster's keyed head does not verify";
  if (claimed.seq !== head.seq || !s.memcmp(claimed.hash, head.hash)) return `the roster ends at entry ${head.seq}, but its keyed head says ${claimed.seq}: entries were removed outside Coffer`;
  return undefined;
}
