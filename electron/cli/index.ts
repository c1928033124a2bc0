import { CofferError, toErrorShape } from '../../shared/errors';
import { CommanderError, buildProgram, fromCommanderError } from './program';
import { EXIT_CODES, writeError } from './output';

/** The CLI door: every error leaves through here as one line (or JSON) and its exit code. */
async function main(argv: string[]): Promise<number> {
  // Not a `--json` meant for the command that `coffer run` starts.
  const json = (argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv).includes('--json');
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    // `coffer run` passes on its child's status, set once the vault is closed.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      const usage = fromCommanderError(e);
      if (!usage) return 0;
      writeError(usage.toJSON(), json);
      return EXIT_CODES.VALIDATION;
    }
    const shape = toErrorShape(e);
    if (!(e instanceof CofferError) && process.env.COFFER_DEBUG) console.error(e);
    writeError(shape.code === 'INTERNAL' ? { ...shape, message: 'internal error (a bug: please report it; COFFER_DEBUG=1 shows details)' } : shape, json);
    return EXIT_CODES[shape.code];
  }
}

// A reader that stops early (`coffer report | head`) is no failure: what it did not read, it did not want.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
