import type { Command } from 'commander';
import { addMember, listMembers, removeMember, setMemberRole } from '../../core/vault/members';
import type { Action } from '../program';
import { day, print, printJson, table } from '../output';

const ROLE_HELP = 'account-holder | sys-admin | account-manager | member, or a custom role\'s name';

export function registerMemberCommands(program: Command, run: Action): void {
  const member = program.command('member').description('members of the vault and their roles');

  member
    .command('add')
    .description('add a member: they type their own password at the prompt (or the next stdin line), or get a one-time setup code')
    .argument('<name>', 'login name')
    .requiredOption('--role <role>', ROLE_HELP)
    .option('--setup-code', 'print a one-time code to hand over instead; they choose their password with `coffer passwd` at their first unlock')
    .action(
      run(async (ctx, name: string, opts: { role: string; setupCode?: boolean }) => {
        const session = await ctx.unlock();
        const password = opts.setupCode ? undefined : await ctx.input.newPassword(`the password for ${name} (let them type it)`);
        const m = addMember(session, { name, role: opts.role, password });
        if (ctx.json) return printJson(m);
        print(`Added ${m.name} as ${m.roleName}.`);
        if (m.setupCode) {
          print(`One-time setup code (shown once): ${m.setupCode}`);
          print(`Hand it to ${m.name} in person or over a channel you trust; they unlock with it and choose their password with \`coffer passwd\`.`);
        }
      }),
    );

  member
    .command('list')
    .description('members and their roles')
    .action(
      run(async (ctx) => {
        const members = listMembers(await ctx.unlock());
        if (ctx.json) return printJson(members);
        print(table(['MEMBER', 'ROLE', 'SINCE', 'LAST UNLOCK'], members.map((m) => [m.name, m.roleName, day(m.created), m.lastUnlock ? day(m.lastUnlock) : 'never'])));
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
        print(`${m.name} is now ${m.roleName}.`);
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
