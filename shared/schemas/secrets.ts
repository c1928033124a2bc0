import { z } from 'zod';
import { CONTROL, displayName } from './text';

/** Secret types, levels and fields of SPEC §2; labels as in seed 001. */
export const SECRET_TYPES = ['api-key', 'bearer-token', 'client-credentials', 'certificate', 'key-value'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const TYPE_LABELS: Record<SecretType, string> = {
  'api-key': 'API Key',
  'bearer-token': 'Bearer Token (OAuth)',
  'client-credentials': 'Client Credentials',
  certificate: 'Certificate',
  'key-value': 'Key/Value',
};

export const LEVELS = ['organization', 'workspace', 'personal'] as const;
export type Level = (typeof LEVELS)[number];

export const STATUSES = ['active', 'inactive', 'scheduled'] as const;
export type SecretStatus = (typeof STATUSES)[number];

export const FIELD_LABELS: Record<string, string> = {
  name: 'Secret Name',
  headerName: 'Header Name',
  value: 'Value',
  headerValue: 'Header Value',
  clientId: 'Client ID',
  url: 'URL',
  clientSecret: 'Client Secret',
  certificate: 'Certificate',
  privateKey: 'Private Key',
  pairs: 'Key/Value pairs',
  expires: 'Expiration Date',
  workspace: 'Workspace',
  teams: 'Teams',
  level: 'Level',
};

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

export const secretName = displayName('Secret Name', 128);

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

const httpUrl = z
  .string(required('URL'))
  .trim()
  .min(1, 'URL is required')
  .max(2048, 'URL must be at most 2048 characters')
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'URL must be an http:// or https:// address');

/** A calendar date `YYYY-MM-DD` that exists (no 2027-02-30). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expiration Date must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'Expiration Date is not a real calendar date');

const kvKey = z
  .string(required('Key'))
  .trim()
  .min(1, 'Key is required')
  .max(256, 'Key must be at most 256 characters')
  .refine((k) => !CONTROL.test(k) && !k.includes('='), 'Key must not contain "=" or control characters');

export const kvPairs = z
  .array(z.object({ key: kvKey, value: z.string(required('Value')) }), required('Key/Value pairs'))
  .min(1, 'At least one key/value pair is required')
  .superRefine((pairs, ctx) => {
    const seen = new Set<string>();
    pairs.forEach((p, i) => {
      if (seen.has(p.key)) ctx.addIssue({ code: 'custom', message: `Key "${p.key}" appears more than once`, path: [i, 'key'] });
      seen.add(p.key);
    });
    const total = pairs.reduce((n, p) => n + utf8Length(p.key) + utf8Length(p.value), 0);
    if (total > MAX_FILE_BYTES) ctx.addIssue({ code: 'custom', message: 'Key/Value pairs must be at most 1024 KiB in total' });
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

export const fieldSchemas = {
  'api-key': z.object({ headerName: headerName('Header Name'), value: secretValue('Value') }),
  'bearer-token': z.object({ headerName: headerName('Header Name'), headerValue: secretValue('Header Value') }),
  'client-credentials': z.object({
    clientId: plainText('Client ID'),
    url: httpUrl,
    clientSecret: secretValue('Client Secret'),
  }),
  certificate: z.object({
    certificate: fileInput('Certificate'),
    privateKey: fileInput('Private Key')
      .refine((f) => f.fileName.toLowerCase().endsWith('.key'), 'Private Key must be a .key file')
      .optional(),
  }),
  'key-value': z.object({ pairs: kvPairs }),
} as const;

const placement = {
  level: z.enum(LEVELS).default('personal'),
  workspace: z.string().trim().min(1).max(128).optional(),
  teams: z.array(z.string().trim().min(1).max(128)).max(64).optional(),
  expires: isoDate.nullable().optional(),
};

const registerVariant = <T extends SecretType>(type: T) =>
  z.object({ type: z.literal(type), name: secretName, ...placement, fields: fieldSchemas[type] });

export const registerSecretInput = z
  .discriminatedUnion('type', [
    registerVariant('api-key'),
    registerVariant('bearer-token'),
    registerVariant('client-credentials'),
    registerVariant('certificate'),
    registerVariant('key-value'),
  ])
  .superRefine((v, ctx) => {
    if (v.level === 'workspace' && !v.workspace) {
      ctx.addIssue({ code: 'custom', message: 'Choose a workspace for a workspace secret', path: ['workspace'] });
    }
    if (v.level !== 'workspace' && v.workspace) {
      ctx.addIssue({ code: 'custom', message: 'A workspace is only chosen for workspace secrets', path: ['workspace'] });
    }
    if (v.teams && v.level !== 'organization') {
      ctx.addIssue({ code: 'custom', message: 'Teams are chosen only for organization secrets', path: ['teams'] });
    }
    if (v.teams && v.teams.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Choose at least one team, or make it available to the entire organization', path: ['teams'] });
    }
    if (v.type === 'certificate' && v.expires !== undefined) {
      ctx.addIssue({ code: 'custom', message: "A certificate's Expiration Date is read from the certificate", path: ['expires'] });
    }
  });

export type RegisterSecretInput = z.input<typeof registerSecretInput>;

/** Where to find a secret when its name exists at several levels. */
/** A secret by its id (the app) or by its name and, where ambiguous, its place (the CLI). */
export const secretRef = z
  .object({
    id: z.string().min(1).max(64).optional(),
    name: z.string().trim().min(1, 'Secret Name is required').optional(),
    level: z.enum(LEVELS).optional(),
    workspace: z.string().trim().min(1).optional(),
  })
  .refine((r) => r.id !== undefined || r.name !== undefined, { message: 'Secret Name is required', path: ['name'] });
