import { create } from 'zustand';
import { onSessionEnd } from './session';
import { useToasts } from './toasts';

/** Which app-level dialog is open. */
interface UiState {
  registerOpen: boolean;
  setRegisterOpen: (open: boolean) => void;
}

export const useUi = create<UiState>()((set) => ({
  registerOpen: false,
  setRegisterOpen(registerOpen) {
    set({ registerOpen });
  },
}));

onSessionEnd(() => {
  useUi.getState().setRegisterOpen(false);
  useToasts.getState().clear();
});
