import { z } from 'zod';
import { isoDate } from './secrets';
import { displayName } from './text';

/** Service accounts and their keys (docs/product.md §7, docs/rest.md). */

export const accountName = displayName('Service account name', 64);

export const createAccountInput = z
  .object({
    name: accountName,
    role: z.string().max(128),
    /** A workspace-level account's workspace; absent for the organization's level. */
    workspace: z.string().max(128).optional(),
    enableBasicAuth: z.boolean().default(false),
    /** The first key's expiry, `YYYY-MM-DD` (UTC): refused from that day on. */
    expires: isoDate.optional(),
  })
  .strict();

export const accountKeySummary = z.object({
  keyId: z.string(),
  created: z.number(),
  expires: z.number().nullable(),
  lastUsed: z.number().nullable(),
});

export const accountSummary = z.object({
  id: z.string(),
  name: z.string(),
  level: z.enum(['organization', 'workspace']),
  workspace: z.string().nullable(),
  role: z.string(),
  roleName: z.string(),
  enableBasicAuth: z.boolean(),
  creator: z.string(),
  created: z.number(),
  keys: z.array(accountKeySummary),
});
export type AccountSummary = z.infer<typeof accountSummary>;

/** A key as issued or renewed: the one time its secret is given out. */
export const issuedKey = z.object({ keyId: z.string(), created: z.number(), expires: z.number().nullable(), secret: z.string() });
export type IssuedKey = z.infer<typeof issuedKey>;

export const createdAccount = z.object({
  id: z.string(),
  name: z.string(),
  enableBasicAuth: z.boolean(),
  created: z.number(),
  keys: z.array(issuedKey),
});
export type CreatedAccount = z.infer<typeof createdAccount>;