export type SecretRef = z.input<typeof secretRef>;

/** An edit names only what changes; fields are checked again as a whole after merging. */
export const editSecretInput = z.object({
  ref: secretRef,
  name: secretName.optional(),
  expires: isoDate.nullable().optional(),
  fields: z
    .object({
      headerName: z.string().optional(),
      value: z.string().optional(),
      headerValue: z.string().optional(),
      clientId: z.string().optional(),
      url: z.string().optional(),
      clientSecret: z.string().optional(),
      certificate: fileInput('Certificate').optional(),
      privateKey: fileInput('Private Key').nullable().optional(),
      pairs: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
      setPairs: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
      removeKeys: z.array(z.string()).optional(),
    })
    .strict()
    .default({}),
});
export type EditSecretInput = z.input<typeof editSecretInput>;

export const SORT_KEYS = ['name', 'type', 'availability', 'created', 'expires', 'status', 'lastUsed'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const listSecretsInput = z.object({
  level: z.enum(LEVELS).optional(),
  workspace: z.string().trim().min(1).optional(),
  type: z.enum(SECRET_TYPES).optional(),
  status: z.enum(STATUSES).optional(),
  search: z.string().max(256).optional(),
  sort: z.enum(SORT_KEYS).default('name'),
  desc: z.boolean().default(false),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100_000).optional(),
});
export type ListSecretsInput = z.input<typeof listSecretsInput>;

export const AVAILABILITIES = ['entire-organization', 'teams', 'workspace', 'personal'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** One row of a listing: never a value, never a field other than the name. */
export const secretSummary = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(SECRET_TYPES),
  level: z.enum(LEVELS),
  workspace: z.string().nullable(),
  availability: z.enum(AVAILABILITIES),
  teams: z.array(z.string()),
  created: z.number(),
  updated: z.number(),
  expires: z.number().nullable(),
  status: z.enum(STATUSES),
  lastUsed: z.number().nullable(),
  /** When it will be purged: set while Inactive or Scheduled for deletion. */
  deletion: z.number().nullable(),
  revision: z.number(),
  /** The name could not be verified (its encrypted chunk was altered). */
  tampered: z.boolean().optional(),
});
export type SecretSummary = z.infer<typeof secretSummary>;

export const secretListing = z.object({ total: z.number(), matched: z.number(), items: z.array(secretSummary) });
export type SecretListing = z.infer<typeof secretListing>;

/** One field as a door shows it; `value` is null when masked. */
export const fieldView = z.object({ key: z.string(), label: z.string(), value: z.string().nullable(), secret: z.boolean() });
export type FieldView = z.infer<typeof fieldView>;

export const secretDetail = secretSummary.extend({ fields: z.array(fieldView) });
export type SecretDetail = z.infer<typeof secretDetail>;

export const revisionInfo = z.object({
  revision: z.number(),
  created: z.number(),
  author: z.string().nullable(),
  changed: z.array(z.string()),
  current: z.boolean(),
  tampered: z.boolean().optional(),
});
export type RevisionInfo = z.infer<typeof revisionInfo>;

export const secretUsage = z.object({
  lastUsed: z.number().nullable(),
  entries: z.array(z.object({ consumer: z.string(), at: z.number() })),
});
export type SecretUsage = z.infer<typeof secretUsage>;
