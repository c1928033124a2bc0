import type { Command } from 'commander';
import { Option } from 'commander';
import { existsSync, rmSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import { auditProblem } from '../../core/audit/verify';
import { createPrivateFile } from '../../core/db/files';
import { Vault } from '../../core/vault/vault';
import type { Action } from '../program';
import { day, print, printJson, table, warn } from '../output';

export function registerVaultCommands(program: Command, run: Action): void {
  program
    .command('init')
    .description('create a vault: the organization and its first member, the Account Holder')
    .requiredOption('--org <name>', 'organization name')
    .requiredOption('--member <name>', 'the first member (Account Holder)')
    .addOption(new Option('--kdf <profile>', 'key derivation profile; fast is for tests only').choices(['standard', 'fast']).default('standard'))
    .action(
      run(async (ctx, opts: { org: string; member: string; kdf: 'standard' | 'fast' }) => {
        const path = ctx.vaultPath;
        if (existsSync(path)) throw new CofferError('CONFLICT', `a file already exists at ${path}`, 'vault');
        const password = await ctx.input.newPassword(`the password for ${opts.member}`);
        const vault = await Vault.create(path, { org: opts.org, member: opts.member, password, kdf: opts.kdf });
        const info = vault.info();
        vault.close();
        if (ctx.json) return printJson({ path, id: info.id, organization: info.organization, member: opts.member, kdf: opts.kdf });
        print(`Created the vault of ${info.organization} at ${path}; ${opts.member} is its Account Holder.`);
        if (opts.kdf === 'fast') warn('the fast KDF profile is for tests only: a stolen file is easy to attack');
      }),
    );

  program
    .command('info')
    .description('what the vault file shows without a password')
    .action(
      run(async (ctx) => {
        const vault = await ctx.open();
        const info = vault.info();
        // Without a password only what anyone can check: the end of the chain and its recorded breaks.
        const auditBroken = auditProblem(vault.db);
        const integrity = { ...(auditBroken ? { auditBroken } : {}), ...(ctx.rollback ? { rolledBack: ctx.rollback } : {}) };
        if (auditBroken) warn(`the audit log is broken at entry ${auditBroken.brokenAt}: ${auditBroken.reason}`);
        if (ctx.json) return printJson({ path: ctx.vaultPath, ...info, integrity });
        const lines = [
          `Vault         ${ctx.vaultPath}`,
          `Organization  ${info.organization}`,
          `Id            ${info.id}`,
          `Created       ${day(info.created)}`,
          `Format        ${info.format}`,
          `KDF profile   ${info.kdfProfile}${info.kdfProfile === 'fast' ? '  (tests only: weak against a stolen file)' : ''}`,
          `Secrets       ${info.secrets.total} (${info.secrets.active} active, ${info.secrets.inactive} inactive, ${info.secrets.scheduled} scheduled for deletion)`,
          '',
          table(
            ['MEMBER', 'ROLE', 'SINCE'],
            info.members.map((m) => [m.name, m.roleName, day(m.created)]),
          ),
          '',
          info.workspaces.length ? `Workspaces    ${info.workspaces.map((w) => w.name).join(', ')}` : 'Workspaces    none',
          info.teams.length ? `Teams         ${info.teams.map((t) => t.name).join(', ')}` : 'Teams         none',
        ];
        print(lines.join('\n'));
      }),
    );

  program
    .command('passwd')
    .description('change your password (current password, then the new one)')
    .action(
      run(async (ctx) => {
        const vault = await ctx.open();
        const current = await ctx.input.password('the current password');
        const session = await vault.unlock(ctx.options.as, current);
        const next = await ctx.input.newPassword('the new password');
        vault.changePassword(session, current, next);
        session.lock();
        if (ctx.json) return printJson({ changed: true, member: session.member.login });
        print(`Password changed for ${session.member.login}.`);
      }),
    );

  program
    .command('backup')
    .description('copy the vault consistently, even while it is in use')
    .argument('<file...>', 'FILE, or VAULT FILE')
    .action(
      run(async (ctx, files: string[]) => {
        if (files.length > 2) throw new CofferError('VALIDATION', 'give FILE, or VAULT FILE');
        const [source, target] = files.length === 2 ? [files[0]!, files[1]!] : [ctx.vaultPath, files[0]!];
        if (existsSync(target)) throw new CofferError('CONFLICT', `${target} already exists`, 'file');
        const vault = await Vault.open(source, { readOnly: true });
        try {
          // Owner-only from its first byte: the backup API writes into the file as it finds it.
          createPrivateFile(target);
          await vault.db.raw.backup(target);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CofferError('CONFLICT', `${target} already exists`, 'file');
          rmSync(target, { force: true });
          throw e;
        } finally {
          vault.close();
        }
        if (ctx.json) return printJson({ source, backup: target });
        print(`Backed up ${source} to ${target}.`);
      }),
    );
}
