import type { z } from 'zod';
import { fieldPath } from '../../shared/validation';

export type FieldErrors = Record<string, string>;

/** The first message per field of a failed safeParse, keyed as the doors name fields (`pairs.2.key`). */
export function issuesToErrors(error: z.ZodError, fallbackField = '_form'): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const key = fieldPath(path) ?? fallbackField;
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Core messages start lower-case ("a secret named … already exists"); the face shows sentences. */
export function sentence(message: string): string {
  return message ? message[0]!.toUpperCase() + message.slice(1) : message;
}

/** The error shown above the fields: the form's own, or that of a field the form does not show (e.g. `workspace`). */
export function unplacedError(errors: FieldErrors, shown: ReadonlySet<string>): string | undefined {
  return errors._form ?? Object.entries(errors).find(([k]) => !shown.has(k) && !k.startsWith('pairs.'))?.[1];
}

/** A core error keyed for a form: under its field when the form shows that field, above the fields otherwise. */
export function placedError(error: { message: string; field?: string | undefined }, shown: readonly string[]): FieldErrors {
  const key = error.field && shown.includes(error.field) ? error.field : '_form';
  return { [key]: sentence(error.message) };
}
