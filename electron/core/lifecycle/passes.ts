import { CofferError } from '../../../shared/errors';
import { wipe } from '../crypto/keys';
import type { Headed } from '../secrets/head';
import { HEAD_SELECT, checkHead } from '../secrets/head';
import { NameBatch } from '../secrets/name-chunks';
import { openDataKey } from '../secrets/sealing';
import { buryName, pruneTombstones } from '../secrets/tombstones';
import type { Session } from '../vault/session';
import type { SettingName } from '../vault/settings';
import { checkSettings, clearSettings } from '../vault/settings';
import type { Vault } from '../vault/vault';
import type { PassPolicy, PassResult, PurgeCheck } from './scheduler';
import { runLifecyclePass } from './scheduler';

/**
 * The pass of a vault opened without a password (every CLI command, the app's start and its timer
 * while locked). Its periods are whatever the file says, bounds-checked, so it only does what can
 * be undone: Active → Inactive and notices. It never purges (docs/product.md §4).
 */
export function lockedPass(vault: Vault): PassResult {
  const { inactiveDays, deletionDays } = clearSettings(vault.db);
  return runLifecyclePass(vault.db, vault.ctx.clock, { periods: { inactiveDays, deletionDays }, authenticated: false });
}

export interface SessionPassResult extends PassResult {
  /** Settings that failed verification: while any does, the pass purges nothing. */
  tampered: SettingName[];
  /** Secrets due for purging whose state did not match their head: never purged, and TAMPERED when opened. */
  tamperedSecrets: string[];
}

/**
 * Whether a secret the clear columns call due may be purged by this session: it must open the
 * secret's data key and the row must match its head (docs/product.md §1a), so a status or a date
 * written into the file never purges anything. A secret this member cannot open is left to the
 * first unlocked pass of someone who can; a head that does not match is reported in `tampered`. A
 * head missing (a vault made before heads) is never purged on: the row is unauthenticated until
 * the member adopts heads (secrets/head-adoption.ts), and a purge cannot be undone.
 */
function purgeCheck(session: Session, tampered: string[]): PurgeCheck {
  return (id) => {
    const row = session.db.query<Headed>(`SELECT ${HEAD_SELECT}, head FROM secrets WHERE id = ?`).get(id);
    if (!row) return undefined;
    let dataKey: Uint8Array | undefined;
    try {
      dataKey = openDataKey(session, id);
    } catch (e) {
      if (!(e instanceof CofferError && e.code === 'TAMPERED')) throw e;
      tampered.push(id);
      return undefined;
    }
    if (!dataKey) return undefined;
    try {
      const verdict = checkHead(session, row, dataKey);
      if (verdict === 'tampered') tampered.push(id);
      return verdict === 'ok' ? row : undefined;
    } finally {
      wipe(dataKey);
    }
  };
}

/** Keeps a secret's last known name and takes it out of the chunks this member writes, in the purge's transaction. */
function forgetName(session: Session, names: NameBatch, id: string): void {
  for (const r of buryName(session, names, id)) {
    try {
      names.remove(r.scope_id, r.chunk_no, id);
    } catch {
      // A chunk that does not open keeps the name: it must not stop the pass, and it is reported where it is read.
    }
  }
}

/**
 * The pass of an unlocked session: periods verified under the organization key, and purges only
 * when every setting verified, of secrets whose verified state is due; names of purged secrets
 * leave this member's chunks in the same transaction. Only the chunks that held them are opened:
 * opening every chunk after each purging pass cost ~40% of a daily pass at 100,000 secrets.
 */
export function sessionPass(session: Session): SessionPassResult {
  const check = checkSettings(session);
  const { inactiveDays, deletionDays } = check.values;
  const periods = { inactiveDays, deletionDays };
  const tamperedSecrets: string[] = [];
  const names = new NameBatch(session);
  const policy: PassPolicy =
    check.tampered.length === 0
      ? {
          periods,
          authenticated: true,
          verify: purgeCheck(session, tamperedSecrets),
          bury: (id) => forgetName(session, names, id),
          buried: () => {
            names.flush();
            pruneTombstones(session.db);
          },
        }
      : { periods, authenticated: false };
  const result = runLifecyclePass(session.db, session.ctx.clock, policy);
  return { ...result, tampered: check.tampered, tamperedSecrets };
}
