import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readAudit } from '../../electron/core/audit/access';
import { createDemoVault } from '../../electron/core/demo';
import { DEMO_PASSWORD } from '../../shared/demo';
import type { Running } from './harness';
import { axeInTheme, eachLook, goScope, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * The Audit screen on the demo vault, in names: a search by a secret's name finds its entries, a
 * row opens its secret, the filtered entries download as JSON; screenshots in both themes at two
 * widths, where the table keeps its Target column in view and nothing scrolls sideways.
 */
let browser: Browser;
let demoPath: string;
let demo: Running;
let context: BrowserContext;
let page: Page;

const rows = () => page.getByTestId('audit-entry');

async function openAudit() {
  await goScope(page, 'Audit');
  await rows().first().waitFor();
}

async function search(text: string) {
  await page.getByLabel('Search', { exact: true }).fill(text);
  // Every row shown is about a target whose name (or id) holds the text: the search has landed.
  const landed = `(() => {
    const cells = [...document.querySelectorAll('[data-testid="audit-entry"] .t-target')];
    return cells.length > 0 && cells.every((c) => (c.textContent ?? '').toLowerCase().includes(${JSON.stringify(text.toLowerCase())}));
  })()`;
  await expect.poll(() => page.evaluate(landed), { timeout: 30_000 }).toBe(true);
}

beforeAll(async () => {
  browser = await launchChromium();
  demoPath = (await createDemoVault()).path;
  demo = await startCoffer({ vaultPath: demoPath });
  ({ context, page } = await openApp(browser, demo));
  await unlock(page, DEMO_PASSWORD, { landing: 'Review' });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.stop();
  if (demoPath) rmSync(dirname(demoPath), { recursive: true, force: true });
});

describe('Audit screen in names', () => {
  test('keeps Target in view with one scrollbar, in both themes at 1280 and 800 px, with no serious axe finding', async () => {
    await openAudit();
    await eachLook(
      page,
      async (width, theme) => {
        await screenshot(page, `audit-names-${theme}-${width}`);
        if (width === 1280) expect(await axeInTheme(page, theme), `axe on the Audit screen, ${theme}`).toEqual([]);
      },
      async (width) => {
        const layout = await page.evaluate(`(() => {
          const scroll = document.querySelector('.table-scroll');
          const target = document.querySelector('[data-testid="audit-entry"] .t-target');
          const box = target.getBoundingClientRect();
          return { sideways: scroll.scrollWidth > scroll.clientWidth + 1, targetWidth: box.width, targetRight: box.right, viewport: window.innerWidth };
        })()`);
        const { sideways, targetWidth, targetRight, viewport } = layout as { sideways: boolean; targetWidth: number; targetRight: number; viewport: number };
        expect(sideways, `the audit table scrolls sideways at ${width} px`).toBe(false);
        expect(targetRight).toBeLessThanOrEqual(viewport);
        expect(targetWidth, `Target is squeezed at ${width} px`).toBeGreaterThanOrEqual(140);
      },
    );
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
  }, 150_000); // axe twice, four screenshots: slow on a busy two-core machine

  test('a search by a secret’s name finds its entries, as the core finds them', async () => {
    await search('OpenAI');
    const shown = await rows().count();
    const core = readAudit(demo.app.session(), { search: 'OpenAI', limit: 200 });
    expect(core.length).toBeGreaterThan(0);
    expect(shown).toBe(core.length);
    expect(core.every((e) => e.targetName?.includes('OpenAI'))).toBe(true);
    // The demo's scheduler purged OpenAI secrets: named, marked, and nothing to open.
    const deleted = core.filter((e) => e.targetDeleted);
    expect(deleted.length).toBeGreaterThan(0);
    const marked = page.getByTestId('audit-target-deleted');
    expect(await marked.count()).toBe(deleted.length);
    await seeText(marked.first(), '(deleted)');
    expect(await rows().filter({ has: marked }).locator('button').count()).toBe(0);
    await screenshot(page, 'audit-names-search-light-1280');
  });

  test('the filtered entries download as JSON, the same ones', async () => {
    await page.getByLabel('Export format').selectOption('json');
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('audit-export').click();
    const got = await download;
    expect(got.suggestedFilename()).toMatch(/^acme-demo-audit-\d{4}-\d{2}-\d{2}\.json$/);
    const file = join(dirname(demoPath), 'audit.json');
    await got.saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { seq: number; targetName: string | null }[];
    const core = readAudit(demo.app.session(), { search: 'OpenAI', limit: 10_000 });
    expect(exported.map((e) => e.seq)).toEqual(core.map((e) => e.seq));
    expect(exported.every((e) => e.targetName?.includes('OpenAI'))).toBe(true);
  });

  test('a row opens its secret, by mouse anywhere on the row or by keyboard on its name', async () => {
    const first = rows().filter({ has: page.locator('.t-target button') }).first();
    const name = (await first.locator('.t-target button').textContent())!;
    await first.locator('.t-when').click();
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor();
    await seeText(panel.getByRole('heading', { level: 2 }), name);

    await openAudit();
    await search('OpenAI');
    const button = rows().locator('.t-target button').first();
    const again = (await button.textContent())!;
    await button.focus();
    await page.keyboard.press('Enter');
    await panel.waitFor();
    await seeText(panel.getByRole('heading', { level: 2 }), again);
  });
});
