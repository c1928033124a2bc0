import { create } from 'zustand';
import type { SecretDetail } from '../../shared/schemas/secrets';
import { useNav } from './nav';
import { request } from './request';
import { onSessionEnd } from './session';

/** Keyboard shortcuts the detail panel acts on (`r`, `c`, `e`), forwarded from wherever focus is. */
export type DetailAction = 'reveal' | 'copy' | 'edit';

interface SelectionState {
  /** The row the keyboard cursor is on. */
  activeIndex: number | null;
  activeId: string | null;
  /** The secret whose detail panel is open. */
  openId: string | null;
  detail: SecretDetail | null;
  detailLoading: boolean;
  detailError: string | null;
  action: { kind: DetailAction; n: number } | null;
  setActive: (index: number | null, id: string | null) => void;
  open: (id: string, index?: number) => void;
  close: () => void;
  /** Reloads the open detail (after a reveal, an edit, a restore), without blanking it. */
  refreshDetail: () => Promise<void>;
  requestAction: (kind: DetailAction) => void;
  reset: () => void;
}

let actionCounter = 0;

export const useSelection = create<SelectionState>()((set, get) => ({
  activeIndex: null,
  activeId: null,
  openId: null,
  detail: null,
  detailLoading: false,
  detailError: null,
  action: null,
  setActive(activeIndex, activeId) {
    set({ activeIndex, activeId });
  },
  open(id, index) {
    if (index !== undefined) set({ activeIndex: index, activeId: id });
    if (get().openId === id && get().detail) return;
    set({ openId: id, detail: get().detail?.id === id ? get().detail : null, detailLoading: true, detailError: null, action: null });
    void get().refreshDetail();
  },
  close() {
    set({ openId: null, detail: null, detailLoading: false, detailError: null, action: null });
  },
  async refreshDetail() {
    const id = get().openId;
    if (!id) return;
    const r = await request('secrets.detail', { id });
    if (get().openId !== id) return;
    if (r.ok) set({ detail: r.value, detailLoading: false, detailError: null });
    else set({ detailLoading: false, detailError: r.error.message });
  },
  requestAction(kind) {
    if (!get().openId) return;
    set({ action: { kind, n: ++actionCounter } });
  },
  reset() {
    set({ activeIndex: null, activeId: null, openId: null, detail: null, detailLoading: false, detailError: null, action: null });
  },
}));

// Another scope, another list: the cursor and the panel belong to the old one.
useNav.subscribe((state, prev) => {
  if (state.view !== prev.view) useSelection.getState().reset();
});

onSessionEnd(() => useSelection.getState().reset());
