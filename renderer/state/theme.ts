import { create } from 'zustand';

/** Theme choice (docs/ui.md: follow the OS, switchable in Settings); stored in this browser only. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'coffer.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const resolve = (choice: ThemeChoice): Theme => (choice === 'system' ? (media.matches ? 'dark' : 'light') : choice);

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
  setChoice: (choice: ThemeChoice) => void;
}

export const useTheme = create<ThemeState>()((set) => {
  const choice = stored();
  const theme = resolve(choice);
  apply(theme);
  media.addEventListener('change', () => {
    const current = useTheme.getState().choice;
    const next = resolve(current);
    apply(next);
    set({ theme: next });
  });
  return {
    choice,
    theme,
    setChoice(next) {
      try {
        if (next === 'system') localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, next);
      } catch {
        // Storage may be unavailable; the choice still holds for this page.
      }
      const t = resolve(next);
      apply(t);
      set({ choice: next, theme: t });
    },
  };
});
