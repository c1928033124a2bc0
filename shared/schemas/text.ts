import { z } from 'zod';

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A name people type: trimmed, NFC-normalized, 1–max characters, no control characters. */
export const displayName = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .transform((s) => s.trim().normalize('NFC'))
    .pipe(
      z
        .string()
        .min(1, `${what} is required`)
        .max(max, `${what} must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), `${what} must not contain control characters`),
    );
