import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LATEST_VERSION } from '../../electron/core/db/migrations';
import content from '../fixtures/vaults/content.json';
import { axeInTheme, eachLook, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * A vault of an older format opened by the app (docs/product.md §10, "Backups"): it is upgraded once,
 * the file as it was is copied aside first, and the unlock screen says both, with where the copy is.
 */

const OLDEST_KEPT = 8;

let browser: Browser;
const dirs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the unlock screen of a vault the app has just upgraded', () => {
  test('says from which format to which, and where the file as it was is kept; the vault then unlocks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-upgrade-'));
    dirs.push(dir);
    const vaultPath = join(dir, `v${OLDEST_KEPT}.coffer`);
    copyFileSync(join(__dirname, '..', 'fixtures', 'vaults', `v${OLDEST_KEPT}.sqlite`), vaultPath);
    const running = await startCoffer({ vaultPath });
    const { context, page } = await openApp(browser, running);
    try {
      const notice = page.getByTestId('upgrade-notice');
      await seeText(notice, `upgraded from format ${OLDEST_KEPT} to ${LATEST_VERSION}`);
      const backup = (await notice.locator('code').textContent())!;
      expect(backup.startsWith(dir)).toBe(true);
      expect(existsSync(backup)).toBe(true);
      await eachLook(page, async (width, theme) => {
        if (width === 1280) expect(await axeInTheme(page, theme), theme).toEqual([]);
        await screenshot(page, `upgrade-unlock-${theme}-${width}`);
      });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByLabel('Member').selectOption('alice');
      await unlock(page, content.password);
      await seeText(page.locator('main'), 'stripe');
    } finally {
      await context.close();
      await running.stop();
    }
  });
});
