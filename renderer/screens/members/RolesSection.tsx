import { Plus, ShieldAlert, ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import type { RoleSummary } from '../../../shared/schemas/roles';
import { OPERATION_LABELS } from '../../../shared/schemas/roles';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { EmptyState } from '../../components/EmptyState';
import { SkeletonLines } from '../../components/Skeleton';
import { sentence } from '../../lib/errors';
import { may } from '../../state/nav';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { RoleDialog } from './RoleDialog';

interface RolesSectionProps {
  roles: RoleSummary[] | null;
  error: string | null;
  onChanged: () => void;
}

/** Built-in and custom roles, what each may do and how many have it; Account Holders define, edit and delete custom ones. */
export function RolesSection({ roles, error, onChanged }: RolesSectionProps) {
  const permissions = useSession((s) => s.status?.member?.permissions);
  const readOnly = useSession((s) => s.status?.vault?.readOnly ?? false);
  const editable = may(permissions, 'member.grantAccountHolder');
  const [editing, setEditing] = useState<RoleSummary | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoleSummary | null>(null);

  if (error && !roles) {
    return (
      <div className="page-fill">
        <EmptyState icon={<ShieldAlert size={22} />} title="Roles could not be loaded">
          {error}
        </EmptyState>
      </div>
    );
  }
  const custom = roles?.filter((r) => !r.builtIn) ?? [];
  return (
    <div className="page">
      <div className="page-inner page-wide">
        <div className="toolbar toolbar-flush">
          <p className="muted">
            {editable
              ? 'Built-in roles are fixed. A custom role is a named set of permissions you choose.'
              : readOnly
                ? 'A read-only review shows the roles; none can change.'
                : 'Only Account Holders define custom roles.'}
          </p>
          {editable && (
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
              <Plus size={16} aria-hidden />
              New role
            </button>
          )}
        </div>
        {roles === null ? (
          <SkeletonLines count={6} />
        ) : (
          <ul className="role-list" aria-label="Roles">
            {roles.map((r) => (
              <li key={r.id} className="role-card" data-testid="role-card">
                <div className="role-head">
                  <h3 className="role-name">{r.name}</h3>
                  <span className="tag">{r.builtIn ? 'Built-in' : 'Custom'}</span>
                  <span className="muted role-count">
                    {r.members} {r.members === 1 ? 'member' : 'members'}
                  </span>
                  {editable && !r.builtIn && (
                    <span className="row-actions">
                      <button type="button" className="btn btn-sm" onClick={() => setEditing(r)} aria-label={`Edit role ${r.name}`}>
                        Edit
                      </button>
                      <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setDeleting(r)} aria-label={`Delete role ${r.name}`}>
                        Delete
                      </button>
                    </span>
                  )}
                </div>
                {r.operations.length === 0 ? (
                  <p className="muted role-ops">Reads what members read; may change nothing shared.</p>
                ) : (
                  <ul className="role-ops" aria-label={`What ${r.name} may do`}>
                    {r.operations.map((op) => (
                      <li key={op}>
                        <ShieldCheck size={14} aria-hidden />
                        {sentence(OPERATION_LABELS[op])}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
        {roles && custom.length === 0 && editable && <p className="muted">No custom roles yet: New role makes one from the permissions you tick.</p>}
      </div>
      {editing && (
        <RoleDialog
          role={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
      {deleting && (
        <ConfirmByTyping
          title={`Delete role ${deleting.name}?`}
          word={deleting.name}
          actionLabel="Delete role"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const r = await request('roles.delete', { role: deleting.id });
            if (!r.ok) return sentence(r.error.message);
            toast.success(`Role ${deleting.name} deleted`);
            setDeleting(null);
            onChanged();
            return null;
          }}
        >
          The role goes from the roster. Only a role nobody has can be deleted: give its members another role first.
        </ConfirmByTyping>
      )}
    </div>
  );
}
