import type { Command } from 'commander';
import { CofferError } from '../../../shared/errors';
import { LEVELS } from '../../../shared/schemas/secrets';
import { noticeText } from '../../../shared/schemas/lifecycle';
import { auditQuery, AUDIT_FORMATS, AUDIT_LIMIT } from '../../../shared/schemas/lifecycle';
import type { AuditFormat } from '../../../shared/schemas/lifecycle';
import { parseInput } from '../../../shared/validation';
import { readAudit, verifyAuditFor } from '../../core/audit/access';
import { withRollback } from '../../core/audit/rollback';
import { cancelDeletion, deleteNow, scheduleDeletion } from '../../core/lifecycle/actions';
import { listNotices, markNoticesRead } from '../../core/lifecycle/notices';
import type { Action } from '../program';
import { SECRET_NAME_ARG, scopeOptions } from './secrets';
import { dateTime, day, iso, print, printJson, table } from '../output';
import { checkFree, writePrivateFile } from '../private-file';

function dateFlag(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new CofferError('VALIDATION', `${value} is not a date (YYYY-MM-DD)`, field);
  return ms;
}

/** `--format` of `audit list`: a table for people, or a file's format; `--json` alone keeps meaning JSON. */
function auditFormatOf(format: string | undefined, json: boolean, toFile: boolean): AuditFormat | 'table' {
  const chosen = format ?? (json ? 'json' : toFile ? 'csv' : 'table');
  if (chosen === 'table' && !toFile) return chosen;
  if (!(AUDIT_FORMATS as readonly string[]).includes(chosen)) throw new CofferError('VALIDATION', `the format is one of ${toFile ? '' : 'table, '}${AUDIT_FORMATS.join(', ')}`, 'format');
  return chosen as AuditFormat;
}

function limitFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > AUDIT_LIMIT) throw new CofferError('VALIDATION', `--limit is a whole number from 1 to ${AUDIT_LIMIT}`, 'limit');
  return n;
}

