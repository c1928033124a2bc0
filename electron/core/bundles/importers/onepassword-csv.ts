import type { EntrySink } from './foreign';
import { readCsv } from './csv-entries';

/** Flags 1Password writes on every row ("false"): no secret, and a custom field of them would make every login a key/value secret. */
const FLAGS = ['favorite', 'archived'];

export const isOnepasswordHeader = (index: ReadonlyMap<string, number>) => index.has('title') && index.has('password') && !index.has('group');

/**
 * 1Password's CSV export: Title, Website (or URL), Username, Password, Notes (or notesPlain),
 * OTPAuth; the Favorite and Archived flags are dropped; every other column (Type, Tags, custom
 * fields…) is kept as a custom field.
 * 1Password has no groups: every entry sits at the root.
 */
export function readOnepasswordCsv(path: string, sink: EntrySink): void {
  readCsv(path, sink, '1Password CSV', isOnepasswordHeader, (row) => {
    for (const flag of FLAGS) row.get(flag);
    return {
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
    };
  });
}
