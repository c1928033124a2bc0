import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AxeViolation, CertFiles } from './harness';
import { axeSerious, eachType, goScope, launchChromium, makeCert, openApp, screenshot, startCoffer, unlock } from './harness';

/**
 * axe-core on every screen, light and dark, with a screenshot of each (1280×800; the main table
 * also at 1920×1080). Zero serious or critical violations anywhere.
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

describe.each(['light', 'dark'] as const)('every screen in %s', (theme) => {
  const found: { screen: string; violations: AxeViolation[] }[] = [];
  const scanned: string[] = [];

  async function check(page: Page, screen: string, big = false) {
    await page.evaluate('document.fonts.ready');
    const violations = await axeSerious(page);
    if (violations.length) found.push({ screen, violations });
    scanned.push(screen);
    await screenshot(page, `${screen}-${theme}`);
    if (big) {
      await page.setViewportSize({ width: 1920, height: 1080 });
      await screenshot(page, `${screen}-${theme}-1920`);
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }

  test('first run', async () => {
    const running = await startCoffer();
    const { context, page } = await openApp(browser, running, { theme });
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
    const { context, page } = await openApp(browser, running, { theme });
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
  }, 180_000); // twenty-odd screens, each scanned by axe: 40 s alone, twice that beside another test file on two cores

  test('no serious or critical axe violations', () => {
    expect(scanned.length).toBeGreaterThanOrEqual(23);
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
});
