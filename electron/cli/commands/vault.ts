import type { Command } from 'commander';
import { Option } from 'commander';
import { existsSync, rmSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import { auditProblem } from '../../core/audit/verify';
import { checkVaultFile } from '../../core/db/connection';
import { createPrivateFile } from '../../core/db/files';
import type { SessionDamage } from '../../core/vault/doctor';
import { lostSecrets } from '../../core/vault/damage';
import { backupsBeside, sessionDamage } from '../../core/vault/doctor';
import { Vault } from '../../core/vault/vault';
import type { CliContext } from '../context';
import type { Action } from '../program';
import { dateTime, day, print, printJson, table, warn } from '../output';

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
    .command('doctor')
    .description('check the vault file and all your key opens: list what is damaged or unreadable, and the backups beside the vault')
    .action(run(doctor));

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

/** The unlocked part of the doctor's check, or why there is none: the file is checked either way. */
async function unlockedDamage(ctx: CliContext): Promise<{ member?: string; unlocked: boolean; damage?: SessionDamage; stopped?: CofferError }> {
  let vault: Vault | undefined;
  let member: string | undefined;
  let unlocked = false;
  try {
    // Read-only: the doctor writes nothing, not even the unlock's audit entry.
    vault = await Vault.open(ctx.vaultPath, { readOnly: true });
    member = vault.memberToUnlock(ctx.options.as);
    const session = await vault.unlock(ctx.options.as, await ctx.input.password(`the password for ${member}`));
    unlocked = true;
    try {
      return { member, unlocked, damage: sessionDamage(session) };
    } finally {
      session.lock();
    }
  } catch (e) {
    if (!(e instanceof CofferError)) throw e;
    return { member, unlocked, stopped: e };
  } finally {
    vault?.close();
  }
}

/**
 * `coffer doctor` (docs/product.md §1a, "Damage is reported"): SQLite's check of the file, then,
 * unlocked, every scope, name, secret state and value this member's key should open. Exit 0 when
 * nothing is damaged; TAMPERED when something is, naming the newest backup beside the vault.
 */
async function doctor(ctx: CliContext): Promise<void> {
  const path = ctx.vaultPath;
  if (!existsSync(path)) throw new CofferError('NOT_FOUND', `no vault at ${path}: pass --vault`, 'vault');
  const file = checkVaultFile(path);
  const { member, unlocked, damage, stopped } = await unlockedDamage(ctx);
  const backups = backupsBeside(path);
  const problems = file.length + (damage ? damage.findings.length + damage.unreadable.length + damage.secrets.length : 0) + (stopped?.code === 'TAMPERED' ? 1 : 0);
  if (ctx.json) {
    printJson({ path, file, member: member ?? null, unlocked, ...(stopped ? { stopped: stopped.toJSON() } : {}), ...damage, backups: backups.map((b) => b.path) });
  } else {
    const list = (items: string[]) => items.map((i) => `  - ${i}`);
    print(
      [
        `Vault       ${path}`,
        file.length ? `SQLite      ${file.length} problem(s) in the file:` : 'SQLite      the file passes its integrity check',
        ...list(file),
        unlocked ? `Unlocked    as ${member}` : `Unlocked    no (${stopped!.code}: ${stopped!.message}): only the file was checked`,
        // A damaged member row and a wrong password fail the same way: the sealed keys do not open.
        ...(stopped?.code === 'AUTH' && !unlocked ? ['  - if the password is right, your sealed keys in the file may be damaged: try it on a backup'] : []),
        ...(unlocked && stopped ? [`  - the check stopped: ${stopped.code}: ${stopped.message}`] : []),
        ...(damage
          ? [
              ...list(damage.findings),
              ...list(damage.unreadable.map((u) => `your key to ${u.scope} does not open: ${lostSecrets(u.secrets)}`)),
              ...list(damage.secrets.map((d) => `${d.place}: ${d.why}`)),
            ]
          : []),
        backups.length ? `Backups     newest: ${backups[0]!.path} (${dateTime(backups[0]!.modified)})` : 'Backups     none beside the vault (`coffer backup FILE` makes one)',
        problems ? `${problems} problem(s): restore the vault from a backup made before the damage.` : damage ? 'No damage found.' : '',
      ]
        .filter((l) => l !== '')
        .join('\n'),
    );
  }
  if (problems) throw new CofferError('TAMPERED', `the vault is damaged (${problems} problem(s), listed above): restore it from ${backups[0]?.path ?? 'a backup'}`);
  if (stopped) throw stopped;
}
