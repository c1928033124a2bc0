import type { Command } from 'commander';
import { CofferError } from '../../../shared/errors';
import { OPERATIONS } from '../../../shared/schemas/roles';
import { createCredential, editCredentialTeams, listCredentials, revokeCredential } from '../../core/vault/credentials';
import { defineRole, deleteRole, listRoles, updateRole } from '../../core/vault/roles';
import type { Action } from '../program';
import { day, print, printJson, table } from '../output';

/** `--teams A,B` and `--ops a,b`: comma lists, blanks dropped. */
const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
/** A repeatable option's values. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAccessCommands(program: Command, run: Action): void {
  const role = program.command('role').description('roles: the built-in ones and custom sets of permissions (Account Holders define them)');
  role
    .command('list')
    .description('every role, its permissions and how many members have it')
    .action(
      run(async (ctx) => {
        const roles = listRoles(await ctx.unlock());
        if (ctx.json) return printJson(roles);
        print(table(['ROLE', 'KIND', 'MEMBERS', 'PERMISSIONS'], roles.map((r) => [r.name, r.builtIn ? 'built-in' : 'custom', String(r.members), r.operations.join(' ')])));
      }),
    );
  role
    .command('add')
    .description('define a custom role')
    .argument('<name>')
    .requiredOption('--ops <operations>', `comma-separated: ${OPERATIONS.filter((o) => o !== 'member.grantAccountHolder').join(', ')}`)
    .action(
      run(async (ctx, name: string, o: { ops: string }) => {
        const r = defineRole(await ctx.unlock(), { name, operations: list(o.ops) });
        if (ctx.json) return printJson(r);
        print(`Defined role ${r.name}: ${r.operations.join(', ') || 'no permissions'}.`);
      }),
    );
  role
    .command('edit')
    .description("rename a custom role or replace its permissions; its members' keys follow at once")
    .argument('<name>')
    .option('--name <new>', 'new name')
    .option('--ops <operations>', 'the complete new set, comma-separated')
    .action(
      run(async (ctx, name: string, o: { name?: string; ops?: string }) => {
        if (o.name === undefined && o.ops === undefined) throw new CofferError('VALIDATION', 'give --name, --ops or both', 'ops');
        const r = updateRole(await ctx.unlock(), { role: name, name: o.name, operations: o.ops === undefined ? undefined : list(o.ops) });
        if (ctx.json) return printJson(r);
        print(`Role ${r.name}: ${r.operations.join(', ') || 'no permissions'}.`);
      }),
    );
  role
    .command('delete')
    .description('delete a custom role no member has')
    .argument('<name>')
    .action(
      run(async (ctx, name: string) => {
        deleteRole(await ctx.unlock(), name);
        if (ctx.json) return printJson({ deleted: name });
        print(`Deleted role ${name}.`);
      }),
    );

  const credential = program.command('credential').description('service credentials: what a pipeline reads its teams\' secrets with');
  credential
    .command('create')
    .description('create a credential; its Client Id, Client Secret and Realm are printed once')
    .argument('<name>')
    .option('--teams <teams>', 'comma-separated team names', '')
    .action(
      run(async (ctx, name: string, o: { teams: string }) => {
        const c = createCredential(await ctx.unlock(), { name, teams: list(o.teams) });
        if (ctx.json) return printJson(c);
        print(`Created service credential ${c.name}${c.teams.length ? ` for ${c.teams.join(', ')}` : ' (no teams yet)'}.`);
        print(`Client Id:     ${c.clientId}\nClient Secret: ${c.clientSecret}\nRealm:         ${c.realm}`);
        print('Copy them now: the Client Secret is not shown again. Pipelines set COFFER_CLIENT_ID and COFFER_CLIENT_SECRET.');
      }),
    );
  credential
    .command('list')
    .description('credentials: name, creator, teams, created, last used')
    .action(
      run(async (ctx) => {
        const creds = listCredentials(await ctx.unlock());
        if (ctx.json) return printJson(creds);
        if (!creds.length) return print('No service credentials yet: coffer credential create NAME --teams T');
        print(
          table(
            ['CREDENTIAL', 'CLIENT ID', 'CREATOR', 'TEAMS', 'CREATED', 'LAST USED'],
            creds.map((c) => [c.name, c.clientId, c.creator, c.teams.join(', ') || '—', day(c.created), c.lastUsed ? day(c.lastUsed) : 'never']),
          ),
        );
      }),
    );
  credential
    .command('teams')
    .description("change a credential's teams (the only thing that changes after creation); a team taken away is rotated")
    .argument('<name>')
    .option('--add <team>', 'add a team (repeatable)', collect)
    .option('--remove <team>', 'remove a team (repeatable)', collect)
    .action(
      run(async (ctx, name: string, o: { add?: string[]; remove?: string[] }) => {
        const c = editCredentialTeams(await ctx.unlock(), name, { add: o.add, remove: o.remove });
        if (ctx.json) return printJson(c);
        print(`${c.name} reads the secrets of: ${c.teams.join(', ') || 'no team'}.`);
      }),
    );
  credential
    .command('revoke')
    .description('revoke a credential (create its replacement first); its teams are rotated')
    .argument('<name>')
    .requiredOption('--confirm <name>', "the credential's name, exactly")
    .action(
      run(async (ctx, name: string, o: { confirm: string }) => {
        revokeCredential(await ctx.unlock(), name, o.confirm);
        if (ctx.json) return printJson({ revoked: name });
        print(`Revoked ${name}: pipelines using it now fail with AUTH, and its teams have new keys.`);
      }),
    );
}
