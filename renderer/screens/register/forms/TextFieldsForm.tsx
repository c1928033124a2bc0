import type { InputHTMLAttributes } from 'react';
import { useState } from 'react';
import type { FieldKind, SecretType } from '../../../../shared/schemas/secret-types';
import { typeFields } from '../../../../shared/schemas/secret-types';
import { DescribedTextField } from '../../../components/form/DescribedTextField';
import type { FieldErrors } from '../../../lib/errors';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import type { TypeDraft } from './TypeDraft';

/** What a clear input of each kind adds: a URL keyboard, no capitals forced on a header name. */
const KIND_PROPS: Partial<Record<FieldKind, InputHTMLAttributes<HTMLInputElement>>> = {
  'header-name': { autoCapitalize: 'off' },
  url: { type: 'url' },
};

interface TextFieldsFormProps {
  type: SecretType;
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
  errors: FieldErrors;
  busy: boolean;
}

/** The fields of a type that are all typed (API key, bearer token, client credentials), as its description lists them. */
export function TextFieldsForm({ type, values, onChange, errors, busy }: TextFieldsFormProps) {
  return (
    <>
      {typeFields(type).map((f) => (
        <DescribedTextField
          key={f.key}
          field={f}
          id={`reg-${f.key}`}
          value={values[f.key] ?? ''}
          onChange={(v) => onChange(f.key, v)}
          error={errors[f.key]}
          disabled={busy}
          hint={f.hint}
          inputProps={{ ...KIND_PROPS[f.kind], placeholder: f.placeholder }}
        />
      ))}
    </>
  );
}

/** Typed values by field key, shared by the types: a Header Name typed for an API key stays for a bearer token. */
export function useTextFields({ errors, clearError }: FieldErrorsState): (type: SecretType) => TypeDraft {
  const [values, setValues] = useState<Record<string, string>>({});
  const onChange = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    clearError(key);
  };
  return (type) => ({
    fields: () => Object.fromEntries(typeFields(type).map((f) => [f.key, values[f.key] ?? ''])),
    errorKey: (key) => key,
    keptErrors: () => ({}),
    reading: false,
    shown: typeFields(type).map((f) => f.key),
    render: (busy) => <TextFieldsForm type={type} values={values} onChange={onChange} errors={errors} busy={busy} />,
  });
}
