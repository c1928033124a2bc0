/**
 * A secret's type, level, availability and status as one small integer: each value's position in
 * its list, packed into bits. The listing index reads every secret's this way at unlock, from
 * migration 11's covering index `secrets_listing`, which holds the expression below for each row.
 *
 * The lists are the ones that migration wrote into the file's schema, so they are frozen here, not
 * taken from shared/schemas: a new value there needs a migration that indexes the new expression
 * (test/integration/listing-index.test.ts holds the two equal until one is written).
 */
export const LISTED_TYPES = ['api-key', 'bearer-token', 'client-credentials', 'certificate', 'key-value'] as const;
export const LISTED_LEVELS = ['organization', 'workspace', 'personal'] as const;
export const LISTED_AVAILABILITIES = ['entire-organization', 'teams', 'workspace', 'personal'] as const;
export const LISTED_STATUSES = ['active', 'inactive', 'scheduled'] as const;

export const TYPE_MASK = 0b111;
export const LEVEL_SHIFT = 3;
export const AVAILABILITY_SHIFT = 5;
export const STATUS_SHIFT = 7;
export const TWO_BITS = 0b11;

/** An enum column as its position in `values`: SQLite hands the scan a number, not a string. */
const codeOf = (column: string, values: readonly string[]) => `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;

/**
 * The packed integer as SQL over the `secrets` table's own columns. A query that selects exactly
 * this expression reads it from the index instead of computing it from each row.
 */
export const LISTING_FLAGS =
  `((${codeOf('type', LISTED_TYPES)}) | ((${codeOf('level', LISTED_LEVELS)}) << ${LEVEL_SHIFT})` +
  ` | ((${codeOf('availability', LISTED_AVAILABILITIES)}) << ${AVAILABILITY_SHIFT}) | ((${codeOf('status', LISTED_STATUSES)}) << ${STATUS_SHIFT}))`;
