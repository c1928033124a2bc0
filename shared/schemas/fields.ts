import { z } from 'zod';
import type { FieldDescription, FieldKind, FieldOf, SecretType } from './secret-types';
import { ALL_FIELDS, SECRET_TYPES, extensionError, typeFields, wrongExtension } from './secret-types';
import { CONTROL } from './text';

/** The validators of each kind of field, and each type's fields schema derived from its description. */

const KiB = 1024;
export const MAX_VALUE_BYTES = 64 * KiB;
export const MAX_FILE_BYTES = 1024 * KiB;

/** UTF-8 byte length without encoding: a bulk import checks 100,000 values. */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Two bytes from U+0080, three from U+0800; a surrogate pair is four bytes for two UTF-16 units.
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
/** At most three UTF-8 bytes per UTF-16 unit, so most values need no count at all. */
const fitsUtf8 = (s: string, maxBytes: number): boolean => s.length * 3 <= maxBytes || utf8Length(s) <= maxBytes;
/** RFC 9110 §5.6.2 token: the syntax of an HTTP field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const required = (label: string) => ({ error: `${label} is required` });

/** A value: non-empty, at most 64 KiB (larger sets are allowed for certificates and key/value). */
const secretValue = (label: string, maxBytes = MAX_VALUE_BYTES) =>
  z
    .string(required(label))
    .min(1, `${label} is required`)
    .refine((s) => fitsUtf8(s, maxBytes), `${label} must be at most ${maxBytes / KiB} KiB`);

const headerName = (label: string) =>
  z
    .string(required(label))
    .trim()
    .min(1, `${label} is required`)
    .max(256, `${label} must be at most 256 characters`)
    .regex(TOKEN, `${label} must be an HTTP field name (letters, digits and !#$%&'*+-.^_\`|~, no spaces)`);

const plainText = (label: string, max = 1024) =>
  z
    .string(required(label))
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${label} must not contain control characters`);

const httpUrl = (label: string) =>
  z
    .string(required(label))
    .trim()
    .min(1, `${label} is required`)
    .max(2048, `${label} must be at most 2048 characters`)
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
      } catch {
        return false;
      }
    }, `${label} must be an http:// or https:// address`);

const kvKey = z
  .string(required('Key'))
  .trim()
  .min(1, 'Key is required')
  .max(256, 'Key must be at most 256 characters')
  .refine((k) => !CONTROL.test(k) && !k.includes('='), 'Key must not contain "=" or control characters');

const kvPairs = (label: string) =>
  z
    .array(z.object({ key: kvKey, value: z.string(required('Value')) }), required(label))
    .min(1, 'At least one key/value pair is required')
    .superRefine((pairs, ctx) => {
      const seen = new Set<string>();
      pairs.forEach((p, i) => {
        if (seen.has(p.key)) ctx.addIssue({ code: 'custom', message: `Key "${p.key}" appears more than once`, path: [i, 'key'] });
        seen.add(p.key);
      });
      const total = pairs.reduce((n, p) => n + utf8Length(p.key) + utf8Length(p.value), 0);
      if (total > MAX_FILE_BYTES) ctx.addIssue({ code: 'custom', message: `${label} must be at most 1024 KiB in total` });
    });

/** A file as it crosses a door: its name (for the extension check) and its bytes in base64. */
export const fileInput = (label: string) =>
  z.object(
    {
      fileName: z.string().max(255),
      base64: z
        .string()
        .min(1, `${label} file is empty`)
        .max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4, `${label} file must be at most 1024 KiB`)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${label} file is not valid base64`),
    },
    required(label),
  );

const VALIDATORS = {
  'header-name': headerName,
  text: plainText,
  url: httpUrl,
  'secret-text': secretValue,
  file: fileInput,
  pairs: kvPairs,
} satisfies Record<FieldKind, (label: string) => z.ZodType>;

type Validator<F extends FieldDescription> = ReturnType<(typeof VALIDATORS)[F['kind']]>;
type RegisterShape<T extends SecretType> = {
  [F in FieldOf<T> as F['key']]: F['required'] extends true ? Validator<F> : z.ZodOptional<Validator<F>>;
};

function validator(field: FieldDescription): z.ZodType {
  const schema =
    field.kind === 'file' && field.extension
      ? fileInput(field.label).refine((f) => !wrongExtension(field, f.fileName), extensionError(field.label, field.extension))
      : VALIDATORS[field.kind](field.label);
  return field.required ? schema : schema.optional();
}

const shapeOf = (fields: readonly FieldDescription[], schema: (f: FieldDescription) => z.ZodType) =>
  Object.fromEntries(fields.map((f) => [f.key, schema(f)]));

/** What registration accepts for each type: exactly the fields its description lists. */
export const fieldSchemas = Object.fromEntries(SECRET_TYPES.map((t) => [t, z.object(shapeOf(typeFields(t), validator))])) as {
  [T in SecretType]: z.ZodObject<RegisterShape<T>, z.core.$strip>;
};

const pair = z.object({ key: z.string(), value: z.string() });
/** Beyond replacing all pairs, an edit may set some keys and remove others. */
const PAIR_EDITS = { setPairs: z.array(pair).optional(), removeKeys: z.array(z.string()).optional() };

type FileSchema = ReturnType<typeof fileInput>;
type EditSchema<F extends FieldDescription> = F['kind'] extends 'file'
  ? z.ZodOptional<F['required'] extends true ? FileSchema : z.ZodNullable<FileSchema>>
  : F['kind'] extends 'pairs'
    ? z.ZodOptional<z.ZodArray<typeof pair>>
    : z.ZodOptional<z.ZodString>;
type EditShape = { [F in FieldOf<SecretType> as F['key']]: EditSchema<F> } & typeof PAIR_EDITS;

/** An edit's fields are checked loosely here and as a whole after merging (core/secrets/content.ts). */
function editValidator(field: FieldDescription): z.ZodType {
  if (field.kind === 'pairs') return z.array(pair).optional();
  if (field.kind !== 'file') return z.string().optional();
  // An optional file is removed by giving null.
  return field.required ? fileInput(field.label).optional() : fileInput(field.label).nullable().optional();
}

/** Every field an edit may name, of any type; which apply to a secret is `editableKeys` of its type. */
export const editFields = z.object({ ...shapeOf(ALL_FIELDS, editValidator), ...PAIR_EDITS }) as z.ZodObject<EditShape, z.core.$strip>;
export type EditFields = z.output<typeof editFields>;

/** The keys an edit of a secret of this type may name. */
export function editableKeys(type: SecretType): readonly string[] {
  return typeFields(type).flatMap((f) => (f.kind === 'pairs' ? [f.key, ...Object.keys(PAIR_EDITS)] : [f.key]));
}
