import { z } from 'zod';

/**
 * The vault settings a member sees and an Account Holder changes (docs/product.md §3, §4, §6). Apart
 * from the IPC contract so that the core's settings (and every CLI command, which reads them) do not
 * load the whole contract.
 */
export const settings = z.object({
  /** How long a revealed value stays on screen. */
  revealSeconds: z.number().int().min(1).max(600),
  /** How long a copied value stays on the clipboard. */
  clipboardSeconds: z.number().int().min(1).max(600),
  /** Idle time before the vault locks itself. */
  autoLockMinutes: z.number().int().min(1).max(24 * 60),
  /** Days without use before a secret becomes Inactive (docs/product.md §4). */
  inactiveDays: z.number().int().min(1).max(3650),
  /** Days from Inactive or scheduled to purge. */
  deletionDays: z.number().int().min(1).max(3650),
  /** How many service credentials one member may own at once (docs/product.md §6: two by default). */
  credentialsPerMember: z.number().int().min(1).max(100),
});
export type Settings = z.infer<typeof settings>;
