import { create } from 'zustand';
import type { ErrorShape } from '../../shared/errors';
import type { AppStatus } from '../../shared/ipc';
import type { Settings } from '../../shared/schemas/settings';
import { clearClipboardNow } from '../lib/clipboard';
import { HOME, landingView, useNav } from './nav';
import { request, setLockedListener } from './request';

/** App status from the core: which screen shows (none / locked / unlocked) and the vault's facts. */
interface SessionState {
  status: AppStatus | null;
  /** The first `app.status` failed: the door is unreachable or refused this page. */
  bootError: ErrorShape | null;
  refresh: () => Promise<void>;
  setStatus: (status: AppStatus) => void;
  lock: () => Promise<void>;
  updateSettings: (patch: Partial<Settings>) => Promise<ErrorShape | null>;
}

type ResetListener = () => void;
const resetListeners: ResetListener[] = [];

/** Slices holding vault data register here; they are emptied whenever the vault is not unlocked. */
export function onSessionEnd(fn: ResetListener): void {
  resetListeners.push(fn);
}

function endSession(): void {
  for (const fn of resetListeners) fn();
  void clearClipboardNow();
}

export const useSession = create<SessionState>()((set, get) => ({
  status: null,
  bootError: null,
  async refresh() {
    const r = await request('app.status', {});
    if (r.ok) get().setStatus(r.value);
    else if (!get().status) set({ bootError: r.error });
  },
  setStatus(status) {
    const was = get().status?.state;
    if (status.state !== 'unlocked' && was === 'unlocked') endSession();
    // Set before the main screen first renders, so it opens on its landing view without a flash of
    // another. A vault just created has nothing to review: its first step is registering a secret.
    if (status.state === 'unlocked' && was !== 'unlocked') useNav.getState().go(was === 'none' ? HOME : landingView(status));
    set({ status, bootError: null });
  },
  async lock() {
    endSession();
    const r = await request('vault.lock', {});
    if (r.ok) get().setStatus(r.value);
    else await get().refresh();
  },
  async updateSettings(patch) {
    const r = await request('settings.update', patch);
    if (!r.ok) return r.error;
    get().setStatus(r.value);
    return null;
  },
}));

setLockedListener(() => void useSession.getState().refresh());

/** The vault is open read-only: every write action is hidden, not merely disabled (docs/ui.md "Read-only review"). */
export const useReadOnly = (): boolean => useSession((s) => s.status?.vault?.readOnly ?? false);
