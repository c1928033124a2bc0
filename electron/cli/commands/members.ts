import type { Command } from 'commander';
import { ROLE_LABELS } from '../../../shared/schemas/vault';
import { addMember, listMembers, removeMember, setMemberRole } from '../../core/vault/members';
import type { Action } from '../program';
import { day, print, printJson, table } from '../output';

const ROLE_HELP = 'account-holder | sys-admin | account-manager | member';

export function registerMemberCommands(program: Command, run: Action): void {
  const member = program.command('member').description('members of the vault and their roles');

  member
    .command('add')
    .description("add a member; their own password comes from the next stdin line or a prompt")
    .argument('<name>', 'login name')
    .requiredOption('--role <role>', ROLE_HELP)
    .action(
      run(async (ctx, name: string, opts: { role: string }) => {
        const session = await ctx.unlock();
        const password = await ctx.input.newPassword(`the password for ${name}`);
        const m = addMember(session, { name, role: opts.role, password });
        if (ctx.json) return printJson(m);
        print(`Added ${m.name} as ${ROLE_LABELS[m.role]}.`);
      }),
    );

  member
    .command('list')
    .description('members and their roles')
    .action(
      run(async (ctx) => {
        const members = listMembers(await ctx.unlock());
        if (ctx.json) return printJson(members);
        print(table(['MEMBER', 'ROLE', 'SINCE'], members.map((m) => [m.name, ROLE_LABELS[m.role], day(m.created)])));
      }),
    );

  member
    .command('role')
    .description("change a member's role; losing team management rotates the teams they are not in")
    .argument('<name>', 'login name')
    .argument('<role>', ROLE_HELP)
    .action(
      run(async (ctx, name: string, role: string) => {
        const m = setMemberRole(await ctx.unlock(), name, role);
        if (ctx.json) return printJson(m);
        print(`${m.name} is now ${ROLE_LABELS[m.role]}.`);
      }),
    );

  member
    .command('remove')
    .description('remove a member: their personal secrets are deleted, every shared scope they held is rotated and its secrets get new data keys')
    .argument('<name>', 'login name')
    .action(
      run(async (ctx, name: string) => {
        removeMember(await ctx.unlock(), name);
        if (ctx.json) return printJson({ removed: name });
        print(`Removed ${name}; every scope they could read has a new key, and its secrets new data keys.`);
      }),
    );
}
