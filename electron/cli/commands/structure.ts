import type { Command } from 'commander';
import {
  addTeam,
  addTeamMember,
  addWorkspace,
  deleteTeam,
  deleteWorkspace,
  listTeams,
  listWorkspaces,
  removeTeamMember,
  renameTeam,
  renameWorkspace,
} from '../../core/vault/structure';
import type { Action } from '../program';
import { day, print, printJson, table } from '../output';

export function registerStructureCommands(program: Command, run: Action): void {
  const ws = program.command('workspace').description('workspaces: named groups of secrets');
  ws.command('add')
    .argument('<name>', "the new workspace's name")
    .description('create a workspace')
    .action(
      run(async (ctx, name: string) => {
        const w = addWorkspace(await ctx.unlock(), name);
        if (ctx.json) return printJson(w);
        print(`Created workspace ${w.name}.`);
      }),
    );
  ws.command('list')
    .description('workspaces')
    .action(
      run(async (ctx) => {
        const list = listWorkspaces(await ctx.unlock());
        if (ctx.json) return printJson(list);
        print(list.length ? table(['WORKSPACE', 'CREATED'], list.map((w) => [w.name, day(w.created)])) : 'No workspaces yet: coffer workspace add NAME');
      }),
    );
  ws.command('rename')
    .argument('<old>', 'its current name')
    .argument('<new>', 'its new name')
    .description('rename a workspace')
    .action(
      run(async (ctx, from: string, to: string) => {
        const w = renameWorkspace(await ctx.unlock(), from, to);
        if (ctx.json) return printJson(w);
        print(`Renamed workspace ${from} to ${w.name}.`);
      }),
    );
  ws.command('delete')
    .argument('<name>', "the workspace's name")
    .description('delete an empty workspace (refused, with the count, while secrets live in it)')
    .action(
      run(async (ctx, name: string) => {
        deleteWorkspace(await ctx.unlock(), name);
        if (ctx.json) return printJson({ deleted: name });
        print(`Deleted workspace ${name}.`);
      }),
    );

  const team = program.command('team').description('teams: who may read team-only organization secrets');
  team
    .command('add')
    .argument('<name>', "the new team's name")
    .description('create a team')
    .action(
      run(async (ctx, name: string) => {
        const t = addTeam(await ctx.unlock(), name);
        if (ctx.json) return printJson(t);
        print(`Created team ${t.name}.`);
      }),
    );
  team
    .command('list')
    .description('teams and their members')
    .action(
      run(async (ctx) => {
        const list = listTeams(await ctx.unlock());
        if (ctx.json) return printJson(list);
        print(list.length ? table(['TEAM', 'MEMBERS', 'CREDENTIALS', 'CREATED'], list.map((t) => [t.name, t.members.join(', ') || '—', t.credentials.join(', ') || '—', day(t.created)])) : 'No teams yet: coffer team add NAME');
      }),
    );
  team
    .command('rename')
    .argument('<old>', 'its current name')
    .argument('<new>', 'its new name')
    .description('rename a team')
    .action(
      run(async (ctx, from: string, to: string) => {
        const t = renameTeam(await ctx.unlock(), from, to);
        if (ctx.json) return printJson(t);
        print(`Renamed team ${from} to ${t.name}.`);
      }),
    );
  team
    .command('delete')
    .argument('<name>', "the team's name")
    .description('delete a team (refused while it is the only reader of a secret)')
    .action(
      run(async (ctx, name: string) => {
        deleteTeam(await ctx.unlock(), name);
        if (ctx.json) return printJson({ deleted: name });
        print(`Deleted team ${name}.`);
      }),
    );
  team
    .command('add-member')
    .argument('<team>', "the team's name")
    .argument('<member>', "the member's login")
    .description('add a member to a team')
    .action(
      run(async (ctx, teamName: string, login: string) => {
        const t = addTeamMember(await ctx.unlock(), teamName, login);
        if (ctx.json) return printJson(t);
        print(`${login} is now in team ${t.name}.`);
      }),
    );
  team
    .command('remove-member')
    .argument('<team>', "the team's name")
    .argument('<member>', "the member's login")
    .description("remove a member from a team; unless their role manages teams, the team's key is rotated and its secrets get new data keys")
    .action(
      run(async (ctx, teamName: string, login: string) => {
        const t = removeTeamMember(await ctx.unlock(), teamName, login);
        if (ctx.json) return printJson(t);
        print(`${login} is no longer in team ${t.name}.`);
      }),
    );
}
