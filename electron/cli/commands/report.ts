import type { Command } from 'commander';
import { CofferError } from '../../../shared/errors';
import type { ReportFormat } from '../../../shared/schemas/review';
import { REPORT_FORMATS } from '../../../shared/schemas/review';
import { coalesced } from '../../core/chunks';
import { print, printJson } from '../output';
import { checkFree, writePrivateFile } from '../private-file';
import type { Action } from '../program';

function formatOf(format: string | undefined, json: boolean): ReportFormat {
  const chosen = format ?? (json ? 'json' : 'md');
  if (!(REPORT_FORMATS as readonly string[]).includes(chosen)) throw new CofferError('VALIDATION', `the format is one of ${REPORT_FORMATS.join(', ')}`, 'format');
  return chosen as ReportFormat;
}

export function registerReportCommand(program: Command, run: Action): void {
  program
    .command('report')
    .description('offline review of the whole vault: counts, what needs attention, charts, one row per secret; never a value')
    .option('--format <format>', `${REPORT_FORMATS.join(' | ')} (default: md, or json with --json)`)
    .option('--out <file>', 'write here, created 0600, instead of to stdout')
    .option('--force', 'replace --out when it exists (it ends 0600 too)')
    .action(
      run(async (ctx, o: { format?: string; out?: string; force?: boolean }) => {
        const format = formatOf(o.format, ctx.json);
        if (o.force && o.out === undefined) throw new CofferError('VALIDATION', '--force replaces an --out file; without --out the report goes to stdout', 'force');
        if (o.out !== undefined && !o.force) checkFree(o.out, 'out');
        const session = await ctx.unlock();
        const { reviewReport } = await import('../../core/review/report.js');
        const { reportParts } = await import('../../core/review/formats/index.js');
        const report = reviewReport(session);
        const parts = reportParts(format, report);
        if (o.out === undefined) {
          for (const piece of coalesced(parts)) process.stdout.write(piece);
          return;
        }
        writePrivateFile(o.out, parts, { replace: o.force ?? false, field: 'out' });
        if (ctx.json) return printJson({ out: o.out, format, secrets: report.secrets.length });
        print(`Wrote the ${format} report of ${report.secrets.length} secret(s) to ${o.out}.`);
      }),
    );
}
