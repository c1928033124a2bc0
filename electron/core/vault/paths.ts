import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The platform data folder of Coffer: the default vault's, and what the CLI and browser mode remember between runs. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'coffer');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'coffer');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'coffer');
}

/** `$COFFER_VAULT`, else the platform data folder (docs/cli.md "Environment"). */
export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COFFER_VAULT) return env.COFFER_VAULT;
  return join(defaultDataDir(env, platform), 'vault.coffer');
}

/**
 * Creates the folders missing above a new vault (the platform data folder's `coffer` the first
 * time), owner-only (0700 on POSIX). Folders that exist are left as they are: they are the user's.
 */
export function ensureVaultFolder(vaultPath: string): void {
  mkdirSync(dirname(resolve(vaultPath)), { recursive: true, mode: 0o700 });
}
