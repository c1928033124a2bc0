import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDemoVault } from '../../electron/core/demo';
import { getSecretValue, listSecrets } from '../../electron/core/secrets/reading';
import { DEMO_PASSWORD } from '../../shared/demo';
import { LEVELS, SECRET_TYPES, STATUSES } from '../../shared/schemas/secrets';
import type { AxeViolation, Running } from './harness';
import { axeInTheme, eachLook, hasAttr, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * The Review dashboard on the demo vault: where an Account Holder lands after unlock, its counts
 * against the core's own listing, a "Needs attention" item opening its secret, a status link opening
 * the table filtered; screenshots in both themes at two widths, axe; and the empty vault's page.
 */
let browser: Browser;
let demoPath: string;
let demo: Running;
let empty: Running;
let context: BrowserContext;
let page: Page;
const found: { screen: string; violations: AxeViolation[] }[] = [];

const review = () => page.getByTestId('review');

/** axe and screenshots in light and dark at 1280 and 800 px wide, where nothing may scroll sideways. */
async function check(screen: string) {
  await eachLook(
    page,
    async (width, theme) => {
      if (width === 1280) {
        const violations = await axeInTheme(page, theme);
        if (violations.length) found.push({ screen: `${screen}-${theme}`, violations });
      }
      await page.evaluate("document.querySelector('.page')?.scrollTo(0, 0)");
      await screenshot(page, `review-${screen}-${theme}-${width}`);
      if (await page.locator('#dash-ahead').count()) {
        await page.evaluate("document.getElementById('dash-ahead').closest('section').scrollIntoView({ block: 'start' })");
        await screenshot(page, `review-${screen}-charts-${theme}-${width}`);
      }
    },
    async (width) => {
      const sideways = await page.evaluate("[...document.querySelectorAll('.page, .page-fill')].some((el) => el.scrollWidth > el.clientWidth + 1)");
      expect(sideways, `${screen} scrolls sideways at ${width} px`).toBe(false);
    },
  );
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  browser = await launchChromium();
  demoPath = (await createDemoVault()).path;
  demo = await startCoffer({ vaultPath: demoPath });
  empty = await startCoffer({ seed: {} });
  ({ context, page } = await openApp(browser, demo));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.stop();
  await empty?.stop();
  if (demoPath) rmSync(dirname(demoPath), { recursive: true, force: true });
});

describe('Review dashboard', () => {
  test('an Account Holder lands on it after unlock, and its counts are the listing’s', async () => {
    await unlock(page, DEMO_PASSWORD, { landing: 'Review' });
    await review().waitFor();
    await hasAttr(page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^Review/ }), 'aria-current', 'page');

    const listing = listSecrets(demo.app.session(), { limit: 100_000 }).items;
    expect(listing.length).toBeGreaterThan(100);
    for (const status of STATUSES) {
      await seeText(page.getByTestId(`count-${status}`), String(listing.filter((s) => s.status === status).length));
    }
    for (const type of SECRET_TYPES) {
      await seeText(page.getByTestId(`count-${type}`), String(listing.filter((s) => s.type === type).length));
    }
    for (const level of LEVELS) {
      await seeText(page.getByTestId(`count-${level}`), String(listing.filter((s) => s.level === level).length));
    }
    await seeText(page.locator('.dash-total'), `${listing.length} secrets`);
    // Both charts have data in the demo, each an image with a summary.
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    expect(await page.locator('svg[role="img"]').first().getAttribute('aria-label')).toMatch(/expirations/);

    await check('demo');
  });

  test('"Export review report" downloads one self-contained HTML page that opens offline and holds no value', async () => {
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('report-export').click();
    const file = join(dirname(demoPath), 'review.html');
    const got = await download;
    expect(got.suggestedFilename()).toMatch(/^acme-demo-review-\d{4}-\d{2}-\d{2}\.html$/);
    await got.saveAs(file);
    const html = readFileSync(file, 'utf8');
    const values = listSecrets(demo.app.session(), { limit: 100_000 }).items.slice(0, 40).map((s) => getSecretValue(demo.app.session(), { id: s.id }, { use: { door: 'cli', how: 'print' } }).value);
    expect(values.filter((v) => v.length > 8 && html.includes(v))).toEqual([]);
    // Opened as a file in a page of its own: it renders, and asks the network for nothing.
    const report = await context.newPage();
    const requests: string[] = [];
    report.on('request', (r) => void (r.url().startsWith('file:') || requests.push(r.url())));
    await report.goto(pathToFileURL(file).href);
    await seeText(report.locator('h1'), 'Acme (demo)');
    expect(await report.locator('svg').count()).toBeGreaterThanOrEqual(2);
    await screenshot(report, 'review-report-html-light');
    expect(requests).toEqual([]);
    await report.close();
  });

  test('a "Needs attention" item opens its secret', async () => {
    const item = page.getByRole('region', { name: /^Expired, or expiring within 30 days/ }).locator('.dash-item-name').first();
    const name = (await item.textContent())!;
    await item.click();
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor();
    await seeText(panel.getByRole('heading', { level: 2 }), name);
  });

  test('a status link opens the table filtered', async () => {
    await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^Review/ }).click();
    await review().waitFor();
    await page.getByTestId('count-inactive').click();
    await hasAttr(page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Inactive' }), 'aria-pressed', 'true');
    await page.getByTestId('secret-row').first().waitFor();
    const statuses = await page.getByTestId('secret-row').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(statuses.every((row) => row.includes('Inactive'))).toBe(true);
  });

  test('an empty vault says what will appear', async () => {
    await context.close();
    ({ context, page } = await openApp(browser, empty));
    await unlock(page, undefined, { landing: 'Review' });
    await seeText(review(), 'Nothing to review yet');
    await check('empty');
  });

  test('no serious axe violations', () => {
    expect(found).toEqual([]);
  });
});
