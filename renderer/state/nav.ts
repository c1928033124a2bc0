import { create } from 'zustand';
import type { Level } from '../../shared/schemas/secrets';

/** Where the main screen looks: one scope of secrets, or Settings. */
export type Scope = { level: 'personal' } | { level: 'organization' } | { level: 'workspace'; workspace: string };
export type View = { kind: 'secrets'; scope: Scope } | { kind: 'settings' };

interface NavState {
  view: View;
  go: (view: View) => void;
}

export const useNav = create<NavState>()((set) => ({
  view: { kind: 'secrets', scope: { level: 'personal' } },
  go(view) {
    set({ view });
  },
}));

export function scopeLevel(scope: Scope): Level {
  return scope.level;
}

export function sameScope(a: Scope, b: Scope): boolean {
  if (a.level !== b.level) return false;
  return a.level !== 'workspace' || (b.level === 'workspace' && a.workspace === b.workspace);
}
