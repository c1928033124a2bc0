import { useSession } from '../../state/session';

/** The vault's teams as checkboxes, each chosen on its own (a credential's teams). */
export function TeamChecks({ chosen, onChange, disabled, legend }: { chosen: string[]; onChange: (teams: string[]) => void; disabled: boolean; legend: string }) {
  const teams = useSession((s) => s.status?.teams ?? []);
  if (teams.length === 0) return <p className="muted">There are no teams yet: create them on the Teams screen. A credential without teams reads nothing.</p>;
  return (
    <fieldset>
      <legend className="field-label">{legend}</legend>
      <div className="checkbox-list">
        {teams.map((t) => (
          <label key={t.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(t.name)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? [...chosen, t.name] : chosen.filter((n) => n !== t.name))}
            />
            <span className="truncate">{t.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
