import type { Command } from 'commander';
import { Option } from 'commander';
import { CofferError } from '../../../shared/errors';
import type { BundleInfo, ImportResult, ImportStrategy } from '../../../shared/schemas/bundles';
import { IMPORT_STRATEGIES } from '../../../shared/schemas/bundles';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import type { SecretType } from '../../../shared/schemas/secrets';
import type { BundleRecipient, BundleSelection } from '../../core/bundles/export';
import { PLAIN_FORMATS } from '../../core/bundles/plain-formats';
import type { ForeignFormat } from '../../core/bundles/importers/foreign';
import { FOREIGN_FORMATS, FORMAT_LABELS } from '../../core/bundles/importers/foreign';
import { checkSettings } from '../../core/vault/settings';
import { Vault } from '../../core/vault/vault';
import type { CliContext } from '../context';
import { refuseFolder } from '../input-file';
import type { Action } from '../program';
import { basename } from 'node:path';
import { dateTime, iso, print, printJson, table } from '../output';
import type { ExportFlags } from './plain-export';
import { isPlainExport, plainExport } from './plain-export';

function selection(o: ExportFlags): BundleSelection {
  const given = [o.workspace !== undefined, o.secrets !== undefined, o.team !== undefined].filter(Boolean).length;
  if (given > 1) throw new CofferError('VALIDATION', 'choose one of --workspace, --secrets and --team');
  if (o.workspace !== undefined) return { kind: 'workspace', name: o.workspace };
  if (o.team !== undefined) return { kind: 'team', name: o.team };
  if (o.secrets !== undefined) {
    return { kind: 'secrets', names: o.secrets.split(',').map((n) => n.trim()).filter((n) => n.length > 0) };
  }
  return { kind: 'all' };
}

function recipientOf(to: string): BundleRecipient {
  const colon = to.indexOf(':');
  const kind = colon < 0 ? '' : to.slice(0, colon);
  const name = to.slice(colon + 1).trim();
  if (kind === 'member' && name) return { kind: 'member', name };
  if (kind === 'credential' && name) return { kind: 'credential', clientId: name };
  throw new CofferError('VALIDATION', `--to takes member:NAME or credential:CLIENT_ID, not "${to}"`, 'to');
}

/** A passphrase: the next stdin line after the password, or typed twice on a terminal. */
async function passphrase(ctx: CliContext, confirm: boolean): Promise<string> {
  const fromStdin = ctx.options.passwordStdin ?? false;
  const first = await ctx.input.secret('the bundle passphrase', 'passphrase', fromStdin);
  if (!confirm || fromStdin) return first;
  const again = await ctx.input.secret('the bundle passphrase again', 'passphrase', false);
  if (again !== first) throw new CofferError('VALIDATION', 'the two passphrases differ', 'passphrase');
  return first;
}

/** A bar on stderr while a terminal watches; nothing with --json or when piped (docs/cli.md). */
function progressBar(ctx: CliContext, verb: string, unit: (n: number) => string = String): ((done: number, total: number) => void) | undefined {
  if (ctx.json || !process.stderr.isTTY) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${verb} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${unit(done)}/${unit(total)}`);
    if (done >= total) process.stderr.write('\n');
  };
}

const kib = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`);

function recipientsLine(info: Pick<BundleInfo, 'recipients'>): string {
  return info.recipients
    .map((r) => (r.kind === 'member' ? `member ${r.name} (${r.fingerprint})` : `passphrase (Argon2id, ${r.kdfProfile} profile${r.kdfProfile === 'fast' ? ': tests only' : ''})`))
    .join('; ');
}

function infoLines(info: BundleInfo): string[] {
  const signer = info.signer.member ? `member ${info.signer.member} of this vault` : 'not a member of this vault';
  return [
    `Bundle        ${info.id}`,
    `Format        ${info.formatVersion}`,
    `Created       ${dateTime(info.created)}`,
    `Organization  ${info.organization}`,
    `Contents      ${info.selection}: ${info.items} secret(s), ${kib(info.bytes)}`,
    `Signed by     ${info.signer.name} (key ${info.signer.fingerprint}), ${signer}; signature verified`,
    `Recipients    ${recipientsLine(info)}`,
  ];
}

const infoJson = (info: BundleInfo) => ({ ...info, created: iso(info.created) });

