import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { CofferError } from '../../../shared/errors';
import { STATUS_LABELS, USAGE_DOOR_LABELS, availabilityLabel, usageHowText } from '../../../shared/labels';
import type { RegisterSecretInput, SecretRef, SecretSummary, SecretType, SortKey } from '../../../shared/schemas/secrets';
import { LEVELS, SECRET_TYPES, STATUSES, TYPE_LABELS } from '../../../shared/schemas/secrets';
import { getSecretValue, listSecrets, resolveSecret, secretUsage, showSecret } from '../../core/secrets/reading';
import { registerSecret } from '../../core/secrets/registration';
import { editSecret, restoreRevision, secretHistory } from '../../core/secrets/revisions';
import { unreadableSecrets } from '../../core/vault/damage';
import type { Action } from '../program';
import { dateTime, day, iso, print, printJson, table, warn } from '../output';
import type { FieldFlags } from './secret-fields';
import { checkFlags, editFields, fieldOptions, registerFields, removalOptions } from './secret-fields';

interface ScopeFlags {
  level?: (typeof LEVELS)[number];
  workspace?: string;
}

const MASK = '••••••••';

/** The `<name>` of every command that acts on one secret. */
export const SECRET_NAME_ARG = 'the Secret Name (add --level or --workspace when it exists in several places)';

/** `--level` and `--workspace`: which secret, when a name exists at several levels. */
export const scopeOptions = (cmd: Command): Command =>
  cmd
    .addOption(new Option('--level <level>', 'organization | workspace | personal').choices(LEVELS))
    .option('--workspace <name>', 'the workspace, for workspace secrets');

const ref = (name: string, o: ScopeFlags): SecretRef => ({ name, level: o.level, workspace: o.workspace });

function toJson(s: SecretSummary) {
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    level: s.level,
    workspace: s.workspace,
    availability: s.availability,
    teams: s.teams,
    created: iso(s.created),
    expires: iso(s.expires),
    status: s.status,
    lastUsed: iso(s.lastUsed),
    ...(s.tampered ? { tampered: true } : {}),
  };
}

function rows(items: SecretSummary[]): string[][] {
  return items.map((s) => [
    // A damaged row keeps its verified name; only a name that did not verify is unreadable (docs/product.md §1a).
    !s.tampered ? s.name : s.name === '' ? '(unreadable: failed verification)' : `${s.name} (tampered: its row in the file)`,
    TYPE_LABELS[s.type],
    availabilityLabel(s),
    day(s.created),
    day(s.expires),
    STATUS_LABELS[s.status],
    day(s.lastUsed),
  ]);
}

const SORT_FLAGS: Record<string, SortKey> = {
  name: 'name',
  type: 'type',
  availability: 'availability',
  created: 'created',
  expires: 'expires',
  status: 'status',
  'last-used': 'lastUsed',
  deletion: 'deletion',
};

