import { LoaderCircle } from 'lucide-react';
import type { ReactNode } from 'react';
import { FieldNotes } from '../Field';

interface FileFieldProps {
  id: string;
  label: string;
  optional?: boolean;
  accept?: string;
  hint?: ReactNode;
  error?: string | undefined;
  busy?: boolean;
  disabled?: boolean;
  onFile: (file: File | null) => void;
  testId?: string;
}

/** A labelled file input; the chosen file's name shows beside it, errors under it. */
export function FileField({ id, label, optional, accept, hint, error, busy, disabled, onFile, testId }: FileFieldProps) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="optional">(optional)</span>}
      </label>
      <div className="file-input">
        <input
          id={id}
          type="file"
          accept={accept}
          data-testid={testId}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        />
        {busy && (
          <span className="muted progress-line">
            <LoaderCircle size={14} className="spin" aria-hidden /> Reading…
          </span>
        )}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
