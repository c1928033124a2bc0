import { FieldError } from '../../components/Field';
import { may, useNav } from '../../state/nav';
import { useSession } from '../../state/session';

export type Availability = 'entire' | 'teams';

interface AvailabilityFieldsetProps {
  availability: Availability;
  onAvailability: (availability: Availability) => void;
  teams: string[];
  onTeam: (team: string, chosen: boolean) => void;
  error: string | undefined;
  busy: boolean;
  /** The id of the teams' error line (register and edit dialogs each have their own). */
  errorId: string;
  /** Closes the dialog before the "no teams yet" link leads to the Teams screen. */
  onLeave: () => void;
}

/** An organization secret is readable by the entire organization, or by the teams chosen (registering and editing it). */
export function AvailabilityFieldset({ availability, onAvailability, teams, onTeam, error, busy, errorId, onLeave }: AvailabilityFieldsetProps) {
  const teamsAvailable = useSession((s) => s.status?.teams ?? []);
  const mayManageTeams = useSession((s) => may(s.status?.member?.permissions, 'team.manage'));
  return (
    <fieldset>
      <legend className="field-label">Availability</legend>
      <div className="choice-row">
        <label className="radio-card">
          <input type="radio" name="availability" checked={availability === 'entire'} onChange={() => onAvailability('entire')} disabled={busy} />
          Entire organization
        </label>
        <label className="radio-card">
          <input
            type="radio"
            name="availability"
            checked={availability === 'teams'}
            onChange={() => onAvailability('teams')}
            disabled={busy || teamsAvailable.length === 0}
          />
          Chosen teams
        </label>
      </div>
      {teamsAvailable.length === 0 && <NoTeams mayManage={mayManageTeams} onLeave={onLeave} />}
      {availability === 'teams' && teamsAvailable.length > 0 && (
        <fieldset className="teams-pick" aria-describedby={error ? errorId : undefined}>
          <legend className="visually-hidden">Teams that can read it</legend>
          <div className="checkbox-list">
            {teamsAvailable.map((t) => (
              <label key={t.id} className="check">
                <input
                  type="checkbox"
                  checked={teams.includes(t.name)}
                  disabled={busy}
                  aria-invalid={error ? true : undefined}
                  onChange={(e) => onTeam(t.name, e.target.checked)}
                />
                {t.name}
              </label>
            ))}
          </div>
          <FieldError id={errorId} error={error} />
        </fieldset>
      )}
    </fieldset>
  );
}

/** No team to choose: say so, and lead whoever may create teams to the Teams screen (the dialog closes on the way). */
function NoTeams({ mayManage, onLeave }: { mayManage: boolean; onLeave: () => void }) {
  const go = useNav((s) => s.go);
  return (
    <p className="field-hint">
      There are no teams yet.{' '}
      {mayManage ? (
        <button
          type="button"
          className="link-btn"
          onClick={() => {
            onLeave();
            go({ kind: 'teams' });
          }}
        >
          Create a team on the Teams screen
        </button>
      ) : (
        'Ask someone who manages teams to create one.'
      )}
    </p>
  );
}
