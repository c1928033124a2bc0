import { spawn } from 'node:child_process';
import { accessSync, constants as fs, statSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import { CofferError } from '../../shared/errors';

/**
 * Signals sent to coffer alone (a CI runner stopping the job) are passed to the child, which then
 * decides how to end. Ctrl-C reaches the child from the terminal by itself: coffer only ignores
 * it, so that it stays to report the child's status instead of dying first.
 */
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
const ignore = (): void => undefined;

const executable = (path: string): boolean => {
  try {
    accessSync(path, fs.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Fails early on a command that is not there, looked for as spawn will: a path as it is, a bare
 * name in each folder of `PATH`. Before the vault is unlocked, a typo costs neither a password
 * nor a recorded use. Windows' lookup (PATHEXT, .cmd) is left to spawn's own error.
 */
export function checkCommand(command: string, path: string): void {
  if (process.platform === 'win32') return;
  const found = command.includes('/') ? executable(command) : path.split(delimiter).some((dir) => executable(join(dir || '.', command)));
  if (!found) throw new CofferError('NOT_FOUND', `no such command: ${command}`, 'command');
}

/**
 * Refuses to start a command while Node's debug output for child_process is on (NODE_DEBUG): Node
 * then prints every spawn's options to stderr, the whole environment included, so the values
 * `run` hands its command would land in a terminal or a CI log. Node reads NODE_DEBUG once at
 * start-up (comma-separated names, `*` as a wildcard, any case), so coffer cannot turn it off.
 */
export function checkNodeDebug(nodeDebug = process.env.NODE_DEBUG): void {
  const names = (nodeDebug ?? '').split(',').filter(Boolean);
  const pattern = (name: string) => new RegExp(`^${name.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replaceAll('*', '.*')}$`, 'i');
  if (names.some((name) => pattern(name).test('child_process'))) {
    throw new CofferError('VALIDATION', 'NODE_DEBUG turns on child_process, which prints the environment coffer run hands the command, values included: run it without NODE_DEBUG', 'NODE_DEBUG');
  }
}

/**
 * Starts `command` directly (no shell) with `env` and the terminal's stdio, and resolves with its
 * exit status as a shell reports it: the code, or 128 + the signal's number when a signal ended it.
 * A command that cannot be started after all (a script's interpreter missing) is an error, not a
 * status, so it is never mistaken for one.
 */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    process.on('SIGINT', ignore);
    const settle = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
      process.off('SIGINT', ignore);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      settle();
      if (e.code === 'ENOENT') reject(new CofferError('NOT_FOUND', `no such command: ${command}`, 'command'));
      else reject(new CofferError('VALIDATION', `${command} cannot be started (${e.code ?? 'error'})`, 'command'));
    });
    child.once('exit', (code, signal) => {
      settle();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
