import { FIELD_LABELS } from '../../../shared/schemas/secrets';
import { Field, describedBy } from '../Field';

interface NameFieldProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
  maxLength?: number;
}

/** A secret's name, as registration and edit ask for it. */
export function NameField({ id, value, onChange, error, disabled, maxLength }: NameFieldProps) {
  return (
    <Field id={id} label={FIELD_LABELS.name!} error={error}>
      <input
        id={id}
        className="input"
        value={value}
        disabled={disabled}
        maxLength={maxLength}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(id, error)}
      />
    </Field>
  );
}