/** Where the secrets came from, for the first line: a member's bundle or a foreign file. */
function origin(r: ImportResult): string {
  if (r.bundle) return `${r.bundle.items} secret(s) from ${r.bundle.signer.name}'s bundle ${r.bundle.id}`;
  const src = r.source!;
  return `${src.items} secret(s) from the ${FORMAT_LABELS[src.format as ForeignFormat] ?? src.format} file ${basename(src.file)}`;
}

function importLines(r: ImportResult): string[] {
  const c = r.counts;
  const a = r.applied;
  // An import that wrote nothing (everything unchanged or kept) says so from its first line.
  const verb = r.dryRun ? 'Would import' : a.added + a.revised + a.copies > 0 ? 'Imported' : 'Compared';
  const lines = [`${verb} ${origin(r)}:`];
  lines.push(`  ${c.added} added, ${c.changed} changed, ${c.conflicting} conflicting, ${c.unchanged} unchanged (strategy: ${r.strategy})`);
  if (!r.dryRun) lines.push(`  written: ${a.added} new, ${a.revised} new revision(s), ${a.copies} copies; ${a.kept} kept as they were`);
  const created = r.source?.workspacesCreated ?? [];
  if (created.length) lines.push(`  workspaces ${r.dryRun ? 'that would be ' : ''}created: ${created.join(', ')}`);
  const notable = r.items.filter((i) => i.status === 'changed' || i.status === 'conflicting' || i.renamedFrom !== undefined);
  if (notable.length) {
    const what = { keep: 'keep mine', revise: 'take theirs (new revision)', 'add-copy': 'keep both', add: 'add' } as const;
    lines.push(
      '',
      table(
        ['NAME', 'TYPE', 'PLACE', 'STATUS', 'ACTION'],
        notable.map((i) => [
          i.name,
          TYPE_LABELS[i.type as SecretType] ?? i.type,
          i.level === 'workspace' ? `workspace ${i.workspace}` : i.level,
          i.status,
          `${what[i.action]}${i.importedAs ? ` as "${i.importedAs}"` : ''}${i.renamedFrom !== undefined ? ` (renamed from "${i.renamedFrom}": the name came earlier in the file)` : ''}`,
        ]),
      ),
    );
  }
  if (r.skipped.length) {
    lines.push('', `Skipped ${r.skipped.length}:`, table(['WHERE', 'TITLE', 'REASON'], r.skipped.map((x) => [x.source, x.title, x.reason])));
  }
  if (r.dryRun) lines.push('', 'Dry run: nothing was written.');
  return lines;
}

interface ImportFlags {
  from?: ForeignFormat;
  split?: boolean;
  dryRun?: boolean;
  strategy: ImportStrategy;
  workspace?: string;
  trustSigner?: string[];
}

/** The foreign format of a file given without --from, detected; undefined for a bundle (by its name or its magic bytes). */
async function foreignFormatOf(file: string): Promise<ForeignFormat | undefined> {
  if (file.toLowerCase().endsWith('.cofferbundle')) return undefined;
  const { detectFormat } = await import('../../core/bundles/importers/detect.js');
  const found = detectFormat(file);
  return found === 'bundle' ? undefined : found;
}

async function importFile(ctx: CliContext, file: string, format: ForeignFormat, o: ImportFlags): Promise<void> {
  if (o.trustSigner?.length) throw new CofferError('VALIDATION', '--trust-signer is for bundles', 'trust-signer');
  if (o.split && format !== 'dotenv') throw new CofferError('VALIDATION', '--split is for .env files', 'split');
  const session = await ctx.unlock();
  const { importForeign } = await import('../../core/bundles/import-foreign.js');
  const r = await importForeign(
    session,
    file,
    { format, workspace: o.workspace, split: o.split ?? false, dryRun: o.dryRun ?? false, strategy: o.strategy },
    // Entries are applied as they are read, so the bytes read measure the import; how many entries
    // the file holds is known only at its end.
    progressBar(ctx, 'Importing', kib),
  );
  if (ctx.json) return printJson(r);
  print(importLines(r).join('\n'));
}

