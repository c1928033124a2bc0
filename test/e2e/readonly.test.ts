import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import type { Running } from './harness';
import { axeInTheme, eachLook, goScope, hasCount, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * Read-only review in the app (docs/ui.md "Read-only review"): "Open read-only" on the unlock screen,
 * the banner on every screen, no write action anywhere, a reveal that says it records nothing, and
 * the vault file unchanged byte for byte; a door started with --read-only offers no way back.
 */

const VALUE = 'sk_live_review_only_5d2a';

const SECRETS: RegisterSecretInput[] = [
  { type: 'api-key', name: 'stripe-live', level: 'personal', fields: { headerName: 'X-API-Key', value: VALUE } },
  { type: 'api-key', name: 'mailer', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'mailer-value' } },
  { type: 'api-key', name: 'org-billing', level: 'organization', fields: { headerName: 'X-Key', value: 'billing-value' } },
];

const fileState = (path: string) => ({
  sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
  walBytes: existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0,
});

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Screenshots in light and dark at 1280 and 800 px wide, where nothing may scroll sideways; axe at 1280. */
async function shots(page: Page, name: string) {
  await eachLook(
    page,
    async (width, theme) => {
      if (width === 1280) expect(await axeInTheme(page, theme), `${name} ${theme}`).toEqual([]);
      await screenshot(page, `readonly-${name}-${theme}-${width}`);
    },
    async (width) => {
      const sideways = await page.evaluate("[...document.querySelectorAll('.page, .page-fill, .main')].some((el) => el.scrollWidth > el.clientWidth + 1)");
      expect(sideways, `${name} scrolls sideways at ${width} px`).toBe(false);
    },
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('"Open read-only" from the unlock screen', () => {
  let running: Running;
  let context: BrowserContext;
  let page: Page;
  const banner = () => page.getByTestId('read-only-banner');

  beforeAll(async () => {
    running = await startCoffer({ seed: { workspaces: ['Backend'], secrets: SECRETS } });
    ({ context, page } = await openApp(browser, running));
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await running?.stop();
  });

  test('reviews the vault with every write hidden, a reveal that records nothing, and the file unchanged', async () => {
    await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
    await shots(page, 'unlock-offer');
    await page.getByRole('button', { name: 'Open read-only' }).click();
    await banner().waitFor();
    await seeText(banner(), 'nothing is written to this vault');
    await page.getByRole('button', { name: 'Open for writing instead' }).waitFor();
    await shots(page, 'unlock-chosen');
    // The start-up pass ran when the door first opened the file for writing; from the choice on, nothing is written.
    const before = fileState(running.vaultPath);
    expect(before.walBytes).toBe(0);

    await unlock(page, undefined, { landing: 'Review' });
    await banner().waitFor();
    await seeText(banner(), 'Revealing a value records no use');
    await hasCount(page.getByRole('button', { name: 'Register secret' }), 0);
    await shots(page, 'review');

    const nav = page.getByRole('navigation', { name: 'Scopes' });
    await hasCount(nav.getByRole('button', { name: 'Add workspace' }), 0);
    await hasCount(nav.getByRole('button', { name: 'Import', exact: true }), 0);

    await goScope(page, 'Personal');
    await hasCount(page.getByRole('button', { name: 'Register secret' }), 0);
    await page.getByTestId('secret-row').filter({ hasText: 'stripe-live' }).click();
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('button', { name: 'Reveal' }).waitFor();
    for (const name of ['Edit', 'Schedule deletion', 'Delete now']) await hasCount(panel.getByRole('button', { name, exact: true }), 0);
    await seeText(panel.getByTestId('read-only-reveal-note'), 'records no use');
    await panel.getByRole('button', { name: 'Reveal' }).click();
    await seeText(panel, VALUE);
    await shots(page, 'detail-revealed');
    await panel.getByRole('button', { name: 'Hide' }).click();

    await nav.getByRole('button', { name: /^Members/ }).click();
    await page.getByTestId('members-table').waitFor();
    for (const name of ['Add member', 'Change role of alice']) await hasCount(page.getByRole('button', { name }), 0);
    await banner().waitFor();
    await shots(page, 'members');

    await nav.getByRole('button', { name: /^Teams/ }).click();
    await page.getByRole('heading', { name: 'Workspaces', level: 2 }).waitFor();
    await hasCount(page.getByRole('button', { name: 'New workspace' }), 0);
    await hasCount(page.getByRole('button', { name: 'New team' }), 0);

    await nav.getByRole('button', { name: /^Settings/ }).click();
    await seeText(page.locator('main'), 'A read-only review cannot change them');
    await hasCount(page.getByRole('button', { name: 'Save' }), 0);
    await hasCount(page.getByLabel('Current password'), 0);
    await shots(page, 'settings');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
    await banner().waitFor();
    expect(fileState(running.vaultPath)).toEqual(before);

    // Back to writing: the banner goes, the write actions come back.
    await page.getByRole('button', { name: 'Open for writing instead' }).click();
    await page.getByRole('button', { name: 'Open read-only' }).waitFor();
    await hasCount(banner(), 0);
    await unlock(page);
    await page.getByRole('button', { name: 'Register secret' }).waitFor();
  }, 180_000);
});

describe('a door started with --read-only', () => {
  let running: Running;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    running = await startCoffer({ seed: { secrets: SECRETS.slice(0, 1) }, readOnly: true });
    ({ context, page } = await openApp(browser, running));
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await running?.stop();
  });

  test('shows the banner from the first screen and offers no way to write', async () => {
    const before = fileState(running.vaultPath);
    await page.getByTestId('read-only-banner').waitFor();
    await hasCount(page.getByRole('button', { name: 'Open for writing instead' }), 0);
    await hasCount(page.getByRole('button', { name: 'Open read-only' }), 0);
    await unlock(page, undefined, { landing: 'Review' });
    await goScope(page, 'Personal');
    await page.getByTestId('secret-row').filter({ hasText: 'stripe-live' }).click();
    await page.getByTestId('detail-panel').getByRole('button', { name: 'Reveal' }).click();
    await seeText(page.getByTestId('detail-panel'), VALUE);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
    expect(fileState(running.vaultPath)).toEqual(before);
  }, 120_000);
});
