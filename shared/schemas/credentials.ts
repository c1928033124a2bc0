import { z } from 'zod';
import { displayName } from './text';

/** Service credentials (docs/product.md §6). */

export const credentialName = displayName('Credential name', 64);

export const createCredentialInput = z
  .object({
    name: credentialName,
    teams: z.array(z.string().max(64)).max(1000),
  })
  .strict();

export const credentialSummary = z.object({
  /** The Client Id. */
  clientId: z.string(),
  name: z.string(),
  /** The login of the member who created it. */
  creator: z.string(),
  /** Team names. */
  teams: z.array(z.string()),
  created: z.number(),
  lastUsed: z.number().nullable(),
});
export type CredentialSummary = z.infer<typeof credentialSummary>;

/** Finish of the wizard: what is shown once and never again. */
export const createdCredential = z.object({
  name: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  /** The vault the credential belongs to: what a pipeline's configuration names beside the id. */
  realm: z.string(),
  teams: z.array(z.string()),
});
export type CreatedCredential = z.infer<typeof createdCredential>;
