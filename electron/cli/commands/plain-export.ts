import { CofferError } from '../../../shared/errors';
import type { PlainSelection } from '../../core/bundles/plain-export';
import type { PlainFormat } from '../../core/bundles/plain-formats';
import type { CliContext } from '../context';
import { print, printJson } from '../output';

/** The flags of `export`: a plain export reads some and refuses the bundle-only ones. */
export interface ExportFlags {
  out: string;
  workspace?: string;
  secrets?: string;
  team?: string;
  to?: string[];
  passphrase?: boolean;
  plaintext?: boolean;
  format?: PlainFormat;
  force?: boolean;
}

/**
 * Whether `export` writes a plain file. Values in clear are asked for twice over (`--plaintext` and
 * a `--format`), so neither flag alone turns a bundle export into one.
 */
export function isPlainExport(o: ExportFlags): boolean {
  if (o.format !== undefined && !o.plaintext) {
    throw new CofferError(
      'VALIDATION',
      '--format writes the values in clear and needs --plaintext; a bundle (export without --format) is the safe way to move secrets: encrypted to its recipients and signed',
      'format',
    );
  }
  if (o.plaintext && o.format === undefined) throw new CofferError('VALIDATION', '--plaintext needs --format env, json or keepassxc-csv', 'format');
  if (o.force && !o.plaintext) throw new CofferError('VALIDATION', '--force replaces a plain export only; a bundle is never overwritten', 'force');
  return o.plaintext === true;
}

function plainSelection(o: ExportFlags): PlainSelection {
  if (o.to !== undefined || o.passphrase) throw new CofferError('VALIDATION', 'a plain export has no recipients: leave out --to and --passphrase', 'to');
  if (o.team !== undefined) throw new CofferError('VALIDATION', 'a plain export takes --workspace or --secrets, not --team', 'team');
  if ((o.workspace === undefined) === (o.secrets === undefined)) {
    throw new CofferError('VALIDATION', 'a plain export names what it writes: --workspace NAME or --secrets A,B (one of them)', 'secrets');
  }
  if (o.workspace !== undefined) return { kind: 'workspace', name: o.workspace };
  return { kind: 'secrets', names: o.secrets!.split(',').map((n) => n.trim()).filter((n) => n.length > 0) };
}

export async function plainExport(ctx: CliContext, o: ExportFlags): Promise<void> {
  const selection = plainSelection(o);
  const session = await ctx.unlock();
  const { exportPlain } = await import('../../core/bundles/plain-export.js');
  const r = exportPlain(session, { out: o.out, format: o.format!, selection, force: o.force ?? false, door: 'cli' });
  if (ctx.json) return printJson(r);
  print(`Wrote ${r.items} secret(s) in clear (${r.format}) to ${r.path}. Anyone who can read that file can read them: delete it when done.`);
}
