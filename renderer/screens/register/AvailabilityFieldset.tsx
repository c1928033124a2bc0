import { FieldError } from '../../components/Field';
import { may, useNav } from '../../state/nav';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';

export type Availability = 'entire' | 'teams';

interface AvailabilityFieldsetProps {
  availability: Availability;
  onAvailability: (availability: Availability) => void;
  teams: string[];
  onTeam: (team: string, chosen: boolean) => void;
  error: string | undefined;
  busy: boolean;
}

/** An organization secret is readable by the entire organization, or by the teams chosen. */
export function AvailabilityFieldset({ availability, onAvailability, teams, onTeam, error, busy }: AvailabilityFieldsetProps) {
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
      {teamsAvailable.length === 0 && <NoTeams mayManage={mayManageTeams} />}
      {availability === 'teams' && teamsAvailable.length > 0 && (
        <fieldset className="teams-pick" aria-describedby={error ? 'reg-teams-error' : undefined}>
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
          <FieldError id="reg-teams-error" error={error} />
        </fieldset>
      )}
    </fieldset>
  );
}

/** No team to choose: say so, and lead whoever may create teams to the Teams screen (the dialog closes on the way). */
function NoTeams({ mayManage }: { mayManage: boolean }) {
  const go = useNav((s) => s.go);
  const setRegisterOpen = useUi((s) => s.setRegisterOpen);
  return (
    <p className="field-hint">
      There are no teams yet.{' '}
      {mayManage ? (
        <button
          type="button"
          className="link-btn"
          onClick={() => {
            setRegisterOpen(false);
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
