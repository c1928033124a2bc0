import { useState } from 'react';
import type { z } from 'zod';
import type { SecretDetail } from '../../../../shared/schemas/secrets';
import type { FieldDescription } from '../../../../shared/schemas/secret-types';
import { fieldSchemas } from '../../../../shared/schemas/secrets';
import { inputOf, typeFields } from '../../../../shared/schemas/secret-types';
import { DescribedTextField } from '../../../components/form/DescribedTextField';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import type { EditedFields, TypeEdit } from './TypeEdit';

/** Checks one typed field with the same schema registration uses. */
function check(type: SecretDetail['type'], key: string, value: string): string | undefined {
  const shape: Record<string, z.ZodType> = fieldSchemas[type].shape;
  const r = shape[key]?.safeParse(value);
  return r && !r.success ? r.error.issues[0]?.message : undefined;
}

/**
 * The typed fields of the secret's type: clear ones start from their current value; a hidden one
 * starts empty and replaces the value only when something is typed.
 */
export function useEditTextFields(detail: SecretDetail, { errors, clearError }: FieldErrorsState): TypeEdit {
  const fields = typeFields(detail.type).filter((f) => inputOf(f) === 'typed' || inputOf(f) === 'hidden');
  const hidden = (f: FieldDescription) => inputOf(f) === 'hidden';
  const current = (key: string) => detail.fields.find((f) => f.key === key)?.value ?? '';
  const [text, setText] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, hidden(f) ? '' : current(f.key)])));

  return {
    changes(errs) {
      const changed: Record<string, string> = {};
      for (const f of fields) {
        const v = text[f.key] ?? '';
        if (hidden(f) ? v === '' : v.trim() === current(f.key)) continue;
        const msg = check(detail.type, f.key, v);
        if (msg) errs[f.key] = msg;
        changed[f.key] = v;
      }
      return changed as EditedFields;
    },
    shown: fields.map((f) => f.key),
    render: (busy) =>
      fields.map((f) => (
        <DescribedTextField
          key={f.key}
          field={f}
          id={`edit-${f.key}`}
          label={hidden(f) ? `New ${f.label}` : f.label}
          optional={hidden(f)}
          hint={hidden(f) ? 'Leave empty to keep the current value' : undefined}
          value={text[f.key] ?? ''}
          onChange={(v) => {
            setText((t) => ({ ...t, [f.key]: v }));
            clearError(f.key);
          }}
          error={errors[f.key]}
          disabled={busy}
        />
      )),
  };
}
