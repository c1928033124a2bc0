import type { SecretStatus, SecretType } from '../../../shared/schemas/secrets';
import { SECRET_TYPES, STATUSES, TYPE_LABELS } from '../../../shared/schemas/secrets';
import { STATUS_LABELS } from '../../../shared/labels';
import { Chip } from '../../components/Chip';
import { formatCount } from '../../lib/format';
import type { VaultSearch } from '../../lib/useVaultSearch';
import { useScopeTotal } from './useScopeTotal';
import { useSecrets } from '../../state/secrets';
import { useSearchReach } from '../../state/vault-search';

/**
 * Where a search looks (once there is one), type and status chips (one of each at a time; not for
 * the whole vault's search, which matches names only) and the row count beside them.
 */
export function FilterBar({ vaultSearch }: { vaultSearch: VaultSearch | null }) {
  const searching = useSecrets((s) => s.query.search.trim() !== '');
  return (
    <div className="filters">
      {searching && <SearchReach />}
      {vaultSearch ? <VaultCount search={vaultSearch} /> : <ViewFilters />}
    </div>
  );
}

function SearchReach() {
  const wholeVault = useSearchReach((s) => s.wholeVault);
  const setWholeVault = useSearchReach((s) => s.setWholeVault);
  return (
    <div className="chip-group" role="group" aria-labelledby="search-reach-label">
      <span className="chip-group-label" id="search-reach-label">
        Search in
      </span>
      <Chip pressed={!wholeVault} onClick={() => setWholeVault(false)}>
        This view
      </Chip>
      <Chip pressed={wholeVault} onClick={() => setWholeVault(true)}>
        Whole vault
      </Chip>
    </div>
  );
}

function VaultCount({ search }: { search: VaultSearch }) {
  const matched = search.listing?.matched;
  return (
    <p className="row-count" role="status" data-testid="row-count">
      {matched === undefined ? '\u00a0' : `${formatCount(matched)} in the whole vault`}
      <span className="visually-hidden"> secrets found</span>
    </p>
  );
}

function ViewFilters() {
  const type = useSecrets((s) => s.query.type);
  const status = useSecrets((s) => s.query.status);
  const matched = useSecrets((s) => s.matched);
  const setQuery = useSecrets((s) => s.setQuery);
  const total = useScopeTotal();

  return (
    <>
      <div className="chip-group" role="group" aria-labelledby="filter-type-label">
        <span className="chip-group-label" id="filter-type-label">
          Type
        </span>
        <Chip pressed={type === null} onClick={() => setQuery({ type: null })}>
          All
        </Chip>
        {SECRET_TYPES.map((t: SecretType) => (
          <Chip key={t} pressed={type === t} onClick={() => setQuery({ type: type === t ? null : t })}>
            {TYPE_LABELS[t]}
          </Chip>
        ))}
      </div>
      <div className="chip-group" role="group" aria-labelledby="filter-status-label">
        <span className="chip-group-label" id="filter-status-label">
          Status
        </span>
        <Chip pressed={status === null} onClick={() => setQuery({ status: null })}>
          All
        </Chip>
        {STATUSES.map((s: SecretStatus) => (
          <Chip key={s} pressed={status === s} onClick={() => setQuery({ status: status === s ? null : s })}>
            {STATUS_LABELS[s]}
          </Chip>
        ))}
      </div>
      <p className="row-count" role="status" data-testid="row-count">
        {matched === null ? '\u00a0' : `${formatCount(matched)} of ${formatCount(Math.max(total ?? matched, matched))}`}
        <span className="visually-hidden"> secrets shown</span>
      </p>
    </>
  );
}
