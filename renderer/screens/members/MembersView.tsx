import { ShieldAlert, UserPlus, Users } from 'lucide-react';
import { useState } from 'react';
import type { MemberSummary } from '../../../shared/schemas/vault';
import type { RoleSummary } from '../../../shared/schemas/roles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { ShownOnceDialog } from '../../components/ShownOnceDialog';
import { SkeletonTableRows } from '../../components/Skeleton';
import { formatDate, formatDateTime, relativeShort } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { may } from '../../state/nav';
import { useSession } from '../../state/session';
import { AddMemberDialog } from './AddMemberDialog';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { RemoveMemberDialog } from './RemoveMemberDialog';
import { RolesSection } from './RolesSection';
import { PageTabs } from '../../components/PageTabs';
import type { Column } from '../../components/TableHead';
import { TableHead } from '../../components/TableHead';

type Tab = 'members' | 'roles';
const TABS = [
  { id: 'members', label: 'Members' },
  { id: 'roles', label: 'Roles' },
] as const;

const MEMBER_COLUMNS: readonly Column[] = [
  { label: 'Login' },
  { label: 'Role', className: 't-role' },
  { label: 'Added', className: 't-date t-wide-only' },
  { label: 'Last unlock', className: 't-date' },
];

/** The row actions' column, only when the member may take them: never in a read-only review. */
const ACTIONS_COLUMN: Column = { label: 'Actions', className: 't-act-2', hidden: true };

/** Who can unlock this vault and with which role (docs/product.md §5); the Roles tab lists what each role may do. */
export function MembersView() {
  const [tab, setTab] = useState<Tab>('members');
  const [version, setVersion] = useState(0);
  const members = useRequest('members.list', {}, version);
  const roles = useRequest('roles.list', {}, version);
  const changed = () => setVersion((v) => v + 1);

  return (
    <section className="list-area" aria-label="Members and roles">
      <PageTabs label="Members and roles" tabs={TABS} current={tab} onChange={setTab} />
      <div className="tab-body" role="tabpanel" id={`page-panel-${tab}`} aria-labelledby={`page-tab-${tab}`}>
        {tab === 'members' ? (
          <MembersTab members={members.value} error={members.error} roles={roles.value ?? []} onChanged={changed} />
        ) : (
          <RolesSection roles={roles.value} error={roles.error} onChanged={changed} />
        )}
      </div>
    </section>
  );
}

interface MembersTabProps {
  members: MemberSummary[] | null;
  error: string | null;
  roles: RoleSummary[];
  onChanged: () => void;
}

function MembersTab({ members, error, roles, onChanged }: MembersTabProps) {
  const self = useSession((s) => s.status?.member?.name);
  const editable = useSession((s) => may(s.status?.member?.permissions, 'member.manage'));
  const refreshStatus = useSession((s) => s.refresh);
  const [adding, setAdding] = useState(false);
  const [setupCode, setSetupCode] = useState<{ login: string; code: string } | null>(null);
  const [changing, setChanging] = useState<MemberSummary | null>(null);
  const [removing, setRemoving] = useState<MemberSummary | null>(null);

  const afterChange = () => {
    onChanged();
    void refreshStatus();
  };

  return (
    <>
      <div className="toolbar">
        <p className="row-count" role="status">
          {members ? `${members.length} ${members.length === 1 ? 'member' : 'members'}` : '\u00a0'}
        </p>
        {editable && (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            <UserPlus size={16} aria-hidden />
            Add member
          </button>
        )}
      </div>
      {error && !members ? (
        <div className="page-fill">
          <EmptyState icon={<ShieldAlert size={22} />} title="Members could not be loaded">
            {error}
          </EmptyState>
        </div>
      ) : (
        <div className="table-scroll">
          {error && <ErrorNote message={error} />}
          <MemberTable members={members} self={self} editable={editable} onRole={setChanging} onRemove={setRemoving} />
          {editable && members?.length === 1 && members[0]!.name === self && (
            <EmptyState icon={<Users size={22} />} title="Only you so far">
              Add a member: they get a one-time setup code to type at their first unlock, then choose their own password.
            </EmptyState>
          )}
        </div>
      )}
      {adding && (
        <AddMemberDialog
          roles={roles}
          onClose={() => setAdding(false)}
          onAdded={(login, code) => {
            setAdding(false);
            setSetupCode({ login, code });
            afterChange();
          }}
        />
      )}
      {setupCode && (
        <ShownOnceDialog
          title={`Setup code for ${setupCode.login}`}
          description={
            <>
              Give this code to {setupCode.login} over a channel you trust. They type it as their password at their first unlock, then choose their own.
            </>
          }
          values={[{ label: 'Setup code', value: setupCode.code }]}
          warning="This code will not be shown again. If it is lost, remove the member and add them again."
          onClose={() => setSetupCode(null)}
        />
      )}
      {changing && <ChangeRoleDialog member={changing} roles={roles} onClose={() => setChanging(null)} onChanged={afterChange} />}
      {removing && <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} onRemoved={afterChange} />}
    </>
  );
}

