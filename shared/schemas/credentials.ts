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

export interface CredentialSummary {
  /** The Client Id. */
  clientId: string;
  name: string;
  /** The login of the member who created it. */
  creator: string;
  /** Team names. */
  teams: string[];
  created: number;
  lastUsed: number | null;
}

/** Finish of the wizard: what is shown once and never again. */
export interface CreatedCredential {
  name: string;
  clientId: string;
  clientSecret: string;
  /** The vault the credential belongs to: what a pipeline's configuration names beside the id. */
  realm: string;
  teams: string[];
}
