import { KeyRound, LoaderCircle, Plus, User, X } from 'lucide-react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { TeamSummary } from '../../../shared/schemas/vault';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';

interface TeamCardProps {
  team: TeamSummary;
  /** Every team: a credential's full new team list is computed from them. */
  teams: TeamSummary[];
  allMembers: string[];
  allCredentials: string[];
  /** The member may change teams now (the role manages them, and the vault is not read-only): else no control shows. */
  editable: boolean;
  onChanged: () => void;
  onRename: () => void;
  onDelete: () => void;
}

/** One team: its members and service credentials, each removable, and a picker to add more. */
export function TeamCard({ team, teams, allMembers, allCredentials, editable, onChanged, onRename, onDelete }: TeamCardProps) {
  // The credential's teams as the roster has them, with this one added or taken away (credentials.setTeams takes the full list).
  const teamsOf = (credential: string, add: boolean) =>
    teams.filter((t) => (t.id === team.id ? add : t.credentials.includes(credential))).map((t) => t.name);

  const run = async (call: () => ReturnType<typeof request>, done: string) => {
    const r = await call();
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return;
    }
    toast.success(done);
    onChanged();
  };

  return (
    <li className="team-card" data-testid="team-card" aria-labelledby={`team-${team.id}`}>
      <div className="team-head">
        <h3 id={`team-${team.id}`} className="truncate" title={team.name}>
          {team.name}
        </h3>
        <span className="muted">
          {team.members.length} {team.members.length === 1 ? 'member' : 'members'} · {team.credentials.length}{' '}
          {team.credentials.length === 1 ? 'credential' : 'credentials'}
        </span>
        {editable && (
          <span className="row-actions">
            <button type="button" className="btn btn-sm" onClick={onRename} aria-label={`Rename team ${team.name}`}>
              Rename
            </button>
            <button type="button" className="btn btn-sm btn-danger-outline" onClick={onDelete} aria-label={`Delete team ${team.name}`}>
              Delete
            </button>
          </span>
        )}
      </div>
      <div className="team-body">
        <Roster
          title="Members"
          icon={<User size={14} aria-hidden />}
          team={team.name}
          names={team.members}
          candidates={allMembers.filter((m) => !team.members.includes(m))}
          empty="No members yet: add the people who should read this team’s secrets."
          none="Every member is in this team."
          editable={editable}
          onAdd={(member) => run(() => request('teams.addMember', { team: team.name, member }), `${member} added to ${team.name}`)}
          onRemove={(member) => run(() => request('teams.removeMember', { team: team.name, member }), `${member} removed from ${team.name}`)}
        />
        <Roster
          title="Service credentials"
          icon={<KeyRound size={14} aria-hidden />}
          team={team.name}
          names={team.credentials}
          candidates={allCredentials.filter((c) => !team.credentials.includes(c))}
          empty="No service credentials: a pipeline reads this team’s secrets through one."
          none={allCredentials.length === 0 ? 'Create one under Service credentials, then add it here.' : 'Every service credential is in this team.'}
          editable={editable}
          onAdd={(name) => run(() => request('credentials.setTeams', { name, teams: teamsOf(name, true) }), `${name} now reads ${team.name}`)}
          onRemove={(name) => run(() => request('credentials.setTeams', { name, teams: teamsOf(name, false) }), `${name} no longer reads ${team.name}`)}
        />
      </div>
    </li>
  );
}

interface RosterProps {
  title: string;
  icon: ReactNode;
  team: string;
  names: string[];
  candidates: string[];
  empty: string;
  /** Said beside the list when nobody is left to add. */
  none: string;
  editable: boolean;
  onAdd: (name: string) => Promise<void>;
  onRemove: (name: string) => Promise<void>;
}

function Roster({ title, icon, team, names, candidates, empty, none, editable, onAdd, onRemove }: RosterProps) {
  const [pick, setPick] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const selectId = `add-${title}-${team}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const chosen = candidates.includes(pick) ? pick : '';

  const act = async (name: string, fn: (n: string) => Promise<void>) => {
    setBusy(name);
    await fn(name);
    setBusy(null);
  };

  return (
    <div className="team-roster">
      <h4 className="section-title">{title}</h4>
      {names.length === 0 ? (
        <p className="muted team-empty">
          {empty}
          {editable && candidates.length === 0 && ` ${none}`}
        </p>
      ) : (
        <ul className="pill-list" aria-label={`${title} of ${team}`}>
          {names.map((n) => (
            <li key={n} className="pill">
              {icon}
              <span className="truncate mono" title={n}>
                {n}
              </span>
              {editable && (
                <button
                  type="button"
                  className="pill-remove"
                  disabled={busy !== null}
                  onClick={() => void act(n, onRemove)}
                  aria-label={`Remove ${n} from ${team}`}
                  title={`Remove ${n} from ${team}`}
                >
                  {busy === n ? <LoaderCircle size={12} className="spin" aria-hidden /> : <X size={12} aria-hidden />}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!editable ? null : candidates.length === 0 ? (
        names.length > 0 && <p className="field-hint">{none}</p>
      ) : (
        <div className="team-add">
          <label className="visually-hidden" htmlFor={selectId}>
            {`Choose ${title.toLowerCase()} to add to ${team}`}
          </label>
          <select id={selectId} className="select select-sm" value={chosen} disabled={busy !== null} onChange={(e) => setPick(e.target.value)}>
            <option value="">Choose…</option>
            {candidates.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-sm"
            disabled={!chosen || busy !== null}
            onClick={() => void act(chosen, onAdd).then(() => setPick(''))}
            aria-label={`Add ${title.toLowerCase()} to ${team}`}
          >
            <Plus size={14} aria-hidden />
            Add
          </button>
        </div>
      )}
    </div>
  );
}
