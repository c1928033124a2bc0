import { homedir } from 'node:os';
import { join } from 'node:path';

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
