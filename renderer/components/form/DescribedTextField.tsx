import type { InputHTMLAttributes } from 'react';
import type { FieldDescription } from '../../../shared/schemas/secret-types';
import { inputOf } from '../../../shared/schemas/secret-types';
import { Field, describedBy } from '../Field';
import { SecretInput } from './SecretInput';

interface DescribedTextFieldProps {
  field: FieldDescription;
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
  label?: string;
  optional?: boolean;
  hint?: string | undefined;
  /** Further attributes of a clear input (a URL's type and placeholder). */
  inputProps?: InputHTMLAttributes<HTMLInputElement>;
}

/** A typed field of a secret type: masked with Show/Hide when it is entered hidden, monospace like every value. */
export function DescribedTextField({ field, id, value, onChange, error, disabled, label = field.label, optional, hint, inputProps }: DescribedTextFieldProps) {
  const aria = describedBy(id, error, hint !== undefined);
  return (
    <Field id={id} label={label} optional={optional} hint={hint} error={error}>
      {inputOf(field) === 'hidden' ? (
        <SecretInput id={id} label={field.label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} {...aria} />
      ) : (
        <input
          id={id}
          className="input mono"
          {...inputProps}
          value={value}
          disabled={disabled}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
          {...aria}
        />
      )}
    </Field>
  );
}
