import { create } from 'zustand';
import { onSessionEnd } from './session';
import { useToasts } from './toasts';

/** Which app-level dialog is open, and whether the narrow window's navigation drawer is. */
interface UiState {
  registerOpen: boolean;
  setRegisterOpen: (open: boolean) => void;
  navOpen: boolean;
  setNavOpen: (open: boolean) => void;
}

export const useUi = create<UiState>()((set) => ({
  registerOpen: false,
  setRegisterOpen(registerOpen) {
    set({ registerOpen });
  },
  navOpen: false,
  setNavOpen(navOpen) {
    set({ navOpen });
  },
}));

onSessionEnd(() => {
  useUi.getState().setRegisterOpen(false);
  useUi.getState().setNavOpen(false);
  useToasts.getState().clear();
});
