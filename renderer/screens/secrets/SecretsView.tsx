import { useSelection } from '../../state/selection';
import { DetailPanel } from '../detail/DetailPanel';
import { FilterBar } from './FilterBar';
import { SecretTable } from './SecretTable';

/** One scope's secrets: filters and count, the table, and the detail panel of the open row. */
export function SecretsView() {
  const openId = useSelection((s) => s.openId);
  return (
    <>
      <section className="list-area" aria-label="Secret list">
        <FilterBar />
        <SecretTable />
      </section>
      {openId && <DetailPanel key={openId} id={openId} />}
    </>
  );
}
