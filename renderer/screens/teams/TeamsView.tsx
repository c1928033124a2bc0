import { FolderClosed, FolderPlus } from 'lucide-react';
import { useState } from 'react';
import { workspaceName } from '../../../shared/schemas/vault';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { EmptyState } from '../../components/EmptyState';
import { placedError, sentence } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { may } from '../../state/nav';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { NameDialog } from './NameDialog';
import { TeamsSection } from './TeamsSection';

/** Teams (who shares which organization secrets) and workspaces, each shown when the role manages it (read-only: shown, not changed). */
export function TeamsView() {
  const roleOperations = useSession((s) => s.status?.member?.roleOperations);
  return (
    <div className="page">
      <div className="page-inner page-wide">
        {may(roleOperations, 'team.manage') && <TeamsSection />}
        {may(roleOperations, 'workspace.create') && <WorkspacesSection />}
      </div>
    </div>
  );
}

type Editing = { kind: 'add' } | { kind: 'rename'; name: string } | { kind: 'delete'; name: string; count: number } | null;

/** Workspaces from the app status (which already counts their secrets): create, rename, delete. */
function WorkspacesSection() {
  const workspaces = useSession((s) => s.status?.workspaces ?? []);
  const editable = useSession((s) => may(s.status?.member?.permissions, 'workspace.create'));
  const setStatus = useSession((s) => s.setStatus);
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <section className="panel" aria-labelledby="workspaces-title">
      <div className="panel-head panel-head-row">
        <div>
          <h2 id="workspaces-title">Workspaces</h2>
          <p>Every member reads a workspace’s secrets; use them to group secrets by system or project.</p>
        </div>
        {editable && (
          <button type="button" className="btn" onClick={() => setEditing({ kind: 'add' })}>
            <FolderPlus size={16} aria-hidden />
            New workspace
          </button>
        )}
      </div>
      {workspaces.length === 0 ? (
        <EmptyState icon={<FolderClosed size={22} />} title="No workspaces yet">
          {editable ? 'Create one with New workspace, then register secrets in it from the sidebar.' : 'Nobody has made a workspace yet.'}
        </EmptyState>
      ) : (
        <ul className="entity-list" aria-label="Workspaces">
          {workspaces.map((w) => (
            <li key={w.id} className="entity-row" data-testid="workspace-row">
              <FolderClosed size={16} aria-hidden className="muted" />
              <span className="truncate strong" title={w.name}>
                {w.name}
              </span>
              <span className="muted nums entity-count">
                {formatCount(w.count)} {w.count === 1 ? 'secret' : 'secrets'}
              </span>
              {editable && (
                <span className="row-actions">
                  <button type="button" className="btn btn-sm" onClick={() => setEditing({ kind: 'rename', name: w.name })} aria-label={`Rename workspace ${w.name}`}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn btn-sm btn-danger-outline"
                    onClick={() => setEditing({ kind: 'delete', name: w.name, count: w.count })}
                    aria-label={`Delete workspace ${w.name}`}
                  >
                    Delete
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {(editing?.kind === 'add' || editing?.kind === 'rename') && (
        <NameDialog
          title={editing.kind === 'add' ? 'New workspace' : `Rename workspace ${editing.name}`}
          label="Workspace name"
          initial={editing.kind === 'rename' ? editing.name : ''}
          submitLabel={editing.kind === 'add' ? 'Create workspace' : 'Rename'}
          schema={workspaceName}
          onClose={() => setEditing(null)}
          onSubmit={async (name) => {
            const r = editing.kind === 'add' ? await request('workspaces.add', { name }) : await request('workspaces.rename', { from: editing.name, to: name });
            if (!r.ok) return placedError(r.error, ['name']);
            setStatus(r.value);
            toast.success(editing.kind === 'add' ? `Workspace ${name} created` : `Workspace renamed to ${name}`);
            setEditing(null);
            return null;
          }}
        />
      )}
      {editing?.kind === 'delete' && (
        <ConfirmByTyping
          title={`Delete workspace ${editing.name}?`}
          word={editing.name}
          actionLabel="Delete workspace"
          onClose={() => setEditing(null)}
          onConfirm={async () => {
            const r = await request('workspaces.delete', { name: editing.name });
            if (!r.ok) return sentence(r.error.message);
            setStatus(r.value);
            toast.success(`Workspace ${editing.name} deleted`);
            setEditing(null);
            return null;
          }}
        >
          {editing.count > 0
            ? `It still holds ${formatCount(editing.count)} ${editing.count === 1 ? 'secret' : 'secrets'}: Coffer refuses until they are moved or deleted.`
            : 'The empty workspace and its key are deleted. This cannot be undone.'}
        </ConfirmByTyping>
      )}
    </section>
  );
}
