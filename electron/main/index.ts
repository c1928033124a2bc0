import { BrowserWindow, Notification, app, clipboard, dialog, ipcMain, net, powerMonitor, protocol, session } from 'electron';
import { join } from 'node:path';
import { CofferApp } from '../core/app';
import { initSodium } from '../core/crypto/sodium';
import { createDemoVault } from '../core/demo';
import { SecretClipboard } from './clipboard';
import { registerIpc } from './ipc';
import { rendererResponder } from './renderer-protocol';
import type { SavePort } from './save';
import { createWindow, denyPermissions } from './window';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const flag = (name: string) => process.argv.includes(name);
const value = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** Serves the built renderer from app://coffer/ with the same strict CSP as browser mode. */
function serveRenderer(): void {
  protocol.handle('app', rendererResponder(join(__dirname, '..', '..', 'renderer'), (fileUrl) => net.fetch(fileUrl)));
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  await initSodium();
  let vaultPath = value('--vault') ?? process.env.COFFER_VAULT ?? join(app.getPath('userData'), 'vault.coffer');
  if (flag('--demo')) vaultPath = (await createDemoVault()).path;
  const core = new CofferApp({ vaultPath, readOnly: flag('--read-only'), door: 'desktop', demo: flag('--demo'), dataDir: app.getPath('userData') });
  const secrets = new SecretClipboard(clipboard);
  const lock = () => {
    core.lock();
    secrets.clearIfOurs();
  };

  denyPermissions(session.defaultSession);
  serveRenderer();
  let win = createWindow();
  // Exports: the save dialog over the window, suggesting the bundle's name in the Downloads folder.
  const save: SavePort = {
    async choosePath(fileName) {
      const options = { defaultPath: join(app.getPath('downloads'), fileName), filters: [{ name: 'Coffer bundle', extensions: ['cofferbundle'] }] };
      const parent = BrowserWindow.getFocusedWindow() ?? (win.isDestroyed() ? null : win);
      const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
  registerIpc(ipcMain, core, secrets, save);

  // Scheduler passes every few minutes (docs/product.md §4); new notices also become OS notifications. The
  // vault may be locked, so the notification names no secret.
  const tick = () => {
    const r = core.tick();
    if (r.notices > 0 && Notification.isSupported()) {
      new Notification({ title: 'Coffer', body: `${r.notices} new notice${r.notices === 1 ? '' : 's'}: secrets expiring or about to be deleted` }).show();
    }
  };
  await core.status();
  tick();
  setInterval(tick, 5 * 60_000).unref();

  // Auto-lock: on suspend, on screen lock, and after the idle time of the vault's settings.
  powerMonitor.on('suspend', lock);
  powerMonitor.on('lock-screen', lock);
  setInterval(() => {
    if (powerMonitor.getSystemIdleTime() >= core.settings().autoLockMinutes * 60) lock();
  }, 15_000).unref();

  app.on('second-instance', () => {
    if (win.isDestroyed()) win = createWindow();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    lock();
    core.close();
  });
}

void main();
