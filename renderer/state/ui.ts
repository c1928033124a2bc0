import { create } from 'zustand';
import { onSessionEnd } from './session';
import { useToasts } from './toasts';

/** Which app-level dialog is open, and whether the narrow window's navigation drawer is. */
interface UiState {
  registerOpen: boolean;
  setRegisterOpen: (open: boolean) => void;
  /** The command palette (Ctrl+K / Cmd+K). */
  paletteOpen: boolean;
  setPaletteOpen: (open: boolean) => void;
  /** The sidebar as a drawer, below 1,000 px. */
  navOpen: boolean;
  setNavOpen: (open: boolean) => void;
}

export const useUi = create<UiState>()((set) => ({
  registerOpen: false,
  setRegisterOpen(registerOpen) {
    set({ registerOpen });
  },
  paletteOpen: false,
  setPaletteOpen(paletteOpen) {
    set({ paletteOpen });
  },
  navOpen: false,
  setNavOpen(navOpen) {
    set({ navOpen });
  },
}));

onSessionEnd(() => {
  useUi.getState().setRegisterOpen(false);
  useUi.getState().setPaletteOpen(false);
  useUi.getState().setNavOpen(false);
  useToasts.getState().clear();
});
