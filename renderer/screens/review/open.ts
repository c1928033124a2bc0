import type { Level, ListSecretsInput, SecretStatus, SecretType } from '../../../shared/schemas/secrets';
import { sentence } from '../../lib/errors';
import type { Scope } from '../../state/nav';
import { scopeOf, useNav } from '../../state/nav';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

/** Opens a secret as the rest of the app does: its place's table, its detail panel. */
export function openSecret(secret: { id: string; level: Level; workspace: string | null }): void {
  useNav.getState().go({ kind: 'secrets', scope: scopeOf(secret) });
  useSelection.getState().open(secret.id);
}

/** Every table the session can open: Personal, Organization, each workspace. */
function everyScope(): Scope[] {
  const workspaces = useSession.getState().status?.workspaces ?? [];
  return [{ level: 'personal' }, { level: 'organization' }, ...workspaces.map((w): Scope => ({ level: 'workspace', workspace: w.name }))];
}

function listingOf(scope: Scope, filter: Filter): ListSecretsInput {
  return { level: scope.level, ...(scope.level === 'workspace' ? { workspace: scope.workspace } : {}), ...filter, limit: 1 };
}

type Filter = { status: SecretStatus } | { type: SecretType };

/**
 * The table shows one place at a time, and the dashboard counts every place: a status or type link
 * opens, filtered, the place that holds the most of them (ties: the first in the sidebar's order).
 */
export async function openFiltered(filter: Filter): Promise<void> {
  const scopes = everyScope();
  const answers = await Promise.all(scopes.map((scope) => request('secrets.list', listingOf(scope, filter))));
  const failed = answers.find((r) => !r.ok);
  if (failed && !failed.ok) {
    toast.error(sentence(failed.error.message));
    return;
  }
  const matched = answers.map((r) => (r.ok ? r.value.matched : 0));
  const best = matched.indexOf(Math.max(...matched));
  useNav.getState().go({ kind: 'secrets', scope: scopes[best]! });
  useSecrets.getState().setQuery({ type: null, status: null, ...filter });
}

/** A level's link: its table unfiltered; for workspaces, the one that holds the most secrets. */
export function openLevel(level: Level): void {
  let scope: Scope = level === 'organization' ? { level } : { level: 'personal' };
  if (level === 'workspace') {
    const workspaces = useSession.getState().status?.workspaces ?? [];
    const biggest = [...workspaces].sort((a, b) => b.count - a.count)[0];
    if (!biggest) return;
    scope = { level, workspace: biggest.name };
  }
  useNav.getState().go({ kind: 'secrets', scope });
  useSecrets.getState().setQuery({ type: null, status: null });
}
