import { KeyRound, Plus, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import type { CreatedCredential, CredentialSummary } from '../../../shared/schemas/credentials';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { ShownOnceDialog } from '../../components/ShownOnceDialog';
import { SkeletonTableRows } from '../../components/Skeleton';
import { sentence } from '../../lib/errors';
import { formatDate, formatDateTime, relativeShort } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { request } from '../../state/request';
import { may } from '../../state/nav';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { CreateCredentialWizard } from './CreateCredentialWizard';
import { EditTeamsDialog } from './EditTeamsDialog';
import type { Column } from '../../components/TableHead';
import { TableHead } from '../../components/TableHead';

const CREDENTIAL_COLUMNS: readonly Column[] = [
  { label: 'Name' },
  { label: 'Creator', className: 't-actor t-wide-only' },
  { label: 'Teams', className: 't-teams' },
  { label: 'Created', className: 't-date t-wide-only' },
  { label: 'Last used', className: 't-date' },
];

/** The row actions' column, only when the member may take them: never in a read-only review. */
const ACTIONS_COLUMN: Column = { label: 'Actions', className: 't-act-2', hidden: true };

/**
 * docs/product.md §6: the vault's service credentials. The Client Secret appears once, in the
 * dialog after Finish, and lives only in this component's state until that dialog closes.
 */
export function CredentialsView() {
  const status = useSession((s) => s.status)!;
  const editable = may(status.member?.permissions, 'credential.manage');
  const limit = status.settings.credentialsPerMember;
  const [version, setVersion] = useState(0);
  const { value: list, error } = useRequest('credentials.list', {}, version);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedCredential | null>(null);
  const [editing, setEditing] = useState<CredentialSummary | null>(null);
  const [revoking, setRevoking] = useState<CredentialSummary | null>(null);
  const changed = () => setVersion((v) => v + 1);
  const owned = list?.filter((c) => c.creator === status.member?.name).length ?? 0;

  return (
    <section className="list-area" aria-label="Service credentials">
      <div className="toolbar">
        <p className="row-count" role="status">
          {list ? `${list.length} ${list.length === 1 ? 'credential' : 'credentials'}` : '\u00a0'}
        </p>
        <span className="muted toolbar-note" data-testid="credential-limit">
          You own {owned} of the {limit} each member may have
        </span>
        {editable && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            <Plus size={16} aria-hidden />
            Create service credential
          </button>
        )}
      </div>
      {error && !list ? (
        <div className="page-fill">
          <EmptyState icon={<ShieldAlert size={22} />} title="Service credentials could not be loaded">
            {error}
          </EmptyState>
        </div>
      ) : list && list.length === 0 ? (
        <div className="page-fill">
          <EmptyState icon={<KeyRound size={22} />} title="No service credentials yet">
            A pipeline reads its teams’ secrets with a Client Id and Client Secret. Create one, choose its teams, and store the secret where the pipeline
            reads it.
          </EmptyState>
        </div>
      ) : (
        <div className="table-scroll">
          {error && <ErrorNote message={error} />}
          <table className="table" data-testid="credentials-table">
            <caption className="visually-hidden">Service credentials, by name</caption>
            <TableHead columns={editable ? [...CREDENTIAL_COLUMNS, ACTIONS_COLUMN] : CREDENTIAL_COLUMNS} />
            <tbody>
              {list === null ? (
                <SkeletonTableRows columns={editable ? 6 : 5} rows={4} />
              ) : (
                list.map((c) => (
                  <tr key={c.clientId} data-testid="credential-row">
                    <td>
                      <span className="t-name">
                        <span className="truncate strong" title={`${c.name} · Client Id ${c.clientId}`}>
                          {c.name}
                        </span>
                      </span>
                    </td>
                    <td className="t-actor t-wide-only">
                      <span className="truncate mono" title={c.creator}>
                        {c.creator}
                      </span>
                    </td>
                    <td className="t-teams">
                      <span className="truncate" title={c.teams.join(', ')}>
                        {c.teams.length ? c.teams.join(', ') : <span className="muted">no team</span>}
                      </span>
                    </td>
                    <td className="t-date nums t-wide-only">
                      <span title={formatDateTime(c.created)}>{formatDate(c.created)}</span>
                    </td>
                    <td className="t-date nums">
                      {c.lastUsed ? <span title={formatDateTime(c.lastUsed)}>{relativeShort(c.lastUsed)}</span> : <span className="muted">never</span>}
                    </td>
                    {editable && (
                      <td className="t-act-2">
                        <span className="row-actions">
                          <button type="button" className="btn btn-sm" onClick={() => setEditing(c)} aria-label={`Edit teams of ${c.name}`}>
                            Edit teams
                          </button>
                          <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.name}`}>
                            Revoke
                          </button>
                        </span>
                      </td>
                    )}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <CreateCredentialWizard
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
            changed();
          }}
        />
      )}
      {created && (
        <ShownOnceDialog
          title={`${created.name} is ready`}
          description="Put these in the pipeline’s secret store. The pipeline reads its teams’ secrets with them."
          values={[
            { label: 'Client Id', value: created.clientId },
            { label: 'Client Secret', value: created.clientSecret },
            { label: 'Realm', value: created.realm },
          ]}
          warning="You won't see the Client Secret again after closing."
          onClose={() => setCreated(null)}
        />
      )}
      {editing && (
        <EditTeamsDialog
          credential={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            changed();
          }}
        />
      )}
      {revoking && (
        <ConfirmByTyping
          title={`Revoke ${revoking.name}?`}
          word={revoking.name}
          actionLabel="Revoke"
          onClose={() => setRevoking(null)}
          onConfirm={async (confirm) => {
            const r = await request('credentials.revoke', { name: revoking.name, confirm });
            if (!r.ok) return sentence(r.error.message);
            toast.success(`${revoking.name} revoked`);
            setRevoking(null);
            changed();
            return null;
          }}
        >
          Create the replacement credential and put it in the pipeline first. Revoking stops {revoking.name} at once: its Client Secret opens nothing
          more, and its teams{revoking.teams.length ? ` (${revoking.teams.join(', ')})` : ''} move to new keys.
        </ConfirmByTyping>
      )}
    </section>
  );
}
