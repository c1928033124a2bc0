import type { EntrySink } from './foreign';
import { readCsv } from './csv-entries';

export const isOnepasswordHeader = (index: ReadonlyMap<string, number>) => index.has('title') && index.has('password') && !index.has('group');

/**
 * 1Password's CSV export: Title, Website (or URL), Username, Password, Notes (or notesPlain),
 * OTPAuth; every other column (Type, Tags, Favorite, custom fields…) is kept as a custom field.
 * 1Password has no groups: every entry sits at the root.
 */
export function readOnepasswordCsv(path: string, sink: EntrySink): void {
  readCsv(path, sink, '1Password CSV', isOnepasswordHeader, (row) => ({
    source: `line ${row.line}`,
    title: row.get('title') ?? '',
    group: [],
    url: row.get('website', 'url', 'urls'),
    username: row.get('username'),
    password: row.get('password'),
    notes: row.get('notesplain', 'notes'),
    totp: row.get('otpauth', 'one-time password', 'otp'),
    fields: row.rest(),
    attachments: [],
  }));
}
