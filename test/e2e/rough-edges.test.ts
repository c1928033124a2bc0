import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { openDataKey } from '../../electron/core/secrets/sealing';
import { usageLabel } from '../../electron/core/secrets/usage';
import { fakeClock } from '../support/vault';
import type { CertFiles, Running } from './harness';
import { PASSWORD, eachType, goScope, hasCount, launchChromium, makeCert, openApp, readClipboard, screenshot, seeText, startCoffer } from './harness';

/** Issue 19: Where used says who, from where and how; To be deleted rows open; notices open, read and dismiss; the unlock wait is said. */
const DAY = 86_400_000;
const NOW = Date.now();
// Sixteen days ago a deletion was scheduled: the start-up pass, at NOW, leaves its 15-day notice.
const clock = fakeClock(NOW - 16 * DAY);
let browser: Browser;
let running: Running;
let cert: CertFiles;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  cert = await makeCert();
  running = await startCoffer({
    context: { clock },
    seed: {
      secrets: eachType(cert, 'personal', 'p'),
      setup: (s) => {
        const used = getSecretValue(s, { name: 'p-okta-client' }, { use: { door: 'cli', how: 'print', detail: 'deploy-bot' } });
        // A use recorded before who, door and how were kept: a bare label.
        const dataKey = openDataKey(s, used.id)!;
        s.db.stmt('INSERT INTO usage (secret_id, at, consumer) VALUES (?, ?, ?)').run(used.id, clock.now() - DAY, usageLabel(s, used.id, dataKey, new TextEncoder().encode('desktop')));
        scheduleDeletion(s, { name: 'p-stripe-api' }, 'DELETE');
      },
    },
  });
  clock.set(NOW);
  ({ context, page } = await openApp(browser, running));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.door.url).origin });
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
});

const panel = () => page.getByTestId('detail-panel');
const noticesButton = () => page.getByRole('button', { name: /^Notices/ });

async function openRow(name: string) {
  await page.getByTestId('secret-row').filter({ hasText: name }).click();
  await panel().getByRole('heading', { name }).waitFor();
}

describe('unlock after failed attempts', () => {
  test('says how long browser mode holds the attempt back, and counts it down', async () => {
    const password = page.getByLabel(/^Password/);
    const unlockButton = page.getByRole('button', { name: 'Unlock', exact: true });
    for (let i = 0; i < 4; i++) {
      await password.fill(`wrong password ${i}`);
      await unlockButton.click();
      await page.getByText('Wrong password').waitFor();
    }
    // The fifth attempt waits 2 s: 250 ms, doubled after each failure but the first.
    await password.fill(PASSWORD);
    await unlockButton.click();
    const wait = page.getByTestId('unlock-wait');
    await seeText(wait, 'after failed attempts…');
    expect(await wait.getAttribute('aria-live')).toBe('polite');
    const first = await wait.innerText();
    expect(first).toMatch(/^Waiting [12] s after failed attempts…$/);
    await screenshot(page, 'edges2-after-unlock-wait-e2e');
    if (first.startsWith('Waiting 2')) await seeText(wait, 'Waiting 1 s after failed attempts…', 3_000);
    await page.getByRole('navigation', { name: 'Scopes' }).waitFor();
    await hasCount(page.getByTestId('unlock-wait'), 0);
    if ((await page.getByRole('heading', { level: 1 }).innerText()) !== 'Personal') await goScope(page, 'Personal');
  });
});

describe('Where used', () => {
  test('names who, the door and how, and still shows an older record by its label', async () => {
    await openRow('p-okta-client');
    await panel().getByRole('button', { name: 'Reveal' }).click();
    await panel().getByRole('button', { name: 'Hide' }).waitFor();
    await panel().getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied — clears in' }).waitFor();
    await panel().getByRole('tab', { name: 'Where used' }).click();
    const entries = panel().getByTestId('usage-entry');
    await hasCount(entries, 4);
    const lines = (await entries.allInnerTexts()).map((t) => t.split('\n').slice(0, 2).join(' | '));
    expect(lines).toEqual(['alice | browser mode · copy', 'alice | browser mode · reveal', 'alice | CLI · secret get (deploy-bot)', expect.stringMatching(/^desktop \| /)]);
    await screenshot(page, 'edges2-after-usage-e2e');
  });
});

