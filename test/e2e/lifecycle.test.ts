import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeClock } from '../support/vault';
import type { Running } from './harness';
import { hasCount, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/** Issue 4: schedule → cancel; delete now (wrong word, then DELETE); a deletion notice once the clock moves. */
const DAY = 86_400_000;
const clock = fakeClock(Date.now());
let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;

const apiKey = (name: string) => ({ type: 'api-key' as const, name, level: 'personal' as const, fields: { headerName: 'X-API-Key', value: `value-of-${name}` } });

beforeAll(async () => {
  browser = await launchChromium();
  running = await startCoffer({ context: { clock }, seed: { secrets: [apiKey('doomed-token'), apiKey('victim-key'), apiKey('keeper-key')] } });
  ({ context, page } = await openApp(browser, running));
  page.setDefaultTimeout(10_000);
  await unlock(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
});

async function open(name: string) {
  await page.getByTestId('secret-row').filter({ hasText: name }).click();
  await page.getByTestId('detail-panel').getByRole('heading', { name }).waitFor();
  return page.getByTestId('detail-panel');
}

async function schedule(name: string) {
  const panel = await open(name);
  await panel.getByRole('button', { name: 'Schedule deletion' }).click();
  const dialog = page.getByRole('dialog', { name: `Schedule “${name}” for deletion?` });
  const confirm = dialog.getByRole('button', { name: 'Schedule deletion' });
  expect(await confirm.isDisabled()).toBe(true);
  await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
  await confirm.click();
  await page.getByTestId('toast').filter({ hasText: 'Scheduled for deletion on' }).last().waitFor();
  await dialog.waitFor({ state: 'detached' });
  return panel;
}

describe('deletion lifecycle', () => {
  test('schedule deletion, then cancel it', async () => {
    const panel = await schedule('doomed-token');
    await seeText(panel.locator('.detail-sub'), 'Scheduled');
    await panel.getByText(/^Purged on /).waitFor();
    await seeText(page.getByTestId('secret-row').filter({ hasText: 'doomed-token' }), 'Scheduled');
    await screenshot(page, 'lifecycle-scheduled-light');
    await panel.getByRole('button', { name: 'Cancel deletion' }).click();
    await page.getByTestId('toast').filter({ hasText: '“doomed-token” is Active again' }).waitFor();
    await seeText(panel.locator('.detail-sub'), 'Active');
    await panel.getByRole('button', { name: 'Schedule deletion' }).waitFor();
  });

  test('delete now: a wrong word keeps the button disabled; DELETE deletes', async () => {
    const panel = await open('victim-key');
    await panel.getByRole('button', { name: 'Delete now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “victim-key” now?' });
    const confirm = dialog.getByRole('button', { name: 'Delete now' });
    // Cancel has the focus in a destructive dialog.
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Cancel');
    for (const wrong of ['delete', 'DELET', 'victim-key', 'DELETE ']) {
      await dialog.getByLabel('Type DELETE to confirm').fill(wrong);
      expect(await confirm.isDisabled(), wrong).toBe(true);
    }
    await dialog.getByLabel('Type DELETE to confirm').press('Enter');
    await dialog.waitFor();
    expect(await page.getByTestId('secret-row').filter({ hasText: 'victim-key' }).count()).toBe(1);
    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    await page.getByTestId('toast').filter({ hasText: 'Deleted “victim-key”' }).waitFor();
    await hasCount(page.getByTestId('secret-row').filter({ hasText: 'victim-key' }), 0);
    await hasCount(page.getByTestId('detail-panel'), 0);
    await seeText(page.getByTestId('row-count'), '2 of 2');
  });

  test('the notice centre shows a deletion notice after the clock moves 16 days', async () => {
    await schedule('doomed-token');
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: /^Notices/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Notices' });
    await dialog.getByText('No notices yet.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    clock.advance(16 * DAY);
    // The door runs a scheduler pass at unlock.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await unlock(page);
    await seeText(page.getByRole('button', { name: /^Notices/ }), '1');
    await page.getByRole('button', { name: /^Notices/ }).click();
    const notice = dialog.getByTestId('notice');
    await hasCount(notice, 1);
    await seeText(notice, '"doomed-token" will be deleted within 15 days');
    await screenshot(page, 'lifecycle-notice-light');
    await dialog.getByRole('button', { name: 'Dismiss all' }).click();
    await hasCount(dialog.getByText('Unread:'), 0);
    await notice.getByRole('button', { name: /^Open/ }).click();
    await page.getByTestId('detail-panel').getByRole('heading', { name: 'doomed-token' }).waitFor();
  });
});
