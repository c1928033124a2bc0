import type { Command } from 'commander';
import { CofferError } from '../../../shared/errors';
import { OPERATIONS } from '../../../shared/schemas/roles';
import type { IssuedKey } from '../../../shared/schemas/accounts';
import { addAccountKey, createAccount, deleteAccount, deleteAccountKey, listAccounts, renewAccountKey } from '../../core/vault/accounts';
import { createCredential, editCredentialTeams, listCredentials, revokeCredential } from '../../core/vault/credentials';
import { defineRole, deleteRole, listRoles, updateRole } from '../../core/vault/roles';
import type { Action } from '../program';
import { day, print, printJson, table } from '../output';

/** `--teams A,B` and `--ops a,b`: comma lists, blanks dropped. */
const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
/** Seed 004 gives times in Unix seconds. */
const unix = (ms: number) => Math.floor(ms / 1000);
const keyJson = (k: IssuedKey) => ({ keyId: k.keyId, created: unix(k.created), secret: k.secret, expires: k.expires === null ? null : unix(k.expires) });

function printKey(k: IssuedKey, verb: string): void {
  print(`${verb} key ${k.keyId}${k.expires ? `, expires ${day(k.expires)}` : ''}.`);
  print(`Secret (shown once): ${k.secret}`);
  print('Copy it now: it is not shown again. Pipelines set COFFER_KEY_SECRET; REST clients send it as a Bearer token.');
}

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
    .argument('<name>', "the new role's name")
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
    .argument('<name>', "the custom role's name")
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
    .argument('<name>', "the custom role's name")
    .action(
      run(async (ctx, name: string) => {
        deleteRole(await ctx.unlock(), name);
        if (ctx.json) return printJson({ deleted: name });
        print(`Deleted role ${name}.`);
      }),
    );

  const account = program.command('account').description('service accounts: non-human members with a role, and their keys');
  account
    .command('create')
    .description('create a service account; its first key is printed once')
    .argument('<name>', "the new account's name")
    .requiredOption('--role <role>', "a built-in role (not account-holder) or a custom role's name")
    .option('--workspace <workspace>', 'a workspace-level account: it reads that workspace only')
    .option('--basic-auth', 'allow Basic keyId:secret besides Bearer secret over REST')
    .option('--expires <date>', "the first key's expiry, YYYY-MM-DD")
    .action(
      run(async (ctx, name: string, o: { role: string; workspace?: string; basicAuth?: boolean; expires?: string }) => {
        const a = createAccount(await ctx.unlock(), { name, role: o.role, workspace: o.workspace, enableBasicAuth: o.basicAuth ?? false, expires: o.expires });
        if (ctx.json) return printJson({ id: a.id, name: a.name, enableBasicAuth: a.enableBasicAuth, created: unix(a.created), keys: a.keys.map(keyJson) });
        print(`Created service account ${a.name} (id ${a.id}).`);
        printKey(a.keys[0]!, 'Its first');
      }),
    );
  account
    .command('list')
    .description('service accounts: name, level, role and keys')
    .action(
      run(async (ctx) => {
        const list = listAccounts(await ctx.unlock());
        if (ctx.json) return printJson(list);
        if (!list.length) return print('No service accounts yet: coffer account create NAME --role ROLE');
        print(
          table(
            ['ACCOUNT', 'ID', 'LEVEL', 'ROLE', 'KEYS', 'CREATED'],
            list.map((a) => [a.name, a.id, a.workspace ? `workspace ${a.workspace}` : 'organization', a.roleName, String(a.keys.length), day(a.created)]),
          ),
        );
      }),
    );
  account
    .command('delete')
    .description('delete a service account and its keys; every scope it held is rotated')
    .argument('<id>', 'its id (or name)')
    .action(
      run(async (ctx, id: string) => {
        deleteAccount(await ctx.unlock(), id);
        if (ctx.json) return printJson({ deleted: id });
        print(`Deleted service account ${id}; the scopes it could read have new keys.`);
      }),
    );
  const key = account.command('key').description("a service account's keys");
  key
    .command('add')
    .description('issue another key; its secret is printed once')
    .argument('<id>', 'the account id (or name)')
    .option('--expires <date>', 'YYYY-MM-DD: refused from that day on')
    .action(
      run(async (ctx, id: string, o: { expires?: string }) => {
        const k = addAccountKey(await ctx.unlock(), id, { expires: o.expires });
        if (ctx.json) return printJson(keyJson(k));
        printKey(k, 'Added');
      }),
    );
  key
    .command('renew')
    .description('a new secret for a key: the old one stops working at once and cannot be recovered')
    .argument('<id>', 'the account id (or name)')
    .argument('<keyId>', "the key id, as `account list` shows it")
    .action(
      run(async (ctx, id: string, keyId: string) => {
        const k = renewAccountKey(await ctx.unlock(), id, keyId);
        if (ctx.json) return printJson(keyJson(k));
        printKey(k, 'Renewed');
      }),
    );
  key
    .command('delete')
    .description('delete a key; the scopes it could read are rotated')
    .argument('<id>', 'the account id (or name)')
    .argument('<keyId>', "the key id, as `account list` shows it")
    .action(
      run(async (ctx, id: string, keyId: string) => {
        deleteAccountKey(await ctx.unlock(), id, keyId);
        if (ctx.json) return printJson({ deleted: keyId });
        print(`Deleted key ${keyId}.`);
      }),
    );

  const credential = program.command('credential').description('service credentials: what a pipeline reads its teams\' secrets with');
  credential
    .command('create')
    .description('create a credential; its Client Id, Client Secret and Realm are printed once')
    .argument('<name>', "the new credential's name")
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
    .argument('<name>', "the credential's name")
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
    .argument('<name>', "the credential's name")
    .requiredOption('--confirm <name>', "the credential's name, exactly")
    .action(
      run(async (ctx, name: string, o: { confirm: string }) => {
        revokeCredential(await ctx.unlock(), name, o.confirm);
        if (ctx.json) return printJson({ revoked: name });
        print(`Revoked ${name}: pipelines using it now fail with AUTH, and its teams have new keys.`);
      }),
    );
}
