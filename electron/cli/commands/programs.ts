import type { Command } from 'commander';
import { basename } from 'node:path';
import type { Pair } from '../../../shared/dotenv';
import { parseDotenv } from '../../../shared/dotenv';
import { CofferError } from '../../../shared/errors';
import type { ReferenceUse } from '../../core/secrets/reference-values';
import { readReferences } from '../../core/secrets/reference-values';
import { isReference, parseReference } from '../../core/secrets/references';
import { fillTemplate, parseTemplate } from '../../core/secrets/templates';
import type { UseVia } from '../../core/secrets/usage';
import { checkCommand, checkNodeDebug, runChild } from '../child';
import type { CliContext } from '../context';
import { readInputFile } from '../input-file';
import { print, printJson } from '../output';
import { checkFree, writePrivateFile } from '../private-file';
import type { Action } from '../program';

/** A `.env` file or a template holds names and references, not data: 1 MiB is far more than any needs. */
const MAX_TEXT_BYTES = 1024 * 1024;

/** A file a command reads, its errors on the option that named it. */
const readText = (path: string, field: string): string => readInputFile(path, MAX_TEXT_BYTES, field).toString('utf8');

/** The same error, on another field and with a prefix saying where. */
function rethrowAt(e: unknown, where: string, field: string): never {
  if (e instanceof CofferError) throw new CofferError(e.code, `${where}: ${e.message}`, field);
  throw e;
}

/** A variable whose value is a reference: its syntax errors name the variable. */
function variable(name: string, text: string): ReferenceUse {
  try {
    return { reference: parseReference(text), where: name, field: name };
  } catch (e) {
    return rethrowAt(e, name, name);
  }
}

/**
 * What `run` adds to the environment: the env file's variables, then each `--env`, a later one
 * replacing an earlier one of the same name. Values that are references are to be read; the
 * others pass as they are. `--env` takes only references: a value typed there would sit in argv.
 */
function variables(o: { envFile?: string; env?: string[] }): { plain: Record<string, string>; uses: ReferenceUse[] } {
  const vars = new Map<string, string>();
  if (o.envFile) {
    const text = readText(o.envFile, 'env-file');
    let pairs: Pair[] = [];
    try {
      pairs = parseDotenv(text);
    } catch (e) {
      rethrowAt(e, o.envFile, 'env-file');
    }
    for (const p of pairs) vars.set(p.key, p.value);
  }
  for (const arg of o.env ?? []) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new CofferError('VALIDATION', '--env takes NAME=REFERENCE', 'env');
    const [name, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    // The value is not quoted: whatever it is, it is not a reference, and may be a secret typed in the wrong place.
    if (!isReference(value)) throw new CofferError('VALIDATION', `${name}: --env takes a coffer:// reference`, name);
    vars.set(name, value);
  }
  const plain: Record<string, string> = {};
  const uses: ReferenceUse[] = [];
  for (const [name, value] of vars) {
    if (isReference(value)) uses.push(variable(name, value));
    else plain[name] = value;
  }
  return { plain, uses };
}

/**
 * Every value the uses ask for, then the vault locked and closed: what follows (a child that may
 * run for hours, a file to write) needs the values only, not the keys. Nothing to read, no password asked.
 */
async function readThenClose(ctx: CliContext, uses: ReferenceUse[], use: UseVia): Promise<string[]> {
  const values = uses.length ? readReferences(await ctx.unlock(), uses, use) : [];
  ctx.close();
  return values;
}

export function registerProgramCommands(program: Command, run: Action): void {
  program
    .command('run')
    .description('start a command with secrets in its environment (never in its argv)')
    .usage('[options] -- <command> [args...]')
    .argument('<command>', 'the program to start, after --; started directly, not through a shell')
    .argument('[args...]', 'its arguments')
    .option('--env-file <file>', 'a .env file: coffer:// values are replaced, others passed as they are')
    .option('--env <NAME=REFERENCE>', 'one variable from a reference, repeatable; wins over --env-file', (v: string, all: string[] = []) => [...all, v])
    .action(
      run(async (ctx, command: string, args: string[], o: { envFile?: string; env?: string[] }) => {
        const { plain, uses } = variables(o);
        // The child gets the secrets it names, not the credential that read them: it could read everything its teams can.
        const { COFFER_CLIENT_SECRET: _secret, COFFER_KEY_SECRET: _key, ...inherited } = process.env;
        const env = { ...inherited, ...plain };
        checkCommand(command, env.PATH ?? '');
        checkNodeDebug();
        const values = await readThenClose(ctx, uses, { door: 'cli', how: 'run', detail: basename(command) });
        // A variable's use is named, and blamed, after the variable.
        const secrets = Object.fromEntries(uses.map((u, i) => [u.field, values[i]!]));
        // The status the child ends with is coffer's: index.ts leaves it in place.
        process.exitCode = await runChild(command, args, { ...env, ...secrets });
      }),
    );

  program
    .command('inject')
    .description('fill the {{ coffer://… }} tokens of a template, to an owner-only file or stdout')
    .requiredOption('--in <template>', 'the template file')
    .option('--out <file>', 'write here, created 0600, instead of to stdout')
    .option('--force', 'replace --out when it exists (it ends 0600 too)')
    .action(
      run(async (ctx, o: { in: string; out?: string; force?: boolean }) => {
        if (o.out !== undefined && !o.force) checkFree(o.out, 'out');
        const template = parseTemplate(readText(o.in, 'template'));
        const uses = template.tokens.map((t): ReferenceUse => ({ reference: t.reference, where: `line ${t.line}`, field: 'template' }));
        const text = fillTemplate(template, await readThenClose(ctx, uses, { door: 'cli', how: 'inject', detail: basename(o.in) }));
        if (o.out === undefined) return void process.stdout.write(text);
        writePrivateFile(o.out, [text], { replace: o.force ?? false, field: 'out' });
        if (ctx.json) return printJson({ out: o.out, references: uses.length });
        print(`Wrote ${o.out} (${uses.length} ${uses.length === 1 ? 'reference' : 'references'} filled).`);
      }),
    );
}
