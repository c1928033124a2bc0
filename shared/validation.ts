import type { z } from 'zod';
import { CofferError } from './errors';

/** The dotted path of a zod issue, e.g. `pairs.2.key`; `fields.` is dropped because doors name fields flat. */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  const parts = path.map(String);
  if (parts[0] === 'fields') parts.shift();
  return parts.length ? parts.join('.') : undefined;
}

/** Parses with a shared schema; the first problem becomes a VALIDATION error naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new CofferError('VALIDATION', issue.message, fieldPath(issue.path));
}
