import { Plus, ShieldAlert, UsersRound } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { TeamSummary } from '../../../shared/schemas/vault';
import { teamName } from '../../../shared/schemas/vault';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { placedError, sentence } from '../../lib/errors';
import { useRequest } from '../../lib/useRequest';
import { may } from '../../state/nav';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { NameDialog } from './NameDialog';
import { TeamCard } from './TeamCard';

type Editing = { kind: 'add' } | { kind: 'rename'; team: TeamSummary } | { kind: 'delete'; team: TeamSummary } | null;

/** Teams with their members and service credentials: create, rename, delete, and who is in each. */
export function TeamsSection() {
  const permissions = useSession((s) => s.status?.member?.permissions);
  const roleOperations = useSession((s) => s.status?.member?.roleOperations);
  const editable = may(permissions, 'team.manage');
  const refreshStatus = useSession((s) => s.refresh);
  const [version, setVersion] = useState(0);
  const teams = useRequest('teams.list', {}, version);
  const members = useRequest('members.list', {}, version);
  const listed = useListedCredentials(may(roleOperations, 'credential.manage'), version);
  const [editing, setEditing] = useState<Editing>(null);

  const changed = () => {
    setVersion((v) => v + 1);
    void refreshStatus();
  };

  const list = teams.value;
  const credentialNames = credentialNamesOf(listed, list);

  return (
    <section className="panel" aria-labelledby="teams-title">
      <div className="panel-head panel-head-row">
        <div>
          <h2 id="teams-title">Teams</h2>
          <p>A team reads the organization secrets made available to it, and so do its service credentials.</p>
        </div>
        {editable && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: 'add' })}>
            <Plus size={16} aria-hidden />
            New team
          </button>
        )}
      </div>
      {teams.error && !list ? (
        <EmptyState icon={<ShieldAlert size={22} />} title="Teams could not be loaded">
          {teams.error}
        </EmptyState>
      ) : list === null ? (
        <SkeletonLines count={4} />
      ) : list.length === 0 ? (
        <EmptyState icon={<UsersRound size={22} />} title="No teams yet">
          {editable ? 'Create a team with New team, add its members, then register organization secrets for Chosen teams only.' : 'Nobody has made a team yet.'}
        </EmptyState>
      ) : (
        <>
          {teams.error && <ErrorNote message={teams.error} />}
          <ul className="team-list" aria-label="Teams">
            {list.map((t) => (
              <TeamCard
                key={t.id}
                team={t}
                teams={list}
                allMembers={members.value?.map((m) => m.name) ?? []}
                allCredentials={credentialNames}
                editable={editable}
                onChanged={changed}
                onRename={() => setEditing({ kind: 'rename', team: t })}
                onDelete={() => setEditing({ kind: 'delete', team: t })}
              />
            ))}
          </ul>
        </>
      )}
      {(editing?.kind === 'add' || editing?.kind === 'rename') && (
        <NameDialog
          title={editing.kind === 'add' ? 'New team' : `Rename team ${editing.team.name}`}
          label="Team name"
          initial={editing.kind === 'rename' ? editing.team.name : ''}
          submitLabel={editing.kind === 'add' ? 'Create team' : 'Rename'}
          schema={teamName}
          onClose={() => setEditing(null)}
          onSubmit={async (name) => {
            const r = editing.kind === 'add' ? await request('teams.add', { name }) : await request('teams.rename', { from: editing.team.name, to: name });
            if (!r.ok) return placedError(r.error, ['name']);
            toast.success(editing.kind === 'add' ? `Team ${name} created` : `Team renamed to ${name}`);
            setEditing(null);
            changed();
            return null;
          }}
        />
      )}
      {editing?.kind === 'delete' && (
        <ConfirmByTyping
          title={`Delete team ${editing.team.name}?`}
          word={editing.team.name}
          actionLabel="Delete team"
          onClose={() => setEditing(null)}
          onConfirm={async () => {
            const r = await request('teams.delete', { name: editing.team.name });
            if (!r.ok) return sentence(r.error.message);
            toast.success(`Team ${editing.team.name} deleted`);
            setEditing(null);
            changed();
            return null;
          }}
        >
          Its members and service credentials stop reading the secrets made available to it. Coffer refuses while the team is the only reader of a secret.
        </ConfirmByTyping>
      )}
    </section>
  );
}

/** Credential names from credentials.list, which only those who manage credentials may read: a credential in no team is only there. */
function useListedCredentials(allowed: boolean, version: number): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    void request('credentials.list', {}).then((r) => {
      if (live && r.ok) setNames(r.value.map((c) => c.name));
    });
    return () => {
      live = false;
    };
  }, [allowed, version]);
  return names;
}

/** Every credential's name: those listed, and those the teams name (all a team manager without credential.manage sees). */
function credentialNamesOf(listed: string[], teams: TeamSummary[] | null): string[] {
  const names = new Set(listed);
  for (const t of teams ?? []) for (const c of t.credentials) names.add(c);
  return [...names].sort((a, b) => a.localeCompare(b));
}
