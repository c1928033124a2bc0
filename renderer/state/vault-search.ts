import { create } from 'zustand';
import { onSessionEnd } from './session';

/** Where the top bar's search looks: the table's own view, or every place the member reads. */
interface SearchReachState {
  wholeVault: boolean;
  setWholeVault: (wholeVault: boolean) => void;
}

export const useSearchReach = create<SearchReachState>()((set) => ({
  wholeVault: false,
  setWholeVault(wholeVault) {
    set({ wholeVault });
  },
}));

onSessionEnd(() => useSearchReach.getState().setWholeVault(false));
