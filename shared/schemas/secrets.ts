import { z } from 'zod';
import { editFields, fieldSchemas } from './fields';
import type { SecretType } from './secret-types';
import { FIELD_LABELS, SECRET_TYPES, SECRET_TYPE_DESCRIPTIONS } from './secret-types';
import { displayName } from './text';

/** Secret types, levels and fields of docs/product.md §2; labels as docs/product.md §2 gives them. */
export type { SecretType } from './secret-types';
export { FIELD_LABELS, SECRET_TYPES, TYPE_LABELS } from './secret-types';
export { MAX_FILE_BYTES, MAX_VALUE_BYTES, fieldSchemas, fileInput } from './fields';

export const LEVELS = ['organization', 'workspace', 'personal'] as const;
export type Level = (typeof LEVELS)[number];

export const STATUSES = ['active', 'inactive', 'scheduled'] as const;
export type SecretStatus = (typeof STATUSES)[number];

export const secretName = displayName(FIELD_LABELS.name!, 128);

/** The first day an expiry can fall on: `0000-01-01` or `0199-05-01` is a typo, not a date a secret expires. */
const EARLIEST_EXPIRY = '1970-01-01';

/** A calendar date `YYYY-MM-DD` that exists (no 2027-02-30), from 1970 to 9999. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expiration Date must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'Expiration Date is not a real calendar date')
  .refine((s) => s >= EARLIEST_EXPIRY, `Expiration Date must be ${EARLIEST_EXPIRY} or later`);

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
    if (SECRET_TYPE_DESCRIPTIONS[v.type].expiry === 'read' && v.expires !== undefined) {
      ctx.addIssue({ code: 'custom', message: "A certificate's Expiration Date is read from the certificate", path: ['expires'] });
    }
  });

export type RegisterSecretInput = z.input<typeof registerSecretInput>;
/** A registration as validation leaves it: trimmed, normalized, its level set. */
export type ValidSecretInput = z.output<typeof registerSecretInput>;

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

/** The teams an organization secret is available to, when not the entire organization: at least one. */
export const secretTeams = z
  .array(z.string().trim().min(1).max(128))
  .min(1, 'Choose at least one team, or make it available to the entire organization')
  .max(64);

/**
 * An edit names only what changes; fields are checked again as a whole after merging. `teams`
 * changes who can read an organization secret: `null` the entire organization, a list exactly
 * those teams; absent, unchanged.
 */
export const editSecretInput = z.object({
  ref: secretRef,
  name: secretName.optional(),
  expires: isoDate.nullable().optional(),
  fields: editFields.strict().default({}),
  teams: secretTeams.nullable().optional(),
});
export type EditSecretInput = z.input<typeof editSecretInput>;

export const SORT_KEYS = ['name', 'type', 'availability', 'created', 'expires', 'status', 'lastUsed', 'deletion'] as const;
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

/** The most rows one vault-wide search returns: it feeds a short results list, not the table. */
export const SEARCH_LIMIT_MAX = 200;

/** A search over every place the session can read (the palette, "Whole vault"); answered as a `secretListing`. */
export const searchSecretsInput = z
  .object({
    query: z.string().trim().min(1, 'Search text is required').max(256),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(20),
  })
  .strict();
export type SearchSecretsInput = z.input<typeof searchSecretsInput>;

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
  /**
   * Something about it did not verify (docs/product.md §1a): its name, which is then empty (its
   * encrypted chunk was altered), or its row in the file (a number or a value no list has).
   */
  tampered: z.boolean().optional(),
});
export type SecretSummary = z.infer<typeof secretSummary>;

export const secretListing = z.object({ total: z.number(), matched: z.number(), items: z.array(secretSummary) });
export type SecretListing = z.infer<typeof secretListing>;

/** One field as a door shows it; `value` is null when masked. */
export const fieldView = z.object({
  key: z.string(),
  label: z.string(),
  value: z.string().nullable(),
  secret: z.boolean(),
  /** The value is an ISO time (a certificate's validity): doors write it as they write dates. */
  date: z.literal(true).optional(),
});
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
  /**
   * Set when no signature vouches for the revision's author (docs/product.md §1a): `author_id` is a
   * clear column anyone who can write the file can change, so `author` is then null and the doors
   * say "unverified" rather than show a name the file claims. Revisions older than signatures too.
   */
  authorUnverified: z.literal(true).optional(),
  /** The revision this one restored ("Restored from revision N"), read from its sealed content. */
  restoredFrom: z.number().int().min(1).optional(),
});
export type RevisionInfo = z.infer<typeof revisionInfo>;

/** Through which door a value was read (docs/product.md §2, "Where used"). */
export const USAGE_DOORS = ['desktop', 'browser', 'cli', 'rest'] as const;
export type UsageDoor = (typeof USAGE_DOORS)[number];
/** How the value left: shown, copied, printed by `secret get`, put into `coffer run`/`inject`, answered over REST, exported. */
export const USAGE_HOWS = ['reveal', 'copy', 'print', 'run', 'inject', 'api', 'export'] as const;
export type UsageHow = (typeof USAGE_HOWS)[number];

export const usageEntry = z.object({
  at: z.number(),
  /** The use in one line ("alice · CLI · run ./deploy.sh"); a record older than who/door/how is its label as kept ("desktop"). */
  consumer: z.string(),
  /** A member's login, `credential:NAME` or `account:NAME key ID`; null, like door and how, on an older record. */
  who: z.string().nullable(),
  door: z.enum(USAGE_DOORS).nullable(),
  how: z.enum(USAGE_HOWS).nullable(),
  /** `run`'s command, `inject`'s template, `secret get --consumer`'s label, the export's kind. */
  detail: z.string().nullable(),
});
export type UsageEntry = z.infer<typeof usageEntry>;

export const secretUsage = z.object({
  lastUsed: z.number().nullable(),
  entries: z.array(usageEntry),
});
export type SecretUsage = z.infer<typeof secretUsage>;

/** One answer to "who can read this secret": a member, a team it is available to, or a service credential, and why. */
export const secretReader = z.object({ kind: z.enum(['member', 'team', 'credential']), name: z.string(), why: z.string() });
export type SecretReader = z.infer<typeof secretReader>;
