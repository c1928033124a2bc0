import { create } from 'zustand';
import type { AppStatus } from '../../shared/ipc';
import type { Level } from '../../shared/schemas/secrets';
import type { Operation } from '../../shared/schemas/roles';

/** Where the main screen looks: one scope of secrets, a vault-wide page, or Settings. */
export type Scope = { level: 'personal' } | { level: 'organization' } | { level: 'workspace'; workspace: string };
export type View =
  | { kind: 'secrets'; scope: Scope }
  | { kind: 'review' }
  | { kind: 'settings' }
  | { kind: 'scheduled' }
  | { kind: 'audit' }
  | { kind: 'members' }
  | { kind: 'teams' }
  | { kind: 'credentials' }
  | { kind: 'accounts' }
  | { kind: 'export' }
  | { kind: 'import' };

/** What the unlocked member may do, as the core's permission table says (app status): the renderer never decides it again. */
export type Permissions = readonly Operation[] | undefined;

/**
 * The permissions a view needs, if any (any one of them opens it): the core refuses its calls without
 * them; the renderer hides it. Teams also holds the workspaces, so either permission opens it.
 */
const VIEW_NEEDS: Partial<Record<View['kind'], readonly Operation[]>> = {
  review: ['audit.read'],
  audit: ['audit.read'],
  members: ['member.manage'],
  teams: ['team.manage', 'workspace.create'],
  credentials: ['credential.manage'],
  accounts: ['serviceAccount.manage'],
};

/** Views that only write: a read-only vault has no use for them. */
const WRITING_VIEWS: readonly View['kind'][] = ['import'];

/**
 * Whether the unlocked member may open a view at all: the sidebar, shortcuts and the main area all ask
 * this. By the role's operations, not `permissions`: a read-only review still reads members and teams.
 */
export function viewAllowed(view: View, status: AppStatus | null | undefined): boolean {
  if (status?.vault?.readOnly && WRITING_VIEWS.includes(view.kind)) return false;
  const needs = VIEW_NEEDS[view.kind];
  return needs === undefined || needs.some((op) => status?.member?.roleOperations.includes(op) ?? false);
}

/** Whether the permission table lets the unlocked member do one operation (a button, a section). */
export function may(permissions: Permissions, op: Operation): boolean {
  return permissions?.includes(op) ?? false;
}

export const HOME: View = { kind: 'secrets', scope: { level: 'personal' } };

const REVIEW: View = { kind: 'review' };

/** Where the main screen opens after unlock: the Review dashboard for those who review the vault, Personal for everyone else. */
export function landingView(status: AppStatus): View {
  return viewAllowed(REVIEW, status) ? REVIEW : HOME;
}

/** The table's scope that holds a secret of this place. */
export function scopeOf(place: { level: Level; workspace: string | null }): Scope {
  if (place.level === 'workspace' && place.workspace) return { level: 'workspace', workspace: place.workspace };
  return place.level === 'organization' ? { level: 'organization' } : { level: 'personal' };
}

/** Alt+digit moves between the fixed places; the sidebar shows the same keys in its tooltips. */
export const NAV_SHORTCUTS: { code: string; keys: string; view: View }[] = [
  { code: 'Digit1', keys: 'Alt+1', view: HOME },
  { code: 'Digit2', keys: 'Alt+2', view: { kind: 'secrets', scope: { level: 'organization' } } },
  { code: 'Digit3', keys: 'Alt+3', view: { kind: 'scheduled' } },
  { code: 'Digit4', keys: 'Alt+4', view: { kind: 'audit' } },
  { code: 'Digit5', keys: 'Alt+5', view: { kind: 'settings' } },
];

interface NavState {
  view: View;
  go: (view: View) => void;
}

export const useNav = create<NavState>()((set) => ({
  view: HOME,
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

/** The Alt+digit key of a view, if it has one. */
export function shortcutOf(view: View): string | undefined {
  return NAV_SHORTCUTS.find((n) => n.view.kind === view.kind && (view.kind !== 'secrets' || (n.view.kind === 'secrets' && sameScope(n.view.scope, view.scope))))?.keys;
}
