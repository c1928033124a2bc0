import type { RoleSummary } from '../../../shared/schemas/roles';
import { Field, describedBy } from '../../components/Field';

interface RoleFieldProps {
  id: string;
  roles: RoleSummary[];
  value: string;
  error: string | undefined;
  busy: boolean;
  onChange: (role: string) => void;
}

/** The role of a member being added or changed: the roles this member may give (offeredRoles). */
export function RoleField({ id, roles, value, error, busy, onChange }: RoleFieldProps) {
  return (
    <Field id={id} label="Role" error={error}>
      <select id={id} className="select" value={value} disabled={busy} onChange={(e) => onChange(e.target.value)} {...describedBy(id, error)}>
        {roles.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
