import { useEffect, useRef, useState } from 'react';
import type { FieldErrors } from './errors';

/** A form's errors by field; `show` also moves focus to the first invalid control inside `bodyRef`. */
export function useFieldErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [shown, setShown] = useState(0);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (shown) bodyRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);

  /** A control being changed drops its error, and the form's own error with it. */
  const clearError = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e) && !('_form' in e)) return e;
      const next = { ...e };
      for (const k of keys) delete next[k];
      delete next._form;
      return next;
    });

  const show = (next: FieldErrors) => {
    setErrors(next);
    setShown((n) => n + 1);
  };

  return { errors, setErrors, clearError, show, bodyRef };
}

export type FieldErrorsState = ReturnType<typeof useFieldErrors>;
