import { CofferError } from '../../../shared/errors';
import type { Pair } from '../../../shared/dotenv';
import type { FieldView, SecretType } from '../../../shared/schemas/secrets';
import { FIELD_LABELS, fieldSchemas } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import type { CertificateContent, FileInput } from './certificate';
import { fileBytes, readCertificate, storedKeyMatches } from './certificate';
import type { CertificateReader } from './certificates-ahead';

/** What one revision holds, encrypted: the name and every field, never in clear anywhere else. */
export type Content =
  | { type: 'api-key'; headerName: string; value: string }
  | { type: 'bearer-token'; headerName: string; headerValue: string }
  | { type: 'client-credentials'; clientId: string; url: string; clientSecret: string }
  | CertificateContent
  | { type: 'key-value'; pairs: Pair[] };

export interface Payload {
  v: 1;
  name: string;
  expires: number | null;
  content: Content;
  /** Fields this revision changed, for history without decrypting two revisions per row. */
  changed: string[];
}

/** Builds content from fields already checked by the shared schema of their type. */
export function contentFromFields(type: SecretType, fields: Record<string, unknown>, read: CertificateReader = readCertificate): Content {
  switch (type) {
    case 'api-key':
    case 'bearer-token':
    case 'client-credentials':
      return { type, ...(fields as object) } as Content;
    case 'certificate': {
      const f = fields as { certificate: FileInput; privateKey?: FileInput };
      return read(fileBytes(f.certificate), f.privateKey ? fileBytes(f.privateKey) : null);
    }
    case 'key-value':
      return { type, pairs: (fields as { pairs: Pair[] }).pairs };
  }
}

export interface FieldsPatch {
  headerName?: string;
  value?: string;
  headerValue?: string;
  clientId?: string;
  url?: string;
  clientSecret?: string;
  certificate?: FileInput;
  privateKey?: FileInput | null;
  pairs?: Pair[];
  setPairs?: Pair[];
  removeKeys?: string[];
}

const EDITABLE: Record<SecretType, readonly (keyof FieldsPatch)[]> = {
  'api-key': ['headerName', 'value'],
  'bearer-token': ['headerName', 'headerValue'],
  'client-credentials': ['clientId', 'url', 'clientSecret'],
  certificate: ['certificate', 'privateKey'],
  'key-value': ['pairs', 'setPairs', 'removeKeys'],
};

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
    if (!EDITABLE[current.type].includes(k)) {
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
  // A certificate's other fields are read from it: report what was uploaded.
  const keys = before.type === 'certificate' ? ['certificate', 'privateKey'] : new Set([...Object.keys(before), ...Object.keys(after)]);
  const rec = (c: Content) => c as unknown as Record<string, unknown>;
  return [...keys].filter((k) => k !== 'type' && JSON.stringify(rec(before)[k]) !== JSON.stringify(rec(after)[k]));
}

/** The field `secret get` prints when none is named. */
export const DEFAULT_FIELD: Record<SecretType, string | null> = {
  'api-key': 'value',
  'bearer-token': 'headerValue',
  'client-credentials': 'clientSecret',
  certificate: 'certificate',
  'key-value': null,
};

const isoDay = (ms: number) => new Date(ms).toISOString();

/** Every field of a content in display order; secret ones flagged so doors can mask them. */
export function fieldViews(c: Content): FieldView[] {
  const f = (key: string, value: string, secret: boolean, label = FIELD_LABELS[key] ?? key): FieldView => ({ key, label, value, secret });
  switch (c.type) {
    case 'api-key':
      return [f('headerName', c.headerName, false), f('value', c.value, true)];
    case 'bearer-token':
      return [f('headerName', c.headerName, false), f('headerValue', c.headerValue, true)];
    case 'client-credentials':
      return [f('clientId', c.clientId, false), f('url', c.url, false), f('clientSecret', c.clientSecret, true)];
    case 'certificate':
      return [
        f('subject', c.subject, false, 'Subject'),
        f('issuer', c.issuer, false, 'Issuer'),
        f('serialNumber', c.serialNumber, false, 'Serial number'),
        f('fingerprint256', c.fingerprint256, false, 'SHA-256 fingerprint'),
        f('notBefore', isoDay(c.notBefore), false, 'Valid from'),
        f('notAfter', isoDay(c.notAfter), false, 'Valid until'),
        f('certificate', c.certificate, false),
        ...(c.privateKey ? [f('privateKey', c.privateKey, true)] : []),
      ];
    case 'key-value':
      return c.pairs.map((p) => f(p.key, p.value, true, p.key));
  }
}

export function masked(views: FieldView[]): FieldView[] {
  return views.map((v) => (v.secret ? { ...v, value: null } : v));
}
