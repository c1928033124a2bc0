import { AlertCircle } from 'lucide-react';
import type { ReactNode } from 'react';

interface FieldProps {
  /** The id of the control this field labels. */
  id: string;
  label: string;
  optional?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}

/** Label, control, hint and the error in plain words right under the control (docs/ui.md). */
export function Field({ id, label, optional, hint, error, children }: FieldProps) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="optional">(optional)</span>}
      </label>
      {children}
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** Under a control: its hint, replaced by its error when there is one (ids match aria-describedby). */
export function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error: string | undefined }) {
  return (
    <>
      {hint && !error && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </>
  );
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="field-error" id={id} role="alert">
      <AlertCircle size={14} aria-hidden />
      <span>{error}</span>
    </p>
  );
}

/** aria props a control takes from its field: invalid state and the hint or error that describes it. */
export function describedBy(id: string, error: string | undefined, hint?: boolean): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  if (error) return { 'aria-invalid': true, 'aria-describedby': `${id}-error` };
  if (hint) return { 'aria-describedby': `${id}-hint` };
  return {};
}

/** A form's error that belongs to no single field, above the fields. */
export function FormError({ error }: { error: string | undefined | null }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error}
    </p>
  );
}
