/**
 * What every importer of a foreign format reads its file into, before one set of rules maps it onto
 * Coffer's five types (mapping.ts, docs/importers.md). A parser knows its format and nothing of
 * Coffer; the rules know Coffer and nothing of any format.
 */

/** One entry of a password manager's export, as its format states it. */
export interface ForeignEntry {
  /** Where the entry sits in the file, for reports: "Email/GitHub", "item 12", "line 40". */
  source: string;
  title: string;
  /** Groups or folders from the top down, the file's own root group left out; [] at the root. */
  group: string[];
  username?: string;
  password?: string;
  url?: string;
  notes?: string;
  /** A one-time-password seed or otpauth:// URI. */
  totp?: string;
  /** Custom fields in the file's order, card and identity fields included. */
  fields: { name: string; value: string }[];
  /** Names of attached files: never imported, reported as skipped. */
  attachments: string[];
  /** Unix milliseconds, when the file has them. */
  created?: number;
  updated?: number;
  expires?: number;
}

/** An item the file holds that no rule maps, and why: reported item by item. */
export interface SkippedEntry {
  source: string;
  title: string;
  reason: string;
}

/** What a parser hands over as it reads, so 100,000 entries never sit in memory at once. */
export interface EntrySink {
  entry(e: ForeignEntry): void;
  skipped(s: SkippedEntry): void;
  /** Bytes of the file read so far, for a progress bar. */
  progress?(bytesRead: number, totalBytes: number): void;
}

export const FOREIGN_FORMATS = ['keepass-xml', 'keepassxc-csv', 'bitwarden-json', '1password-csv', 'dotenv'] as const;
export type ForeignFormat = (typeof FOREIGN_FORMATS)[number];

export const FORMAT_LABELS: Record<ForeignFormat, string> = {
  'keepass-xml': 'KeePass XML',
  'keepassxc-csv': 'KeePassXC CSV',
  'bitwarden-json': 'Bitwarden JSON',
  '1password-csv': '1Password CSV',
  dotenv: '.env',
};
