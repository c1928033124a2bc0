import { Command, CommanderError } from 'commander';
import { CofferError } from '../../shared/errors';
import { CliContext } from './context';
import { registerMemberCommands } from './commands/members';
import { registerSecretCommands } from './commands/secrets';
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
  registerSecretCommands(program, run);
  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** Commander's own usage errors become VALIDATION (exit 2); help and version exit 0. */
export function fromCommanderError(e: CommanderError): CofferError | null {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return null;
  const message = e.message.replace(/^error: /, '');
  return new CofferError('VALIDATION', message);
}

export { CommanderError };
