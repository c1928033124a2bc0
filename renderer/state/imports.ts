import { create } from 'zustand';
import { useNav } from './nav';
import { onSessionEnd } from './session';

/**
 * A file dropped on any screen, waiting for the Import screen to take it: the File object only
 * (the browser's handle), never its content. Cleared when taken and at lock.
 */
interface ImportDropState {
  pending: File | null;
  offer: (file: File) => void;
  take: () => File | null;
}

export const useImportDrop = create<ImportDropState>()((set, get) => ({
  pending: null,
  offer(file) {
    set({ pending: file });
    if (useNav.getState().view.kind !== 'import') useNav.getState().go({ kind: 'import' });
  },
  take() {
    const file = get().pending;
    if (file) set({ pending: null });
    return file;
  },
}));

onSessionEnd(() => useImportDrop.setState({ pending: null }));
