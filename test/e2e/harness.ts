import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CofferApp } from '../../electron/core/app';
import type { CoreContext } from '../../electron/core/context';
import { initSodium } from '../../electron/core/crypto/sodium';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';

export const ROOT = join(__dirname, '..', '..');
export const STATIC_DIR = join(ROOT, 'dist', 'renderer');
export const SHOTS_DIR = join(ROOT, 'test-results', 'screenshots');

/** Debian's Chromium, as CI installs it; the e2e suite never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Running {
  app: CofferApp;
  door: BrowserDoor;
  dir: string;
  vaultPath: string;
  stop(): Promise<void>;
}

/** Browser mode on a throwaway vault: the same door `npm start -- --browser` runs, in this process. */
export async function startCoffer(opts: { context?: Partial<CoreContext>; vaultPath?: string } = {}): Promise<Running> {
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-'));
  const vaultPath = opts.vaultPath ?? join(dir, 'e2e.coffer');
  const app = new CofferApp({ vaultPath, consumer: 'browser', context: opts.context });
  const door = await startBrowserDoor({ app, staticDir: STATIC_DIR });
  return {
    app,
    door,
    dir,
    vaultPath,
    stop: async () => {
      app.close();
      await door.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openApp(browser: Browser, running: Running, opts: { theme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.theme ?? 'light',
  });
  const page = await context.newPage();
  await page.goto(running.door.url);
  return { context, page };
}

/** Saves a screenshot under test-results/screenshots and returns its path (printed for review). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  console.log(`screenshot: ${path}`);
  return path;
}
