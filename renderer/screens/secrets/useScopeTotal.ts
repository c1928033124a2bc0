import { useSecrets } from '../../state/secrets';
import { useSession } from '../../state/session';

/**
 * How many secrets the current scope holds, for "1,204 of 100,000". The listing's own `total`
 * counts every secret the member can read (all scopes), so the scope's count comes from the status.
 */
export function useScopeTotal(): number | null {
  const scope = useSecrets((s) => s.query.scope);
  const listingTotal = useSecrets((s) => s.total);
  const counts = useSession((s) => s.status?.counts);
  const workspaces = useSession((s) => s.status?.workspaces);
  if (scope.level === 'personal') return counts?.personal ?? listingTotal;
  if (scope.level === 'organization') return counts?.organization ?? listingTotal;
  return workspaces?.find((w) => w.name === scope.workspace)?.count ?? listingTotal;
}
