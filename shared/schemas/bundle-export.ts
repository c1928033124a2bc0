import { z } from 'zod';
import { bundlePassphrase, bundleRecipientView } from './bundles';

/**
 * The app's Export screen (docs/ui.md "Export"): what goes into a bundle, to whom, and what came
 * out. The selection mirrors the core's BundleSelection (electron/core/bundles/export.ts).
 */

const named = z.string().trim().min(1).max(128);

export const exportSelection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('workspace'), name: named }).strict(),
  z.object({ kind: z.literal('team'), name: named }).strict(),
  z
    .object({
      kind: z.literal('secrets'),
      names: z.array(z.string().min(1).max(256)).min(1, 'Choose at least one secret').max(10_000),
    })
    .strict(),
]);
export type ExportSelection = z.infer<typeof exportSelection>;

/** Members of this vault by login, service credentials by Client Id, and/or a passphrase (typed twice in the face). */
export const exportBundleInput = z
  .object({
    selection: exportSelection,
    members: z.array(named).max(1000).optional(),
    credentials: z.array(named).max(1000).optional(),
    passphrase: bundlePassphrase.optional(),
  })
  .strict();
export type ExportBundleInput = z.input<typeof exportBundleInput>;

const signer = z.object({ name: z.string(), fingerprint: z.string() });

/** Whom this member can export to, with the key fingerprints a receiver compares. */
export const exportRecipients = z.object({
  /** The exporting member: the bundle is signed with this key. */
  signer,
  members: z.array(z.object({ name: z.string(), roleName: z.string(), fingerprint: z.string(), you: z.boolean() })),
  /** Only for roles that manage service credentials (the same rule as their screen). */
  credentials: z.array(z.object({ name: z.string(), clientId: z.string(), fingerprint: z.string() })),
  /** The Argon2id profile a passphrase is derived with: this vault's (fast only in tests). */
  passphraseProfile: z.enum(['standard', 'fast']),
});
export type ExportRecipients = z.infer<typeof exportRecipients>;

export const exportedBundle = z.object({
  id: z.string(),
  /** `<organization>-<selection>-<date>.cofferbundle`: what a download or the save dialog suggests. */
  fileName: z.string(),
  /** What the bundle's header says it holds, in words ("workspace Backend"). */
  selection: z.string(),
  items: z.number(),
  bytes: z.number(),
  signer,
  recipients: z.array(bundleRecipientView),
  /**
   * The finished file in the core's outbox, for the door to deliver: browser mode serves it once at
   * `GET /download/ID` (with the launch token); null once a door delivered it itself.
   */
  downloadId: z.string().nullable(),
  /** The desktop window: where the save dialog put the file; null in browser mode or when the dialog was cancelled (the file is then gone). */
  savedTo: z.string().nullable(),
});
export type ExportedBundle = z.infer<typeof exportedBundle>;
