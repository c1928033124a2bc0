import type { BrowserWindow as BrowserWindowType, Session as ElectronSession } from 'electron';
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_URL, isTrustedUrl } from './trusted';

/** The one window, locked down (docs/product.md §9): isolated, sandboxed, no Node, no navigation, no popups. */
export function createWindow(): BrowserWindowType {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Coffer',
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

/** Every permission (camera, notifications, clipboard-read…) is refused for web content. */
export function denyPermissions(session: ElectronSession): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
