import type { z } from 'zod';
import { CofferError } from './errors';

/** A file crosses a door as `{ fileName, base64 }`; a problem with either part is a problem with the file field. */
const FILE_PARTS = new Set(['fileName', 'base64']);

/** The dotted path of a zod issue, e.g. `pairs.2.key`; `fields.` is dropped because doors name fields flat. */
export function fieldPath(path: readonly PropertyKey[]): string | undefined {
  const parts = path.map(String);
  if (parts[0] === 'fields') parts.shift();
  if (parts.length > 1 && FILE_PARTS.has(parts[parts.length - 1]!)) parts.pop();
  return parts.length ? parts.join('.') : undefined;
}

/**
 * Parses with a shared schema; the first problem becomes a VALIDATION error naming its field.
 * `field` names a bare value (a login, a password) whose schema has no path of its own.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, field?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // An unknown key is reported on its parent object; the key itself is the field at fault.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  throw new CofferError('VALIDATION', issue.message, fieldPath(path) ?? field);
}