describe('the fields of the detail', () => {
  test('Client ID and URL copy what is shown, and that is not a use', async () => {
    await panel().getByRole('tab', { name: 'Details' }).click();
    await panel().getByRole('button', { name: 'Copy Client ID' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied Client ID' }).waitFor();
    expect(await readClipboard(page)).toBe('p-client');
    await panel().getByRole('button', { name: 'Copy URL' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied URL' }).waitFor();
    expect(await readClipboard(page)).toBe('https://auth.example.com/oauth/token');
    await panel().getByRole('tab', { name: 'Where used' }).click();
    await hasCount(panel().getByTestId('usage-entry'), 4);
  });

  test("a certificate's validity reads as a date, with the exact time in its title", async () => {
    await openRow('p-edge-cert');
    await panel().getByRole('tab', { name: 'Details' }).click();
    const until = panel().locator('[data-field="notAfter"] .field-value');
    const iso = (await until.getAttribute('title'))!;
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(await until.innerText()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    await hasCount(panel().getByRole('button', { name: 'Copy Valid until' }), 0);
    await page.getByRole('button', { name: 'Close details' }).click();
  });
});

describe('To be deleted', () => {
  test("a row opens the secret's detail in its own table; the Inactive tab's empty text is about inactivity", async () => {
    await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /To be deleted/ }).click();
    await page.getByRole('button', { name: /^Inactive/ }).click();
    await page.getByText('No secret is Inactive').waitFor();
    await hasCount(page.getByText('Nothing is scheduled for deletion'), 0);
    await page.getByRole('button', { name: /^Scheduled/ }).click();
    await page.getByTestId('scheduled-table').getByRole('button', { name: 'p-stripe-api', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Personal' }).waitFor();
    await panel().getByRole('heading', { name: 'p-stripe-api' }).waitFor();
    await seeText(panel().locator('.detail-sub'), 'Scheduled');

    // A click anywhere on the row but its Cancel button opens it too.
    await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /To be deleted/ }).click();
    await page.getByTestId('scheduled-row').filter({ hasText: 'p-stripe-api' }).locator('.t-date').click();
    await panel().getByRole('heading', { name: 'p-stripe-api' }).waitFor();
    await page.getByRole('button', { name: 'Close details' }).click();
  });
});

describe('notices', () => {
  const dialog = () => page.getByRole('dialog', { name: 'Notices' });
  const unreadCount = async () => Number((await noticesButton().innerText()).replace(/\D+/g, '') || '0');

  test('Dismiss reads a notice without opening it; Open reads it and opens the secret in its own table', async () => {
    await goScope(page, 'Organization');
    const before = await unreadCount();
    expect(before).toBeGreaterThanOrEqual(2);
    await noticesButton().click();
    const deletion = dialog().getByTestId('notice').filter({ hasText: '"p-stripe-api" will be deleted within 15 days' });
    const expiry = dialog().getByTestId('notice').filter({ hasText: '"p-github-bearer" expires within 7 days' });
    await screenshot(page, 'edges2-after-notices-e2e');
    await expiry.getByRole('button', { name: /^Dismiss/ }).click();
    await hasCount(expiry.getByText('Unread:'), 0);
    await dialog().getByRole('button', { name: 'Close' }).last().click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(unreadCount).toBe(before - 1);

    await noticesButton().click();
    await deletion.getByRole('button', { name: /^Open/ }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Personal' }).waitFor();
    await panel().getByRole('heading', { name: 'p-stripe-api' }).waitFor();
    await expect.poll(unreadCount).toBe(before - 2);
    await noticesButton().click();
    await hasCount(deletion.getByText('Unread:'), 0);
    await hasCount(deletion.getByRole('button', { name: /^Dismiss/ }), 0);
    await page.keyboard.press('Escape');
  });
});