export function registerBundleCommands(program: Command, run: Action): void {
  program
    .command('export')
    .description('write a signed, encrypted bundle (.cofferbundle) of secrets for members or a passphrase; or, with --plaintext, their values in clear')
    .requiredOption('--out <file>', 'the file to write (never overwritten, but by a plain export with --force)')
    .option('--workspace <name>', 'the secrets of one workspace')
    .option('--secrets <names>', 'these secrets (comma-separated names)')
    .option('--team <name>', 'what one team can read')
    .option('--to <recipient>', 'member:NAME or credential:CLIENT_ID (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--passphrase', 'also open with a passphrase (the next stdin line after the password, or typed twice)')
    .option('--plaintext', 'write the values in clear instead of a bundle, with --format (docs/plain-export.md)')
    .addOption(new Option('--format <format>', 'with --plaintext: the plain format').choices(PLAIN_FORMATS))
    .option('--force', 'with --plaintext: replace an existing file')
    .action(
      run(async (ctx, o: ExportFlags) => {
        if (isPlainExport(o)) return plainExport(ctx, o);
        const { exportBundle } = await import('../../core/bundles/export.js');
        const sel = selection(o);
        const recipients = (o.to ?? []).map(recipientOf);
        if (recipients.length === 0 && !o.passphrase) throw new CofferError('VALIDATION', 'name a recipient: --to member:NAME and/or --passphrase', 'to');
        const session = await ctx.unlock();
        if (o.passphrase) {
          // The exporting vault's authenticated KDF profile: a vault made with the fast profile (tests) makes fast bundles.
          const profile = checkSettings(session).values.kdfProfile;
          recipients.push({ kind: 'passphrase', passphrase: await passphrase(ctx, true), profile });
        }
        const r = exportBundle(session, { out: o.out, selection: sel, recipients, onProgress: progressBar(ctx, 'Exporting'), door: 'cli' });
        if (ctx.json) return printJson(r);
        const to = r.recipients.map((x) => (x.kind === 'member' ? x.name : 'passphrase')).join(', ');
        print(`Exported ${r.items} secret(s) to ${r.path} (${kib(r.bytes)}, bundle ${r.id}), for ${to}.`);
      }),
    );

  program
    .command('inspect')
    .description("a bundle's header, signer, recipients and count; its structure and signature are checked, nothing is decrypted")
    .argument('<file>', 'the .cofferbundle')
    .action(
      run(async (ctx, file: string) => {
        refuseFolder(file, 'file');
        // Read-only and optional: only "which member signed" needs the vault, and inspecting writes nothing.
        let vault: Vault | null = null;
        try {
          vault = await Vault.open(ctx.vaultPath, { readOnly: true });
        } catch (e) {
          if (!(e instanceof CofferError)) throw e;
        }
        try {
          const { inspectBundle } = await import('../../core/bundles/open.js');
          const info = inspectBundle(file, vault?.db ?? null);
          if (ctx.json) return printJson(infoJson(info));
          print(infoLines(info).join('\n'));
        } finally {
          vault?.close();
        }
      }),
    );

  program
    .command('import')
    .description('verify a bundle, or read a KeePass, Bitwarden, 1Password or .env file, compare it with this vault, and import it (one transaction)')
    .argument('<file>', 'the .cofferbundle, or a foreign file (its format detected unless --from names it)')
    .addOption(new Option('--from <format>', 'the foreign format of FILE').choices(FOREIGN_FORMATS))
    .option('--split', '.env: one key/value secret per line instead of one for the file')
    .option('--dry-run', 'show what would happen; write nothing')
    .addOption(new Option('--strategy <strategy>', 'for secrets on both sides: keep mine, take theirs (a new revision) or keep both').choices(IMPORT_STRATEGIES).default('mine'))
    .option('--workspace <name>', 'place every incoming secret in this workspace')
    .option('--trust-signer <fingerprint>', "import although the signer is not a member of this vault (the key's fingerprint, as inspect shows it)", (v: string, all: string[] = []) => [
      ...all,
      v,
    ])
    .action(
      run(async (ctx, file: string, o: ImportFlags) => {
        refuseFolder(file, 'file');
        const format = o.from ?? (await foreignFormatOf(file));
        if (format !== undefined) return importFile(ctx, file, format, o);
        if (o.split) throw new CofferError('VALIDATION', '--split is for .env files', 'split');
        const session = await ctx.unlock();
        const { bundleNeedsPassphrase } = await import('../../core/bundles/open.js');
        const { importBundle } = await import('../../core/bundles/import.js');
        const pass = bundleNeedsPassphrase(session, file) ? await passphrase(ctx, false) : undefined;
        const r = await importBundle(session, file, {
          strategy: o.strategy,
          dryRun: o.dryRun ?? false,
          workspace: o.workspace,
          trustedSigners: o.trustSigner,
          passphrase: pass,
          onProgress: progressBar(ctx, 'Verifying'),
        });
        if (ctx.json) return printJson({ ...r, bundle: infoJson(r.bundle) });
        print(importLines(r).join('\n'));
      }),
    );
}
