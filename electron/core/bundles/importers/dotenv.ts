import { basename, extname } from 'node:path';
import { CofferError } from '../../../../shared/errors';
import { parseDotenv } from '../../../../shared/dotenv';
import { readText } from './file';
import type { EntrySink } from './foreign';

/** A key/value secret holds at most 1 MiB: a longer line cannot be one of its pairs. */
const MAX_LINE = 1024 * 1024;

export interface DotenvOptions {
  /** One secret per line, named by its key, instead of one secret for the file. */
  split?: boolean;
}

/** `prod.env` → `prod`, `.env.local` and `.env` → `env`: the name of the one secret a whole file becomes. */
export function dotenvName(path: string): string {
  const base = basename(path).replace(/^\.+/, '');
  const name = base.startsWith('env.') ? 'env' : base.slice(0, base.length - extname(base).length);
  return name || 'env';
}

/** Reads a `.env` file a line at a time with shared/dotenv.ts's rules. */
export function readDotenv(path: string, sink: EntrySink, opts: DotenvOptions = {}): void {
  const fields: { name: string; value: string }[] = [];
  let lineNo = 0;
  let partial = '';
  const line = (text: string) => {
    lineNo++;
    let pairs;
    try {
      pairs = parseDotenv(text);
    } catch (e) {
      if (e instanceof CofferError) throw new CofferError('VALIDATION', e.message.replace(/^line 1\b/, `line ${lineNo}`), 'file');
      throw e;
    }
    for (const p of pairs) {
      if (opts.split) sink.entry({ source: `line ${lineNo}`, title: p.key, group: [], fields: [{ name: p.key, value: p.value }], attachments: [] });
      else fields.push({ name: p.key, value: p.value });
    }
  };
  readText(
    path,
    (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      if (partial.length > MAX_LINE) throw new CofferError('VALIDATION', `line ${lineNo + lines.length + 1} is longer than 1 MiB`, 'file');
      for (const l of lines) line(l.endsWith('\r') ? l.slice(0, -1) : l);
    },
    sink.progress?.bind(sink),
  );
  if (partial) line(partial.endsWith('\r') ? partial.slice(0, -1) : partial);
  if (!opts.split) sink.entry({ source: basename(path), title: dotenvName(path), group: [], fields, attachments: [] });
}
