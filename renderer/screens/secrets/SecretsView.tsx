import { SEARCH_LIMIT_MAX } from '../../../shared/schemas/secrets';
import { useVaultSearch } from '../../lib/useVaultSearch';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSearchReach } from '../../state/vault-search';
import { DetailPanel } from '../detail/DetailPanel';
import { FilterBar } from './FilterBar';
import { SecretTable } from './SecretTable';
import { VaultResults } from './VaultResults';

/** One scope's secrets (or, searching the whole vault, every place's matches): filters and count, the table, and the detail panel of the open row. */
export function SecretsView() {
  const openId = useSelection((s) => s.openId);
  const text = useSecrets((s) => s.query.search).trim();
  const wholeVault = useSearchReach((s) => s.wholeVault) && text !== '';
  const search = useVaultSearch(wholeVault ? text : '', SEARCH_LIMIT_MAX);
  return (
    <>
      <section className="list-area" aria-label="Secret list">
        <FilterBar vaultSearch={wholeVault ? search : null} />
        {wholeVault ? <VaultResults search={search} /> : <SecretTable />}
      </section>
      {openId && <DetailPanel key={openId} id={openId} />}
    </>
  );
}