interface MemberTableProps {
  members: MemberSummary[] | null;
  self: string | undefined;
  /** The member may change members now: else the row actions are not shown. */
  editable: boolean;
  onRole: (m: MemberSummary) => void;
  onRemove: (m: MemberSummary) => void;
}

function MemberTable({ members, self, editable, onRole, onRemove }: MemberTableProps) {
  return (
    <table className="table" data-testid="members-table">
      <caption className="visually-hidden">Members, by login</caption>
      <TableHead columns={editable ? [...MEMBER_COLUMNS, ACTIONS_COLUMN] : MEMBER_COLUMNS} />
      <tbody>
        {members === null ? (
          <SkeletonTableRows columns={editable ? 5 : 4} rows={4} />
        ) : (
          members.map((m) => (
            <tr key={m.id} data-testid="member-row">
              <td>
                <span className="t-name">
                  <span className="truncate strong mono" title={m.name}>
                    {m.name}
                  </span>
                  {m.name === self && <span className="t-sub">you</span>}
                </span>
              </td>
              <td className="t-role">
                <span className="truncate" title={m.roleName}>
                  {m.roleName}
                </span>
              </td>
              <td className="t-date nums t-wide-only">
                <span title={formatDateTime(m.created)}>{formatDate(m.created)}</span>
              </td>
              <td className="t-date nums">
                {m.lastUnlock ? <span title={formatDateTime(m.lastUnlock)}>{relativeShort(m.lastUnlock)}</span> : <span className="muted">never</span>}
              </td>
              {editable && (
                <td className="t-act-2">
                  <span className="row-actions">
                    <button type="button" className="btn btn-sm" onClick={() => onRole(m)} aria-label={`Change role of ${m.name}`}>
                      Change role
                    </button>
                    {m.name !== self && (
                      <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => onRemove(m)} aria-label={`Remove ${m.name}`}>
                        Remove
                      </button>
                    )}
                  </span>
                </td>
              )}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/**
 * The roles this member may give, as the core's rule has it: Account Holder only to someone who may
 * grant it; a custom role only to someone who may do all it allows (or who may grant Account Holder).
 */
export function offeredRoles(roles: RoleSummary[], permissions: Parameters<typeof may>[0]): RoleSummary[] {
  const grantsAll = may(permissions, 'member.grantAccountHolder');
  return roles.filter((r) => (r.id === 'account-holder' ? grantsAll : r.builtIn || grantsAll || r.operations.every((op) => may(permissions, op))));
}

/** What members.add and members.setRole take: a built-in role's id, a custom role's name (the core resolves names). */
export const roleRef = (r: RoleSummary): string => (r.builtIn ? r.id : r.name);
