import { z } from 'zod';
import { password } from './vault';

/** How an import settles a secret that exists on both sides (docs/product.md §8). */
export const IMPORT_STRATEGIES = ['mine', 'theirs', 'both'] as const;
export type ImportStrategy = (typeof IMPORT_STRATEGIES)[number];

/** What an incoming secret is, compared with this vault (by level, workspace and name; then by content). */
export const IMPORT_STATUSES = ['added', 'changed', 'conflicting', 'unchanged'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** What the import does (or, in a dry run, would do) with one item. */
export const IMPORT_ACTIONS = ['add', 'revise', 'add-copy', 'keep'] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];

/** A bundle passphrase meets the same rules as a member password: it guards the same values. */
export const bundlePassphrase = password.describe('Passphrase');

export const bundleRecipientView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), name: z.string(), fingerprint: z.string() }),
  z.object({ kind: z.literal('passphrase'), kdfProfile: z.enum(['standard', 'fast']), opslimit: z.number(), memlimit: z.number() }),
]);
export type BundleRecipientView = z.infer<typeof bundleRecipientView>;

/** What `inspect` shows: the clear header, checked against its signature; never a secret's name or value. */
export const bundleInfo = z.object({
  id: z.string(),
  formatVersion: z.number(),
  created: z.number(),
  organization: z.string(),
  selection: z.string(),
  items: z.number(),
  bytes: z.number(),
  signer: z.object({ name: z.string(), fingerprint: z.string(), member: z.string().nullable() }),
  recipients: z.array(bundleRecipientView),
});
export type BundleInfo = z.infer<typeof bundleInfo>;

export const importItemView = z.object({
  name: z.string(),
  type: z.string(),
  level: z.string(),
  workspace: z.string().nullable(),
  status: z.enum(IMPORT_STATUSES),
  action: z.enum(IMPORT_ACTIONS),
  /** For `add-copy`: the name the incoming secret gets. */
  importedAs: z.string().optional(),
  /** A foreign file's title, when an earlier entry of the file took that name in the same place. */
  renamedFrom: z.string().optional(),
  /** For a secret present on both sides: when ours last changed (ms since the epoch). */
  ours: z.number().optional(),
  /** …and when theirs did, as the bundle or file says (absent when the file does not say). */
  theirs: z.number().optional(),
});
export type ImportItemView = z.infer<typeof importItemView>;

export const importApplied = z.object({ added: z.number(), revised: z.number(), copies: z.number(), kept: z.number() });
export type ImportApplied = z.infer<typeof importApplied>;

/** An entry of a foreign file that was not imported, and why (docs/importers.md). */
export const importSkipped = z.object({ source: z.string(), title: z.string(), reason: z.string() });

export const importResult = z.object({
  /** For a bundle: what it says about itself. */
  bundle: bundleInfo.optional(),
  /** For a foreign file (docs/importers.md): its format, its path, and how many secrets it gave. */
  source: z.object({ format: z.string(), file: z.string(), items: z.number(), workspacesCreated: z.array(z.string()) }).optional(),
  dryRun: z.boolean(),
  strategy: z.enum(IMPORT_STRATEGIES),
  counts: z.object({ added: z.number(), changed: z.number(), conflicting: z.number(), unchanged: z.number() }),
  applied: importApplied,
  items: z.array(importItemView),
  skipped: z.array(importSkipped),
});
export type ImportResult = z.infer<typeof importResult>;
