import type { ReactNode } from 'react';
import type { FieldErrors } from '../../../lib/errors';

/** One type's part of the register form: its controls, and the `fields` of the input they make. */
export interface TypeDraft {
  /** The `fields` of the register input, as entered so far. */
  fields(): Record<string, unknown>;
  /** An error's key as the form shows it (a sent pair's index becomes its row's). */
  errorKey(key: string): string;
  /** Errors the form found before submitting (a certificate the core could not read), kept on submit. */
  keptErrors(): FieldErrors;
  /** A file is still being read: submitting waits for it. */
  reading: boolean;
  /** The error keys shown beside its controls; any other shows above the form. */
  shown: readonly string[];
  render(busy: boolean): ReactNode;
}
