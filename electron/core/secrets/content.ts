import type { z } from 'zod';
import { CofferError } from '../../../shared/errors';
import type { Pair } from '../../../shared/dotenv';
import type { EditFields } from '../../../shared/schemas/fields';
import { editableKeys } from '../../../shared/schemas/fields';
import type { FieldView, SecretType } from '../../../shared/schemas/secrets';
import { FIELD_LABELS, fieldSchemas } from '../../../shared/schemas/secrets';
import { SECRET_TYPES, SECRET_TYPE_DESCRIPTIONS, typeFields } from '../../../shared/schemas/secret-types';
import { parseInput } from '../../../shared/validation';
import type { CertificateContent, FileInput } from './certificate';
import { fileBytes, readCertificate, storedKeyMatches } from './certificate';
import type { CertificateReader } from './certificates-ahead';

/** A type's fields as registration checked them; a certificate keeps instead what was read from its files. */
type FieldsContent = { [T in Exclude<SecretType, 'certificate'>]: { type: T } & z.output<(typeof fieldSchemas)[T]> }[Exclude<SecretType, 'certificate'>];

/** What one revision holds, encrypted: the name and every field, never in clear anywhere else. */
export type Content = FieldsContent | CertificateContent;

export interface Payload {
  v: 1;
  name: string;
  expires: number | null;
  content: Content;
  /** Fields this revision changed, for history without decrypting two revisions per row. */
  changed: string[];
  /**
   * The revision a restore brought back (docs/product.md §2): sealed and signed with the rest, so
   * History can say "Restored from revision N". Absent on every other revision, and on restores
   * written before it existed; readers that do not know it ignore it, so no migration is needed.
   */
  restoredFrom?: number;
}

/** Builds content from fields already checked by the shared schema of their type. */
export function contentFromFields(type: SecretType, fields: Record<string, unknown>, read: CertificateReader = readCertificate): Content {
  if (type !== 'certificate') return { type, ...fields } as Content;
  const f = fields as { certificate: FileInput; privateKey?: FileInput };
  return read(fileBytes(f.certificate), f.privateKey ? fileBytes(f.privateKey) : null);
}

export type FieldsPatch = EditFields;

function applyPairs(current: Pair[], patch: FieldsPatch): Pair[] {
  // A full replacement is checked as given: the map below would silently drop a repeated key.
  const base = patch.pairs ? parseInput(fieldSchemas['key-value'], { pairs: patch.pairs }).pairs : current;
  const pairs = new Map(base.map((p) => [p.key, p.value] as const));
  for (const p of patch.setPairs ?? []) pairs.set(p.key.trim(), p.value);
  for (const k of patch.removeKeys ?? []) {
    if (!pairs.delete(k)) throw new CofferError('VALIDATION', `there is no key "${k}" to remove`, 'pairs');
  }
  return [...pairs].map(([key, value]) => ({ key, value }));
}

function patchCertificate(current: CertificateContent, patch: FieldsPatch): Content {
  if (patch.certificate) {
    const next = readCertificate(fileBytes(patch.certificate), patch.privateKey ? fileBytes(patch.privateKey) : null);
    if (patch.privateKey === undefined && current.privateKey) {
      if (!storedKeyMatches(next.certificate, current.privateKey)) {
        throw new CofferError('VALIDATION', 'the stored private key does not match the new certificate: give its key too, or remove the key', 'privateKey');
      }
      next.privateKey = current.privateKey;
    }
    return next;
  }
  if (patch.privateKey === null) return { ...current, privateKey: null };
  if (patch.privateKey) {
    const withKey = readCertificate({ fileName: 'certificate.pem', bytes: Buffer.from(current.certificate) }, fileBytes(patch.privateKey));
    return { ...current, privateKey: withKey.privateKey };
  }
  return current;
}

/** Applies an edit and validates the merged fields as a whole with the same schema as registration. */
export function applyPatch(current: Content, patch: FieldsPatch): Content {
  const given = (Object.keys(patch) as (keyof FieldsPatch)[]).filter((k) => patch[k] !== undefined);
  for (const k of given) {
    if (!editableKeys(current.type).includes(k)) {
      const label = FIELD_LABELS[k] ?? k;
      throw new CofferError('VALIDATION', `${label} does not apply to this secret's type`, k);
    }
  }
  if (current.type === 'certificate') return patchCertificate(current, patch);
  if (current.type === 'key-value') {
    return { type: 'key-value', pairs: parseInput(fieldSchemas['key-value'], { pairs: applyPairs(current.pairs, patch) }).pairs };
  }
  const { type, ...fields } = current;
  const merged = { ...fields, ...Object.fromEntries(given.map((k) => [k, patch[k]])) };
  return { type, ...parseInput(fieldSchemas[type], merged) } as Content;
}

/** Field keys whose values differ between two contents (names only, never values). */
export function changedFields(before: Content, after: Content): string[] {
  if (before.type === 'key-value' && after.type === 'key-value') {
    const a = new Map(before.pairs.map((p) => [p.key, p.value]));
    const b = new Map(after.pairs.map((p) => [p.key, p.value]));
    const keys = new Set([...a.keys(), ...b.keys()]);
    return [...keys].filter((k) => a.get(k) !== b.get(k)).map((k) => `pairs.${k}`);
  }
  // Only the described fields: a certificate's other facts are read from it, so report what was uploaded.
  const rec = (c: Content) => c as unknown as Record<string, unknown>;
  return typeFields(before.type)
    .map((f) => f.key)
    .filter((k) => JSON.stringify(rec(before)[k]) !== JSON.stringify(rec(after)[k]));
}

/** The field `secret get` prints when none is named. */
export const DEFAULT_FIELD = Object.fromEntries(SECRET_TYPES.map((t) => [t, SECRET_TYPE_DESCRIPTIONS[t].main])) as Record<SecretType, string | null>;

const isoTime = (ms: number) => new Date(ms).toISOString();

const view = (key: string, label: string, value: string, secret: boolean): FieldView => ({ key, label, value, secret });

/** What a certificate says of itself, shown before the files it was read from. */
const certificateFacts = (c: CertificateContent): FieldView[] => [
  view('subject', 'Subject', c.subject, false),
  view('issuer', 'Issuer', c.issuer, false),
  view('serialNumber', 'Serial number', c.serialNumber, false),
  view('fingerprint256', 'SHA-256 fingerprint', c.fingerprint256, false),
  { ...view('notBefore', 'Valid from', isoTime(c.notBefore), false), date: true },
  { ...view('notAfter', 'Valid until', isoTime(c.notAfter), false), date: true },
];

const PAIRS = SECRET_TYPE_DESCRIPTIONS['key-value'].fields[0];

/** Every field of a content in display order; secret ones flagged so doors can mask them. */
export function fieldViews(c: Content): FieldView[] {
  if (c.type === 'key-value') return c.pairs.map((p) => view(p.key, p.key, p.value, PAIRS.secret));
  const rec = c as unknown as Record<string, string | null>;
  // An optional field not given (a certificate without its key) is not shown.
  const described = typeFields(c.type).flatMap((f) => (rec[f.key] == null ? [] : [view(f.key, f.label, rec[f.key]!, f.secret)]));
  return c.type === 'certificate' ? [...certificateFacts(c), ...described] : described;
}

export function masked(views: FieldView[]): FieldView[] {
  return views.map((v) => (v.secret ? { ...v, value: null } : v));
}