export function registerLifecycleCommands(program: Command, secret: Command, run: Action): void {
  scopeOptions(secret.command('schedule-delete').description('schedule a secret for deletion (purged after the deletion period)').argument('<name>', SECRET_NAME_ARG))
    .requiredOption('--confirm <word>', 'type DELETE to confirm')
    .action(
      run(async (ctx, name: string, o: { confirm: string; level?: (typeof LEVELS)[number]; workspace?: string }) => {
        const s = scheduleDeletion(await ctx.unlock(), { name, level: o.level, workspace: o.workspace }, o.confirm);
        if (ctx.json) return printJson({ name: s.name, status: s.status, deletion: iso(s.deletion) });
        print(`"${s.name}" is scheduled for deletion on ${day(s.deletion)}; cancel with: coffer secret cancel-delete "${s.name}"`);
      }),
    );

  scopeOptions(secret.command('cancel-delete').description('cancel a scheduled deletion: the secret is Active again').argument('<name>', SECRET_NAME_ARG)).action(
    run(async (ctx, name: string, o: { level?: (typeof LEVELS)[number]; workspace?: string }) => {
      const s = cancelDeletion(await ctx.unlock(), { name, level: o.level, workspace: o.workspace });
      if (ctx.json) return printJson({ name: s.name, status: s.status });
      print(`"${s.name}" is Active again.`);
    }),
  );

  scopeOptions(secret.command('delete').description('delete a secret now: irreversible').argument('<name>', SECRET_NAME_ARG))
    .option('--now', 'delete at once (required: scheduling is `schedule-delete`)')
    .requiredOption('--confirm <word>', 'type DELETE to confirm')
    .action(
      run(async (ctx, name: string, o: { now?: boolean; confirm: string; level?: (typeof LEVELS)[number]; workspace?: string }) => {
        if (!o.now) throw new CofferError('VALIDATION', 'deleting is irreversible: pass --now (or use schedule-delete)', 'now');
        deleteNow(await ctx.unlock(), { name, level: o.level, workspace: o.workspace }, o.confirm);
        if (ctx.json) return printJson({ deleted: name });
        print(`Deleted "${name}" and every revision of it.`);
      }),
    );

  program
    .command('tick')
    .description('one scheduler pass now, unlocked (purges need the password): inactivity, notices, purges')
    .action(
      run(async (ctx) => {
        await ctx.unlock({ tamperedSettings: 'fail' });
        const r = ctx.passes;
        if (ctx.json) return printJson(r);
        print(`${r.inactivated} became inactive, ${r.notices} new notices, ${r.purged} purged.`);
      }),
    );

  program
    .command('notices')
    .description('deletion and expiration notices')
    .option('--all', 'include notices already read')
    .option('--mark-read', 'mark the listed notices read')
    .action(
      run(async (ctx, o: { all?: boolean; markRead?: boolean }) => {
        const session = await ctx.unlock();
        const list = listNotices(session, { all: o.all });
        if (o.markRead) markNoticesRead(session, list.map((n) => n.id));
        if (ctx.json) return printJson(list.map((n) => ({ ...n, dueAt: iso(n.dueAt), createdAt: iso(n.createdAt) })));
        if (list.length === 0) return print(o.all ? 'No notices.' : 'No unread notices.');
        print(table(['WHEN', 'NOTICE', 'ON'], list.map((n) => [day(n.createdAt), noticeText(n), day(n.dueAt)])));
      }),
    );

  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('list')
    .description('entries, newest first, secrets by the names you can read (a deleted one by its last known name)')
    .option('--actor <member>', 'only this actor')
    .option('--action <action>', 'only this action (e.g. secret.get, or secret for all of them)')
    .option('--since <date>', 'from this date (YYYY-MM-DD)')
    .option('--until <date>', 'before this date (YYYY-MM-DD)')
    .option('--search <text>', 'actor, action, target id, or the name of a secret you can read')
    .option('--limit <n>', `at most this many entries (default 1000, at most ${AUDIT_LIMIT})`)
    .option('--format <format>', `table | ${AUDIT_FORMATS.join(' | ')} (default: table, or json with --json)`)
    .option('--out <file>', 'write here, created 0600, instead of to stdout (csv or json)')
    .option('--force', 'replace --out when it exists (it ends 0600 too)')
    .action(
      run(async (ctx, o: { actor?: string; action?: string; since?: string; until?: string; search?: string; limit?: string; format?: string; out?: string; force?: boolean }) => {
        const format = auditFormatOf(o.format, ctx.json, o.out !== undefined);
        if (o.force && o.out === undefined) throw new CofferError('VALIDATION', '--force replaces an --out file; without --out the entries go to stdout', 'force');
        if (o.out !== undefined && !o.force) checkFree(o.out, 'out');
        const query = { actor: o.actor, action: o.action, since: dateFlag(o.since, 'since'), until: dateFlag(o.until, 'until'), search: o.search, limit: limitFlag(o.limit) };
        const list = readAudit(await ctx.unlock(), parseInput(auditQuery, query));
        if (format !== 'table') {
          const { renderAudit } = await import('../../core/audit/export.js');
          const text = renderAudit(format, list);
          if (o.out === undefined) return void process.stdout.write(text);
          writePrivateFile(o.out, text, { replace: o.force ?? false, field: 'out' });
          if (ctx.json) return printJson({ out: o.out, format, entries: list.length });
          return print(`Wrote ${list.length} audit entries as ${format} to ${o.out}.`);
        }
        if (list.length === 0) return print('No entries.');
        const keyed = (e: (typeof list)[number]) => (e.origin === 'session' ? '' : e.origin);
        const target = (e: (typeof list)[number]) => (e.targetName === undefined ? (e.target ?? '') : `${e.targetName}${e.targetDeleted ? ' (deleted)' : ''}`);
        print(table(['#', 'WHEN', 'ACTOR', 'ACTION', 'TARGET', 'WITHOUT KEY'], list.map((e) => [String(e.seq), dateTime(e.at), e.actorName ?? e.actor, e.action, target(e), keyed(e)])));
      }),
    );
  audit
    .command('verify')
    .description('check the hash chain; exit 4 naming the first broken entry')
    .action(
      run(async (ctx) => {
        const v = withRollback(verifyAuditFor(await ctx.unlock()), ctx.rollback);
        if (!v.ok) throw new CofferError('TAMPERED', `the audit log is broken at entry ${v.brokenAt}: ${v.reason}`);
        if (ctx.json) return printJson(v);
        const unkeyed = v.unauthenticated === 0 ? '' : `; ${v.unauthenticated} of them written without a key (marked "locked" or "legacy" by audit list), which nobody vouched for`;
        print(`The audit log is intact: ${v.entries} entries${unkeyed}.`);
      }),
    );
}
