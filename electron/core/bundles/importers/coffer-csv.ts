import { formatDotenv, parseDotenv } from '../../../../shared/dotenv';
import type { Pair } from '../../../../shared/dotenv';
import type { SecretType, ValidSecretInput } from '../../../../shared/schemas/secrets';
import { registerSecretInput } from '../../../../shared/schemas/secrets';
import { workspaceName } from '../../../../shared/schemas/vault';
import type { ForeignEntry } from './foreign';

/**
 * Coffer's own KeePassXC CSV (docs/plain-export.md, `keepassxc-csv`) read back as the secrets it
 * was written from: the one place that reverses that layout. An entry that departs from it in
 * anything returns nothing, and the generic rules (mapping.ts) take it, as they would any entry.
 */

/** A level, or a workspace by name. */
export type Place = { level: 'personal' | 'organization'; workspace?: undefined } | { level: 'workspace'; workspace: string };

/**
 * A secret with its place, as registerSecretInput leaves it: validated where the file is read, so
 * the import checks again only what it changes (bundles/import.ts, `validated`).
 */
export type PlacedSecret = ValidSecretInput & Place;

/** The secret as the schema makes it, or nothing; its placement rules make the result a Place. */
export function validPlaced(candidate: unknown): { secret: PlacedSecret } | { reason: string } {
  const r = registerSecretInput.safeParse(candidate);
  return r.success ? { secret: r.data as PlacedSecret } : { reason: r.error.issues[0]!.message };
}

const TYPE_LINE = /^coffer-type: (api-key|bearer-token|client-credentials|certificate|key-value)$/;
const HEADER_LINE = /^header: (.+)$/;
const EXPIRES_LINE = /^expires: (\d{4}-\d{2}-\d{2})$/;
// Only the shapes the export writes (X509Certificate.toString, a PKCS#8 export): a certificate that
// looks like one but is damaged is then refused by the import, as a tampered file should be.
const CERTIFICATE_PEM = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/;
const KEY_PEM = /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/;

/** The pairs a body holds, only when writing them again gives that very body: anything else is not ours. */
function pairsOf(body: string): Pair[] | undefined {
  try {
    const pairs = parseDotenv(body);
    return formatDotenv(pairs) === body ? pairs : undefined;
  } catch {
    return undefined;
  }
}

const pemFile = (fileName: string, pem: string) => ({ fileName, base64: Buffer.from(pem).toString('base64') });

function fieldsOf(type: SecretType, e: ForeignEntry, header: string | undefined, body: string | undefined): Record<string, unknown> | undefined {
  const { username, password, url } = e;
  switch (type) {
    case 'api-key':
      return username === undefined && url === undefined && password !== undefined ? { headerName: header, value: password } : undefined;
    case 'bearer-token':
      return username === undefined && url === undefined && password !== undefined ? { headerName: header, headerValue: password } : undefined;
    case 'client-credentials':
      return username !== undefined && url !== undefined && password !== undefined ? { clientId: username, url, clientSecret: password } : undefined;
    case 'certificate': {
      if (username !== undefined || url !== undefined || body === undefined || !CERTIFICATE_PEM.test(body)) return undefined;
      if (password !== undefined && !KEY_PEM.test(password)) return undefined;
      const certificate = pemFile('certificate.pem', `${body}\n`);
      return password === undefined ? { certificate } : { certificate, privateKey: pemFile('private.key', password) };
    }
    case 'key-value': {
      const pairs = username === undefined && url === undefined && password === undefined && body !== undefined ? pairsOf(body) : undefined;
      return pairs && { pairs };
    }
  }
}

/** Where the Group puts it: `personal` and `organization` are levels, anything else one workspace. */
function placeOf(e: ForeignEntry): Place | undefined {
  if (e.group.length !== 1) return undefined;
  const group = e.group[0]!;
  if (group === 'personal' || group === 'organization') return { level: group };
  const named = workspaceName.safeParse(group);
  return named.success && named.data === group ? { level: 'workspace', workspace: group } : undefined;
}

/** The secret a Coffer export's entry was written from, or nothing when the entry does not follow that layout exactly. */
export function readCofferEntry(e: ForeignEntry): PlacedSecret | undefined {
  const notes = e.notes;
  if (notes === undefined || !notes.startsWith('coffer-type: ')) return undefined;
  if (e.totp !== undefined || e.fields.length > 0 || e.attachments.length > 0) return undefined;
  const place = placeOf(e);
  if (!place) return undefined;
  const cut = notes.indexOf('\n\n');
  const lines = (cut < 0 ? notes : notes.slice(0, cut)).split('\n');
  const body = cut < 0 ? undefined : notes.slice(cut + 2);
  const type = TYPE_LINE.exec(lines[0]!)?.[1] as SecretType | undefined;
  if (!type) return undefined;
  let at = 1;
  let header: string | undefined;
  if (type === 'api-key' || type === 'bearer-token') {
    header = HEADER_LINE.exec(lines[at++] ?? '')?.[1];
    if (header === undefined) return undefined;
  }
  let expires: string | undefined;
  if (at < lines.length) {
    expires = EXPIRES_LINE.exec(lines[at++]!)?.[1];
    if (expires === undefined) return undefined;
  }
  if (at !== lines.length || (body !== undefined) !== (type === 'certificate' || type === 'key-value')) return undefined;
  const fields = fieldsOf(type, e, header, body);
  if (!fields) return undefined;
  // A certificate's expiry is read from the certificate; the line only informs whoever reads the file.
  const dated = expires !== undefined && type !== 'certificate' ? { expires } : {};
  const valid = validPlaced({ type, name: e.title, fields, ...dated, ...place });
  return 'secret' in valid ? valid.secret : undefined;
}