export function registerSecretCommands(program: Command, run: Action): Command {
  const secret = program.command('secret').description('register, find, read and edit secrets');

  fieldOptions(
    secret
      .command('add')
      .description('register a secret (values from stdin, a prompt or a file; never from argv)')
      .addArgument(new Argument('<type>', SECRET_TYPES.join(' | ')).choices(SECRET_TYPES))
      .argument('<name>', 'Secret Name')
      .addOption(new Option('--level <level>', 'organization | workspace | personal').choices(LEVELS).default('personal'))
      .option('--workspace <name>', 'the workspace, for workspace secrets')
      .option('--teams <teams>', 'organization secrets: only these teams (comma-separated) may read it')
      .option('--expires <date>', 'Expiration Date, YYYY-MM-DD'),
  ).action(
    run(async (ctx, type: SecretType, name: string, o: FieldFlags & ScopeFlags & { teams?: string; expires?: string }) => {
      checkFlags(type, o);
      const session = await ctx.unlock();
      const input = {
        type,
        name,
        level: o.level,
        workspace: o.workspace,
        teams: o.teams?.split(',').map((t) => t.trim()).filter(Boolean),
        expires: o.expires,
        fields: await registerFields(ctx, type, o),
      } as RegisterSecretInput;
      const s = registerSecret(session, input);
      if (ctx.json) return printJson(toJson(s));
      print(`Registered ${TYPE_LABELS[s.type]} "${s.name}" (${availabilityLabel(s)})${s.expires ? `, expires ${day(s.expires)}` : ''}.`);
      if (s.expires !== null && s.expires < Date.now()) warn(`"${s.name}" expired on ${day(s.expires)}`);
    }),
  );

  scopeOptions(secret.command('list').description('secrets you can read; never their values'))
    .addOption(new Option('--type <type>', SECRET_TYPES.join(' | ')).choices(SECRET_TYPES))
    .addOption(new Option('--status <status>', STATUSES.join(' | ')).choices(STATUSES))
    .option('--search <text>', 'names containing this text')
    .addOption(new Option('--sort <column>', 'sort column').choices(Object.keys(SORT_FLAGS)).default('name'))
    .option('--desc', 'sort descending')
    .action(
      run(async (ctx, o: ScopeFlags & { type?: SecretType; status?: (typeof STATUSES)[number]; search?: string; sort: string; desc?: boolean }) => {
        const session = await ctx.unlock();
        const listing = listSecrets(session, {
          level: o.level,
          workspace: o.workspace,
          type: o.type,
          status: o.status,
          search: o.search,
          sort: SORT_FLAGS[o.sort],
          desc: o.desc ?? false,
        });
        if (ctx.json) return printJson(listing.items.map(toJson));
        if (listing.items.length === 0) {
          // An empty listing because a key does not open is not an empty vault (the warnings above name the scope).
          const unreadable = unreadableSecrets(session);
          const none = unreadable ? `No secret you can read: ${unreadable} cannot be read (see the warnings above).` : 'No secrets yet: coffer secret add TYPE NAME';
          print(listing.total === 0 ? none : `No secret matches (of ${listing.total}).`);
          return;
        }
        print(table(['NAME', 'TYPE', 'AVAILABILITY', 'CREATED', 'EXPIRES', 'STATUS', 'LAST USED'], rows(listing.items)));
        if (listing.matched !== listing.total) print(`\n${listing.matched} of ${listing.total} secrets`);
      }),
    );

  scopeOptions(secret.command('show').description('fields of a secret, values masked').argument('<name>', SECRET_NAME_ARG)).action(
    run(async (ctx, name: string, o: ScopeFlags) => {
      const d = showSecret(await ctx.unlock(), ref(name, o));
      if (ctx.json) return printJson({ ...toJson(d), revision: d.revision, fields: d.fields });
      const facts: [string, string][] = [
        ['Secret Name', d.name],
        ['Credential Type', TYPE_LABELS[d.type]],
        ['Availability', availabilityLabel(d)],
        ['Creation Date', day(d.created)],
        ['Expiration Date', day(d.expires) || '—'],
        ['Secret Status', STATUS_LABELS[d.status]],
        ['Last used', day(d.lastUsed) || 'never'],
        ['Revision', String(d.revision)],
        ...d.fields.map((f): [string, string] => [f.label, f.value === null ? MASK : f.value.includes('\n') ? `(${f.value.length} characters; coffer secret get --field ${f.key})` : f.value]),
      ];
      const width = Math.max(...facts.map(([k]) => k.length));
      print(facts.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
    }),
  );

  scopeOptions(
    secret
      .command('get')
      .description('print a value to stdout (and record the use)')
      .argument('<name>', SECRET_NAME_ARG)
      .option('--field <field>', 'which field (default: the main value; a key for key/value sets)')
      .option('--consumer <label>', 'what uses it (a job, a host), added to the "where used" record'),
  ).action(
    run(async (ctx, name: string, o: ScopeFlags & { field?: string; consumer?: string }) => {
      const v = getSecretValue(await ctx.unlock(), ref(name, o), { field: o.field, use: { door: 'cli', how: 'print', detail: o.consumer } });
      process.stdout.write(`${v.value}\n`);
    }),
  );

  // `--no-key` and `--no-expires` come after the options they negate, so neither defaults to true.
  removalOptions(
    scopeOptions(fieldOptions(secret.command('edit').description('change fields (every field edit is a new revision) or who can read an organization secret').argument('<name>', SECRET_NAME_ARG)))
      .option('--name <new>', 'rename the secret')
      .option('--expires <date>', 'Expiration Date, YYYY-MM-DD')
      .option('--no-expires', 'remove the Expiration Date'),
  )
    .option('--remove <key>', 'remove a key of a key/value set, repeatable', (v: string, all: string[] = []) => [...all, v])
    .option('--teams <teams>', 'organization secrets: make it readable only by these teams (comma-separated)')
    .addOption(new Option('--entire-organization', 'organization secrets: make it readable by the entire organization').conflicts('teams'))
    .action(
    run(async (ctx, name: string, o: FieldFlags & ScopeFlags & { name?: string; expires?: string | false; remove?: string[]; teams?: string; entireOrganization?: boolean }) => {
      const session = await ctx.unlock();
      const target = ref(name, o);
      const before = resolveSecret(session, target);
      checkFlags(before.type, o);
      const s = editSecret(session, {
        ref: target,
        name: o.name,
        expires: o.expires === false ? null : o.expires,
        fields: await editFields(ctx, before.type, o, o.remove),
        teams: o.entireOrganization ? null : o.teams === undefined ? undefined : o.teams.split(',').map((t) => t.trim()).filter(Boolean),
      });
      if (ctx.json) return printJson({ ...toJson(s), revision: s.revision });
      const availability = o.entireOrganization || o.teams !== undefined ? `available to ${availabilityLabel(s)}` : undefined;
      if (s.revision === before.revision && availability) return print(`"${s.name}" is now ${availability}.`);
      print(`Saved "${s.name}" as revision ${s.revision}${availability ? `, ${availability}` : ''}.`);
    }),
  );

  scopeOptions(secret.command('history').description('revisions: who changed which fields, when').argument('<name>', SECRET_NAME_ARG)).action(
    run(async (ctx, name: string, o: ScopeFlags) => {
      const list = secretHistory(await ctx.unlock(), ref(name, o));
      if (ctx.json) return printJson(list.map((r) => ({ ...r, created: iso(r.created) })));
      print(
        table(
          ['REVISION', 'WHEN', 'BY', 'CHANGED'],
          list.map((r) => [
            `${r.revision}${r.current ? ' (current)' : ''}`,
            dateTime(r.created),
            // An author no signature vouches for is not named (docs/product.md §1a).
            r.author ?? (r.authorUnverified ? '(unverified)' : '(removed member)'),
            r.tampered ? '(failed verification)' : r.revision === 1 ? 'registered' : `${r.restoredFrom ? `restored from ${r.restoredFrom}: ` : ''}${r.changed.join(', ')}`,
          ]),
        ),
      );
    }),
  );

  scopeOptions(secret.command('restore').description('make an old revision current (as a new revision)').argument('<name>', SECRET_NAME_ARG).argument('<revision>', 'the revision number, as `secret history` lists it')).action(
    run(async (ctx, name: string, revision: string, o: ScopeFlags) => {
      if (!/^\d+$/.test(revision)) throw new CofferError('VALIDATION', 'Revision must be a positive whole number', 'revision');
      const s = restoreRevision(await ctx.unlock(), ref(name, o), Number(revision));
      if (ctx.json) return printJson({ ...toJson(s), revision: s.revision });
      print(`Restored revision ${revision} of "${s.name}" as revision ${s.revision}.`);
    }),
  );

  scopeOptions(secret.command('usage').description('where and when a secret was used').argument('<name>', SECRET_NAME_ARG)).action(
    run(async (ctx, name: string, o: ScopeFlags) => {
      const u = secretUsage(await ctx.unlock(), ref(name, o));
      if (ctx.json) return printJson({ lastUsed: iso(u.lastUsed), entries: u.entries.map((e) => ({ ...e, at: iso(e.at) })) });
      if (u.entries.length === 0) return print('Never used.');
      // A record older than who/door/how shows its label under FROM: that is what it named.
      const rows = u.entries.map((e) =>
        e.door === null || e.how === null ? [dateTime(e.at, true), '-', e.consumer, '-'] : [dateTime(e.at, true), e.who ?? '-', USAGE_DOOR_LABELS[e.door], usageHowText(e.how, e.detail)],
      );
      print(table(['WHEN', 'WHO', 'FROM', 'HOW'], rows));
    }),
  );
  return secret;
}
