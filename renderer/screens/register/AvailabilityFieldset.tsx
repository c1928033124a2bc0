import { FieldError } from '../../components/Field';
import { useSession } from '../../state/session';

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
          Teams
        </label>
      </div>
      {teamsAvailable.length === 0 && (
        <p className="field-hint">
          No teams yet: create them with <code>coffer team add</code>.
        </p>
      )}
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
