import { Bot, Plus, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import type { AccountSummary } from '../../../shared/schemas/accounts';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { useRequest } from '../../lib/useRequest';
import { may } from '../../state/nav';
import { useSession } from '../../state/session';
import type { KeyAction } from './AccountCard';
import { AccountCard } from './AccountCard';
import { AccountDialogs } from './AccountDialogs';
import type { Pending } from './AccountDialogs';

/**
 * docs/product.md §7: the vault's service accounts and their keys. A key's secret appears once, in
 * the dialog after create, add or renew, and lives only in AccountDialogs' state until it closes.
 */
export function AccountsView() {
  const editable = useSession((s) => may(s.status?.member?.permissions, 'serviceAccount.manage'));
  const [version, setVersion] = useState(0);
  const { value: list, error } = useRequest('accounts.list', {}, version);
  const roles = useRequest('roles.list', {});
  const [pending, setPending] = useState<Pending>(null);
  const changed = () => setVersion((v) => v + 1);
  const onKey = (account: AccountSummary) => (action: KeyAction, keyId: string) => setPending({ kind: action === 'renew' ? 'renewKey' : 'deleteKey', account, keyId });

  return (
    <section className="list-area" aria-label="Service accounts">
      {error && !list ? (
        <div className="page-fill">
          <EmptyState icon={<ShieldAlert size={22} />} title="Service accounts could not be loaded">
            {error}
          </EmptyState>
        </div>
      ) : (
        <div className="page">
          <div className="page-inner page-wide">
            <div className="toolbar toolbar-flush">
              <p className="row-count" role="status">
                {list ? `${list.length} ${list.length === 1 ? 'service account' : 'service accounts'}` : '\u00a0'}
              </p>
              {editable && (
                <button type="button" className="btn btn-primary" disabled={roles.value === null} onClick={() => setPending({ kind: 'create' })}>
                  <Plus size={16} aria-hidden />
                  Create service account
                </button>
              )}
            </div>
            {error && <ErrorNote message={error} />}
            {list === null ? (
              <SkeletonLines count={6} />
            ) : list.length === 0 ? (
              <EmptyState icon={<Bot size={22} />} title="No service accounts yet">
                A service account is a pipeline with a role: it reads what a member of that role reads, across the organization or in one workspace. Create
                one, and store its key’s secret where the pipeline reads it.
              </EmptyState>
            ) : (
              <ul className="account-list" aria-label="Service accounts">
                {list.map((a) => (
                  <AccountCard
                    key={a.id}
                    account={a}
                    editable={editable}
                    onAddKey={() => setPending({ kind: 'addKey', account: a })}
                    onKey={onKey(a)}
                    onDelete={() => setPending({ kind: 'delete', account: a })}
                  />
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      <AccountDialogs pending={pending} roles={roles.value ?? []} onDone={() => setPending(null)} onChanged={changed} />
    </section>
  );
}
