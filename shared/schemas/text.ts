import { z } from 'zod';

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Characters that change how a name looks without being seen: bidi embeddings, overrides, isolates
 * and marks (a name can display backwards, "gpj.exe" as "exe.jpg"), zero-width characters and
 * joiners, invisible operators, the line and paragraph separators, the byte-order mark, Hangul
 * fillers and the soft hyphen. Two names that print alike would name two secrets.
 */
export const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A name people type: trimmed, NFC-normalized, 1–max characters, no control or invisible characters. */
export const displayName = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .transform((s) => s.trim().normalize('NFC'))
    .pipe(
      z
        .string()
        .min(1, `${what} is required`)
        .max(max, `${what} must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), `${what} must not contain control characters`)
        .superRefine((s, ctx) => {
          const found = INVISIBLE.exec(s);
          if (found) ctx.addIssue({ code: 'custom', message: `${what} must not contain invisible or text-direction characters (${codePoint(found[0])})` });
        }),
    );
