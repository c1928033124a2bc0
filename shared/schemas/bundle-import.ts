import { z } from 'zod';
import { IMPORT_STRATEGIES, bundleInfo } from './bundles';

/**
 * The app's Import screen (docs/ui.md "Import"): a file uploaded into the core's inbox, what it is,
 * a dry run, then the import with the chosen strategies. Mirrors the core's ImportOptions
 * (electron/core/bundles/import.ts) and ForeignImportOptions (import-foreign.ts).
 */

/** The largest file the app accepts for import: the browser door refuses a larger body (413), the core a larger upload. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const MAX_UPLOAD_TEXT = '64 MiB';

/** What a file is: a Coffer bundle, or one of the foreign formats (docs/importers.md); the same list as the core's FOREIGN_FORMATS. */
export const IMPORT_FORMATS = ['bundle', 'keepass-xml', 'keepassxc-csv', 'bitwarden-json', '1password-csv', 'dotenv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  bundle: 'Coffer bundle',
  'keepass-xml': 'KeePass 2 XML',
  'keepassxc-csv': 'KeePassXC CSV',
  'bitwarden-json': 'Bitwarden JSON (unencrypted)',
  '1password-csv': '1Password CSV',
  dotenv: '.env file',
};

const fileName = z.string().trim().min(1, 'The file needs a name').max(255);
const uploadId = z.string().regex(/^[0-9a-f-]{36}$/, 'Unknown upload');

/** Desktop window: the bytes travel over IPC (a structured clone). Browser mode: the raw body of `POST /upload`. */
export const uploadInput = z
  .object({
    fileName,
    bytes: z
      .instanceof(Uint8Array, { message: 'The file is missing' })
      .refine((b) => b.byteLength <= MAX_UPLOAD_BYTES, `The file is larger than ${MAX_UPLOAD_TEXT}: import it with the command line (coffer import)`),
  })
  .strict();

export const uploaded = z.object({ id: z.string(), fileName: z.string(), bytes: z.number() });
export type Uploaded = z.infer<typeof uploaded>;

export const uploadRef = z.object({ id: uploadId }).strict();

/** What the file is, read without decrypting anything: for a bundle, its checked header and what opening it needs. */
export const uploadInspection = z.object({
  id: z.string(),
  fileName: z.string(),
  bytes: z.number(),
  format: z.enum(IMPORT_FORMATS),
  bundle: bundleInfo
    .extend({
      /** This member cannot open it with their own key, and it has a passphrase recipient. */
      needsPassphrase: z.boolean(),
      /** Neither addressed to this member nor to a passphrase: it cannot be opened here. */
      notForYou: z.boolean(),
    })
    .optional(),
});
export type UploadInspection = z.infer<typeof uploadInspection>;

/** The dry run and the import take the same choices, so what was previewed is what is applied. */
export const importUploadInput = z
  .object({
    id: uploadId,
    strategy: z.enum(IMPORT_STRATEGIES).default('mine'),
    /** Choices per item, by its index in the preview, overriding `strategy`. */
    perItem: z
      .array(z.object({ index: z.number().int().min(0), strategy: z.enum(IMPORT_STRATEGIES) }).strict())
      .max(1_000_000)
      .default([]),
    /** Every incoming secret into this workspace (an existing one). */
    workspace: z.string().trim().min(1).max(128).optional(),
    /** A bundle for a passphrase. Travels in the body only; never kept. */
    passphrase: z.string().min(1, 'Passphrase is required').max(1024).optional(),
    /** A bundle signed by a non-member: the fingerprint the person compared and accepted. */
    trustSigner: z.string().min(1).max(256).optional(),
    /** `.env`: one secret per line instead of one secret for the file. */
    split: z.boolean().optional(),
  })
  .strict();
export type ImportUploadInput = z.input<typeof importUploadInput>;
