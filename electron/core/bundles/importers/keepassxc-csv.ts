import type { EntrySink } from './foreign';
import { readCsv, time } from './csv-entries';

/** Columns KeePassXC writes that hold nothing to keep. */
const IGNORED = ['icon'];

export const isKeepassxcHeader = (index: ReadonlyMap<string, number>) => index.has('group') && index.has('title') && index.has('password');

/**
 * KeePassXC's CSV export: "Group","Title","Username","Password","URL","Notes","TOTP","Icon",
 * "Last Modified","Created" (older versions stop at "Notes"). Group is a path whose first part is
 * the database's root group, dropped.
 */
export function readKeepassxcCsv(path: string, sink: EntrySink): void {
  readCsv(path, sink, 'KeePassXC CSV', isKeepassxcHeader, (row) => {
    const group = (row.get('group') ?? '').split('/').slice(1).filter((g) => g.trim().length > 0);
    const title = row.get('title') ?? '';
    for (const name of IGNORED) row.get(name);
    return {
      source: `line ${row.line}`,
      title,
      group,
      username: row.get('username'),
      password: row.get('password'),
      url: row.get('url'),
      notes: row.get('notes'),
      totp: row.get('totp'),
      updated: time(row.get('last modified')),
      created: time(row.get('created')),
      fields: row.rest(),
      attachments: [],
    };
  });
}
