import { Command, CommanderError } from 'commander';
import { CofferError } from '../../shared/errors';
import { CliContext } from './context';
import { registerAccessCommands } from './commands/access';
import { registerBundleCommands } from './commands/bundles';
import { registerLifecycleCommands } from './commands/lifecycle';
import { registerMemberCommands } from './commands/members';
import { registerProgramCommands } from './commands/programs';
import { registerReportCommand } from './commands/report';
import { registerSecretCommands } from './commands/secrets';
import { registerServeCommand } from './commands/serve';
import { registerStructureCommands } from './commands/structure';
import { registerVaultCommands } from './commands/vault';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (ctx: CliContext, ...args: any[]) => Promise<void>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Action = (fn: Handler) => (...args: any[]) => Promise<void>;

/** Gives each command its context and always locks and closes the vault afterwards. */
const run: Action =
  (fn) =>
  async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = CliContext.of(cmd);
    try {
      await fn(ctx, ...args.slice(0, -1));
    } finally {
      ctx.close();
    }
  };

export function buildProgram(): Command {
  const program = new Command('coffer')
    .description('Coffer: a local-first, encrypted secret vault')
    .option('--vault <path>', 'vault file (default: $COFFER_VAULT, else the platform data folder)')
    .option('--as <member>', 'which member unlocks (default: the vault\'s only member)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--json', 'machine-readable output on stdout, errors as JSON on stderr')
    .option('--read-only', 'open the vault read-only: nothing is written, not even usage')
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => undefined })
    .exitOverride();
  registerVaultCommands(program, run);
  registerMemberCommands(program, run);
  registerStructureCommands(program, run);
  registerAccessCommands(program, run);
  registerServeCommand(program, run);
  registerLifecycleCommands(program, registerSecretCommands(program, run), run);
  registerBundleCommands(program, run);
  registerProgramCommands(program, run);
  registerReportCommand(program, run);
  // Help that commander would print to stderr because a command is missing is replaced by the one error line.
  for (const cmd of allCommands(program)) cmd.exitOverride(missingCommand(cmd)).configureOutput({ outputError: () => undefined, writeErr: () => undefined });
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** `coffer` or `coffer secret` alone is a usage error (exit 2) naming the commands, not help with exit 0. */
function missingCommand(cmd: Command): (e: CommanderError) => never {
  return (e) => {
    if (e.code === 'commander.help' && e.exitCode !== 0) {
      const path = [cmd, ...ancestors(cmd)].reverse().map((c) => c.name()).join(' ');
      throw new CofferError('VALIDATION', `a command is missing: ${path} ${cmd.commands.map((c) => c.name()).join('|')} (see ${path} --help)`);
    }
    throw e;
  };
}

function ancestors(cmd: Command): Command[] {
  return cmd.parent ? [cmd.parent, ...ancestors(cmd.parent)] : [];
}

/** Commander's own usage errors become VALIDATION (exit 2); help and version exit 0. */
export function fromCommanderError(e: CommanderError): CofferError | null {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return null;
  const message = e.message.replace(/^error: /, '');
  return new CofferError('VALIDATION', message);
}

export { CommanderError };
