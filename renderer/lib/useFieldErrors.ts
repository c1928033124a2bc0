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

  /** An onChange that sets a field's value and drops its error. */
  const changing =
    <T,>(key: string, set: (value: T) => void) =>
    (value: T) => {
      set(value);
      clearError(key);
    };

  const show = (next: FieldErrors) => {
    setErrors(next);
    setShown((n) => n + 1);
  };

  return { errors, setErrors, clearError, changing, show, bodyRef };
}

export type FieldErrorsState = ReturnType<typeof useFieldErrors>;
