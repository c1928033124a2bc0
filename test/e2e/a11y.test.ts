import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AxeViolation, CertFiles, Theme } from './harness';
import { axeInTheme, eachType, goScope, launchChromium, makeCert, openApp, screenshot, showTheme, startCoffer, unlock } from './harness';

/**
 * axe-core on every screen, light and dark, with a screenshot of each (1280×800; the main table
 * also at 1920×1080). Zero serious or critical violations anywhere. One walk: each screen is
 * checked in light with every rule, then turned dark and checked with the rules that read colours,
 * the only thing the dark theme changes (COLOUR_RULES in harness.ts; the first test holds it to that).
 */
let browser: Browser;
let cert: CertFiles;

beforeAll(async () => {
  cert = await makeCert();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

const TYPES = ['API Key', 'Bearer Token (OAuth)', 'Client Credentials', 'Certificate', 'Key/Value'] as const;

/**
 * What the served style sheets change in dark, found in the page: anything but a colour (a custom
 * property holding a colour or a shadow, or `color-scheme` with the two switches the CSS build adds
 * beside it, `--lightningcss-light`/`-dark`), and any query on the OS theme. A string, as the page's
 * types are not this file's.
 */
const THEME_RULES = `(() => {
  const dark = [];
  const notColour = [];
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.media && /prefers-color-scheme/.test(rule.media.mediaText)) notColour.push('@media ' + rule.media.mediaText);
      if (rule.selectorText && rule.selectorText.includes('data-theme')) {
        dark.push(rule.selectorText);
        for (const name of rule.style) {
          const value = rule.style.getPropertyValue(name).trim();
          const scheme = name === 'color-scheme' || /^--lightningcss-(light|dark)$/.test(name);
          const colour = scheme || (name.startsWith('--') && (CSS.supports('color', value) || CSS.supports('box-shadow', value)));
          if (!colour) notColour.push(rule.selectorText + ' { ' + name + ': ' + value + ' }');
        }
      }
      if (rule.cssRules) walk(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return { dark, notColour };
})()`;

describe('every screen, light and dark', () => {
  const found: { screen: string; violations: AxeViolation[] }[] = [];
  const scanned: Record<Theme, string[]> = { light: [], dark: [] };

  async function check(page: Page, screen: string, big = false) {
    await page.evaluate('document.fonts.ready');
    for (const theme of ['light', 'dark'] as const) {
      await showTheme(page, theme);
      const violations = await axeInTheme(page, theme);
      if (violations.length) found.push({ screen: `${screen}-${theme}`, violations });
      scanned[theme].push(screen);
      await screenshot(page, `${screen}-${theme}`);
      if (big) {
        await page.setViewportSize({ width: 1920, height: 1080 });
        await screenshot(page, `${screen}-${theme}-1920`);
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }
    await showTheme(page, 'light');
  }

  test('the dark theme changes colours only: dark is checked with the colour rules alone', async () => {
    const running = await startCoffer();
    const { context, page } = await openApp(browser, running);
    try {
      await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
      const { dark, notColour } = (await page.evaluate(THEME_RULES)) as { dark: string[]; notColour: string[] };
      expect(dark.length).toBeGreaterThan(0);
      expect(notColour).toEqual([]);
    } finally {
      await context.close();
      await running.stop();
    }
  });

  test('first run', async () => {
    const running = await startCoffer();
    const { context, page } = await openApp(browser, running);
    try {
      await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
      await check(page, 'first-run');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByText('Type the password again').waitFor();
      await check(page, 'first-run-errors');
    } finally {
      await context.close();
      await running.stop();
    }
  });

  test('unlock, main, dialogs, detail, notices, settings', async () => {
    const running = await startCoffer({
      seed: { workspaces: ['Backend'], secrets: [...eachType(cert, 'organization', 'org'), ...eachType(cert, 'workspace', 'ws', 'Backend')] },
    });
    const { context, page } = await openApp(browser, running);
    page.setDefaultTimeout(10_000);
    try {
      await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
      await check(page, 'unlock');
      await page.getByLabel(/^Password/).fill('wrong password');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor();
      await check(page, 'unlock-wrong-password');
      await unlock(page);

      await page.getByText('No secrets here yet — Register secret').waitFor();
      await check(page, 'main-empty');

      await goScope(page, 'Organization');
      await page.getByTestId('secret-row').first().waitFor();
      await check(page, 'main-table', true);

      await page.getByRole('button', { name: 'Register secret' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Register secret' });
      for (const t of TYPES) {
        await dialog.getByRole('group', { name: 'Credential Type' }).getByText(t, { exact: true }).click();
        await check(page, `register-${t.toLowerCase().replace(/[^a-z]+/g, '-').replace(/-$/, '')}`);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await page.getByTestId('secret-row').filter({ hasText: 'org-stripe-api' }).click();
      const panel = page.getByTestId('detail-panel');
      await panel.getByRole('heading', { name: 'org-stripe-api' }).waitFor();
      await check(page, 'detail');
      await panel.getByRole('button', { name: 'Reveal' }).click();
      await panel.getByRole('button', { name: 'Hide' }).waitFor();
      await check(page, 'detail-revealed');
      await panel.getByRole('button', { name: 'Hide' }).click();

      await page.getByTestId('secret-row').filter({ hasText: 'org-edge-cert' }).click();
      await panel.getByRole('heading', { name: 'org-edge-cert' }).waitFor();
      await panel.getByRole('button', { name: 'Reveal' }).click();
      await panel.getByRole('button', { name: 'Hide' }).waitFor();
      await check(page, 'detail-certificate-revealed');
      await panel.getByRole('button', { name: 'Hide' }).click();

      await page.getByTestId('secret-row').filter({ hasText: 'org-stripe-api' }).click();
      await panel.getByRole('heading', { name: 'org-stripe-api' }).waitFor();
      await panel.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit org-stripe-api' });
      await edit.waitFor();
      await check(page, 'edit');
      await edit.getByRole('button', { name: 'Cancel' }).click();
      await edit.waitFor({ state: 'detached' });

      await panel.getByRole('tab', { name: 'History' }).click();
      await panel.getByTestId('revision').first().waitFor();
      await check(page, 'history');
      await panel.getByRole('tab', { name: 'Where used' }).click();
      await panel.getByTestId('usage-entry').first().waitFor();
      await check(page, 'where-used');
      await panel.getByRole('tab', { name: 'Details' }).click();

      await panel.getByRole('button', { name: 'Schedule deletion' }).click();
      const schedule = page.getByRole('dialog', { name: 'Schedule “org-stripe-api” for deletion?' });
      await schedule.waitFor();
      await check(page, 'confirm-schedule');
      await schedule.getByRole('button', { name: 'Cancel' }).click();
      await schedule.waitFor({ state: 'detached' });
      await panel.getByRole('button', { name: 'Delete now' }).click();
      const del = page.getByRole('dialog', { name: 'Delete “org-stripe-api” now?' });
      await del.waitFor();
      await check(page, 'confirm-delete');
      await del.getByRole('button', { name: 'Cancel' }).click();
      await del.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: /^Notices/ }).click();
      const notices = page.getByRole('dialog', { name: 'Notices' });
      await notices.getByTestId('notice').first().waitFor();
      await check(page, 'notices');
      await notices.getByRole('button', { name: 'Close', exact: true }).last().click();
      await notices.waitFor({ state: 'detached' });

      await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^To be deleted/ }).click();
      await page.getByRole('heading', { level: 1, name: 'To be deleted' }).waitFor();
      await check(page, 'to-be-deleted');

      await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^Audit/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByText(/Intact — \d+ entries/).waitFor();
      await check(page, 'audit');

      await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await check(page, 'settings');
    } finally {
      await context.close();
      await running.stop();
    }
  }, 180_000); // twenty-odd screens in two themes: under 50 s on two busy cores; the limit catches a hang

  test('no serious or critical axe violations', () => {
    expect(scanned.light.length).toBeGreaterThanOrEqual(23);
    expect(scanned.dark).toEqual(scanned.light);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
});
