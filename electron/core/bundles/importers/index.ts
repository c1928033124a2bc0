import { CofferError } from '../../../../shared/errors';
import { readBitwardenJson } from './bitwarden-json';
import { readDotenv } from './dotenv';
import type { EntrySink, ForeignFormat } from './foreign';
import { FOREIGN_FORMATS } from './foreign';
import { readKeepassXml } from './keepass-xml';
import { readKeepassxcCsv } from './keepassxc-csv';
import { readOnepasswordCsv } from './onepassword-csv';

export interface ParseOptions {
  /** `.env`: one secret per line instead of one for the file. */
  split?: boolean;
}

/**
 * Reads a file of one format into a sink, a piece at a time; throws a CofferError on what it cannot
 * read. Synchronous: it runs inside the import's transaction, one entry at a time.
 */
export type Parser = (path: string, sink: EntrySink, opts: ParseOptions) => void;

/** The parser of each format. */
const PARSERS: Record<ForeignFormat, Parser> = {
  'keepass-xml': readKeepassXml,
  'bitwarden-json': readBitwardenJson,
  'keepassxc-csv': readKeepassxcCsv,
  '1password-csv': readOnepasswordCsv,
  dotenv: readDotenv,
};

export function isForeignFormat(s: string): s is ForeignFormat {
  return (FOREIGN_FORMATS as readonly string[]).includes(s);
}

export function parserFor(format: string): Parser {
  if (!isForeignFormat(format)) throw new CofferError('VALIDATION', `--from takes one of ${FOREIGN_FORMATS.join(', ')}, not "${format}"`, 'from');
  return PARSERS[format];
}
