import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$COFFER_VAULT`, else the platform data folder (docs/cli.md "Environment"). */
export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COFFER_VAULT) return env.COFFER_VAULT;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'coffer', 'vault.coffer');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'coffer', 'vault.coffer');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'coffer', 'vault.coffer');
}
