import { create } from 'zustand';
import { onSessionEnd } from './session';
import { useToasts } from './toasts';

/** Which app-level dialog is open. */
interface UiState {
  registerOpen: boolean;
  setRegisterOpen: (open: boolean) => void;
  /** The command palette (Ctrl+K / Cmd+K). */
  paletteOpen: boolean;
  setPaletteOpen: (open: boolean) => void;
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
}));

onSessionEnd(() => {
  useUi.getState().setRegisterOpen(false);
  useUi.getState().setPaletteOpen(false);
  useToasts.getState().clear();
});
