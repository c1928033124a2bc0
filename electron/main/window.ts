import type { BrowserWindow as BrowserWindowType, Session as ElectronSession, WebContents } from 'electron';
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_URL, isTrustedUrl } from './trusted';

/** What lockDown needs of a window's web contents. */
export type LockablePage = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** No navigation away from the app's own pages, no new windows, no <webview>. */
export function lockDown(page: LockablePage): void {
  page.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  page.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  page.on('will-attach-webview', (event) => event.preventDefault());
  page.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * The one window (docs/product.md §9): isolated, sandboxed, no Node in the page. Its options stay
 * written out here, where Electronegativity reads them (scripts/electronegativity.js).
 */
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
      // A middle click on a link would ask for a new window; the open handler denies it anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  lockDown(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}

/** Every permission (camera, notifications, clipboard-read…) is refused for web content. */
export function denyPermissions(session: Pick<ElectronSession, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
