import { join } from 'node:path';
import { CofferApp } from '../core/app';
import { initSodium } from '../core/crypto/sodium';
import { createDemoVault } from '../core/demo';
import { defaultDataDir, defaultVaultPath } from '../core/vault/paths';
import { startBrowserDoor } from './browser-door';

export interface LaunchOptions {
  port?: number;
  vault?: string;
  demo?: boolean;
  readOnly?: boolean;
  /** Why the desktop window is not used, for the one line docs/cli.md prescribes. */
  reason?: string;
}

/** Browser mode as `npm start` runs it: prints one line, stops on Ctrl-C or SIGTERM, locks on exit. */
export async function launchBrowserMode(opts: LaunchOptions): Promise<void> {
  await initSodium();
  let vaultPath = opts.vault ?? defaultVaultPath();
  let demoPassword: string | undefined;
  if (opts.demo) {
    const demo = await createDemoVault();
    vaultPath = demo.path;
    demoPassword = demo.password;
  }
  const app = new CofferApp({ vaultPath, readOnly: opts.readOnly, door: 'browser', demo: opts.demo, dataDir: defaultDataDir() });
  const door = await startBrowserDoor({ app, staticDir: join(__dirname, '..', '..', 'renderer'), port: opts.port });
  const why = opts.reason ? `, Electron unavailable: ${opts.reason}` : '';
  console.log(`Coffer (browser mode${why}): ${door.url}`);
  if (demoPassword) console.log(`Demo vault at ${vaultPath}; its password is: ${demoPassword}`);
  // Scheduler passes while running (docs/product.md §4); the first one ran when the vault was opened.
  await app.status();
  const timer = setInterval(() => app.tick(), 5 * 60_000);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    app.close();
    void door.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
