import { SearchX, ShieldAlert } from 'lucide-react';
import type { SecretSummary } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { levelLabel, shownName } from '../../../shared/labels';
import { EmptyState } from '../../components/EmptyState';
import { SkeletonTableRows } from '../../components/Skeleton';
import { StatusBadge } from '../../components/StatusBadge';
import { TableHead } from '../../components/TableHead';
import { formatCount } from '../../lib/format';
import type { VaultSearch } from '../../lib/useVaultSearch';
import { useSelection } from '../../state/selection';
import { useSearchReach } from '../../state/vault-search';
import { openSecret } from '../review/open';

const COLUMNS = [
  { label: 'Secret name', className: 'v-name' },
  { label: 'Level', className: 'v-level' },
  { label: 'Credential Type', className: 'v-type' },
  { label: 'Secret Status', className: 'v-status' },
] as const;

/**
 * The top bar's search over every place the member reads, one row per secret with its Level; a row
 * opens its place's table with its detail panel, where the search goes on as "This view".
 */
export function VaultResults({ search }: { search: VaultSearch }) {
  const openId = useSelection((s) => s.openId);
  const { listing, answered, error } = search;

  if (error && !listing) return <EmptyState icon={<ShieldAlert size={22} />} title="The search could not be done">{error}</EmptyState>;
  if (listing && listing.matched === 0) {
    return (
      <EmptyState icon={<SearchX size={22} />} title="Nothing in the whole vault matches">
        No secret you can read has “{answered}” in its name.
      </EmptyState>
    );
  }

  const open = (row: SecretSummary) => {
    useSearchReach.getState().setWholeVault(false);
    openSecret(row);
  };

  return (
    <div className="table-scroll" id="vault-results">
      <table className="table vault-results" data-testid="vault-results" aria-busy={!listing || undefined}>
        <caption className="visually-hidden">Secrets in the whole vault whose names contain “{answered}”, best matches first</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {!listing ? (
            <SkeletonTableRows columns={COLUMNS.length} rows={6} />
          ) : (
            listing.items.map((row) => (
              <tr key={row.id} data-testid="vault-result" className={row.id === openId ? 'is-open' : undefined} onClick={() => open(row)}>
                <td className="v-name">
                  <button type="button" className="row-link truncate" title={`Open ${shownName(row)} in ${levelLabel(row)}`}>
                    {row.tampered && <ShieldAlert size={14} className="tamper" aria-hidden />}
                    {shownName(row)}
                  </button>
                </td>
                <td className="v-level">
                  <span className="truncate" title={levelLabel(row)}>
                    {levelLabel(row)}
                  </span>
                </td>
                <td className="v-type">{TYPE_LABELS[row.type]}</td>
                <td className="v-status">
                  <StatusBadge status={row.status} deletion={row.deletion} compact />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {listing && listing.matched > listing.items.length && (
        <p className="list-note">
          The best {formatCount(listing.items.length)} of {formatCount(listing.matched)} matches are shown: type more of the name to narrow them.
        </p>
      )}
    </div>
  );
}
