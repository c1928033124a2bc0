import type { Session } from '../vault/session';
import type { SettingName } from '../vault/settings';
import { checkSettings, clearSettings } from '../vault/settings';
import type { Vault } from '../vault/vault';
import { pruneNames } from './actions';
import type { PassResult } from './scheduler';
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
}

/**
 * The pass of an unlocked session: periods verified under the organization key, and purges only
 * when every setting verified; names of purged secrets then leave this member's chunks at once.
 */
export function sessionPass(session: Session): SessionPassResult {
  const check = checkSettings(session);
  const { inactiveDays, deletionDays } = check.values;
  const result = runLifecyclePass(session.db, session.ctx.clock, { periods: { inactiveDays, deletionDays }, authenticated: check.tampered.length === 0 });
  if (result.purged > 0) pruneNames(session);
  return { ...result, tampered: check.tampered };
}
