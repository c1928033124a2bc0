import { FIELD_LABELS } from '../../../shared/schemas/secrets';
import { Field, describedBy } from '../Field';

interface ExpiresFieldProps {
  id: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
}

/** The Expiration Date a person chooses (a certificate's is read from it instead). */
export function ExpiresField({ id, hint, value, onChange, error, disabled }: ExpiresFieldProps) {
  return (
    <Field id={id} label={FIELD_LABELS.expires!} optional hint={hint} error={error}>
      <input
        id={id}
        className="input input-date"
        type="date"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(id, error, true)}
      />
    </Field>
  );
}
