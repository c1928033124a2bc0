import { CofferError } from '../../../../shared/errors';
import { MAGIC } from '../format';
import { csvLine } from './csv';
import { headerIndex } from './csv-entries';
import { head } from './file';
import type { ForeignFormat } from './foreign';
import { looksLikeBitwardenJson } from './bitwarden-json';
import { looksLikeKeepassXml } from './keepass-xml';
import { isKeepassxcHeader } from './keepassxc-csv';
import { isOnepasswordHeader } from './onepassword-csv';

const DOTENV_LINE = /^\s*(?:export\s+)?[^=\s#][^=]*?\s*=/;

/** Every line holds KEY=VALUE, a comment or nothing; the last, perhaps cut at 1 KiB, is not judged. */
function looksLikeDotenv(text: string): boolean {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1) lines.pop();
  const meaningful = lines.filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  return meaningful.length > 0 && meaningful.every((l) => DOTENV_LINE.test(l));
}

/**
 * What a file is, from its first KiB (docs/importers.md, "Detection"): a Coffer bundle by its magic
 * bytes, else one of the foreign formats. An encrypted Bitwarden export is refused here: only its
 * owner's Bitwarden can open it.
 */
export function detectFormat(path: string): ForeignFormat | 'bundle' {
  const bytes = head(path);
  if (bytes.length >= MAGIC.length && Buffer.from(MAGIC).equals(bytes.subarray(0, MAGIC.length))) return 'bundle';
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start.startsWith('<')) {
    if (looksLikeKeepassXml(text)) return 'keepass-xml';
  } else if (start.startsWith('{')) {
    if (/"encrypted"\s*:\s*true/.test(text)) {
      throw new CofferError('VALIDATION', 'this is an encrypted Bitwarden export: export the vault again as unencrypted JSON (.json), import it, then delete that file', 'file');
    }
    if (looksLikeBitwardenJson(text)) return 'bitwarden-json';
  } else {
    const header = (() => {
      try {
        return headerIndex(csvLine(text));
      } catch {
        return new Map<string, number>();
      }
    })();
    if (isKeepassxcHeader(header)) return 'keepassxc-csv';
    if (isOnepasswordHeader(header)) return '1password-csv';
    if (looksLikeDotenv(text)) return 'dotenv';
  }
  throw new CofferError('VALIDATION', `${path} is not a Coffer bundle, and not a file an importer recognizes: name its format with --from`, 'from');
}
