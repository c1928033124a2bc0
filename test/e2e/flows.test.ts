import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CertFiles, Running, UiSecret } from './harness';
import { goScope, readClipboard, hasAttr, hasCount, noText, seeText, launchChromium, makeCert, pemBodyLine, registerViaUi, rowNames, screenshot, startCoffer, unlock } from './harness';

/**
 * The main story on one throwaway vault, in order: first run → register every type at every level →
 * search and sort → reveal → copy → edit, history, restore → lock, wrong password, unlock. Every
 * listing, detail and status body the page receives is checked for secret values at the end.
 */
const PASSWORD = 'e2e flows password 1';
const LEVELS = [
  { label: 'Personal', tag: 'pers' },
  { label: 'Backend', tag: 'ws' },
  { label: 'Organization', tag: 'org' },
] as const;

let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;
let cert: CertFiles;
const watched: { url: string; body: string }[] = [];
/** Everything the page wrote to its console, and its uncaught errors. */
const consoleLines: string[] = [];
const secretValues: string[] = [];

function secretsFor(tag: string): UiSecret[] {
  return [
    { type: 'api-key', name: `${tag}-stripe-api`, headerName: 'X-API-Key', value: `sk_${tag}_apikey_9f8e7d6c` },
    { type: 'bearer-token', name: `${tag}-github-bearer`, headerName: 'Authorization', headerValue: `Bearer ghp_${tag}_tok_5a4b3c2d` },
    { type: 'client-credentials', name: `${tag}-okta-client`, clientId: `${tag}-client-id`, url: 'https://auth.example.com/oauth/token', clientSecret: `cs_${tag}_secret_1q2w3e` },
    { type: 'certificate', name: `${tag}-edge-cert`, pem: cert.pem, key: cert.key },
    { type: 'key-value', name: `${tag}-db-env`, pairs: [['DB_USER', `user_${tag}_x`], ['DB_PASS', `pw_${tag}_kv_7h8j9k`]] },
  ];
}

beforeAll(async () => {
  cert = await makeCert();
  browser = await launchChromium();
  running = await startCoffer();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.door.url).origin });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on('response', (res) => {
    const url = res.url();
    if (/\/api\/(secrets\.list|secrets\.detail|app\.status)$/.test(url)) {
      void res.text().then(
        (body) => watched.push({ url, body }),
        () => undefined,
      );
    }
  });
  await page.goto(running.door.url);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
  if (cert) rmSync(cert.dir, { recursive: true, force: true });
});

describe('Coffer in the browser, one vault start to finish', () => {
  test('first run: create a vault', async () => {
    await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
    await page.getByLabel('Organization').fill('Acme E2E');
    await page.getByLabel('Your name').fill('alice');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('heading', { level: 1, name: 'Personal' }).waitFor({ timeout: 20_000 });
    await page.getByText('No secrets here yet — Register secret').waitFor();
  });

  test('registers one secret of each type at Personal, a workspace and Organization', async () => {
    await page.getByRole('button', { name: 'Add workspace' }).click();
    await page.getByLabel('New workspace name').fill('Backend');
    await page.getByLabel('New workspace name').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Backend' }).waitFor();

    for (const { label, tag } of LEVELS) {
      await goScope(page, label);
      for (const s of secretsFor(tag)) {
        await registerViaUi(page, s);
        if (s.type === 'api-key') secretValues.push(s.value);
        if (s.type === 'bearer-token') secretValues.push(s.headerValue);
        if (s.type === 'client-credentials') secretValues.push(s.clientSecret);
        if (s.type === 'key-value') secretValues.push(...s.pairs.map(([, v]) => v));
      }
      await seeText(page.getByTestId('row-count'), '5 of 5');
      expect(await page.getByTestId('secret-row').count()).toBe(5);
    }
    secretValues.push(pemBodyLine(cert.keyText));
    const nav = page.getByRole('navigation', { name: 'Scopes' });
    for (const { label } of LEVELS) await seeText(nav.getByRole('button', { name: new RegExp(`^${label}`) }), '5');
    await screenshot(page, 'flows-org-table-light');
  });

  test('search narrows the table and the headers sort it', async () => {
    await goScope(page, 'Personal');
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('bearer');
    await seeText(page.getByTestId('row-count'), '1 of 5');
    await expect.poll(() => rowNames(page)).toEqual(['pers-github-bearer']);
    await page.getByRole('searchbox', { name: 'Search secrets' }).fill('zzz-nothing');
    await page.getByText('No secrets match').waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await seeText(page.getByTestId('row-count'), '5 of 5');

    const sorted = ['pers-db-env', 'pers-edge-cert', 'pers-github-bearer', 'pers-okta-client', 'pers-stripe-api'];
    const nameHeader = page.getByRole('columnheader', { name: 'Secret name' });
    await nameHeader.getByRole('button').click();
    await hasAttr(nameHeader, 'aria-sort', /ascending|descending/);
    const first = (await nameHeader.getAttribute('aria-sort')) === 'ascending' ? sorted : [...sorted].reverse();
    await expect.poll(() => rowNames(page)).toEqual(first);
    await nameHeader.getByRole('button').click();
    await expect.poll(() => rowNames(page)).toEqual([...first].reverse());

    const typeHeader = page.getByRole('columnheader', { name: 'Credential Type' });
    await typeHeader.getByRole('button').click();
    await expect.poll(() => typeHeader.getAttribute('aria-sort')).not.toBe('none');
    await hasAttr(nameHeader, 'aria-sort', 'none');
  });

  test('settings: reveal and clipboard times set to 2 s through the Settings screen', async () => {
    await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Hide revealed values after (seconds)').fill('2');
    await page.getByLabel('Clear the clipboard after (seconds)').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Settings saved' }).waitFor();
    expect(running.app.settings()).toMatchObject({ revealSeconds: 2, clipboardSeconds: 2 });
  });

  test('reveal shows the value, then hides it when the timer runs out', async () => {
    await goScope(page, 'Personal');
    await page.getByTestId('secret-row').filter({ hasText: 'pers-stripe-api' }).click();
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('heading', { name: 'pers-stripe-api' }).waitFor();
    const valueField = panel.locator('[data-testid="secret-field"][data-field="value"]');
    await valueField.getByRole('img', { name: 'Value hidden' }).waitFor();
    await panel.getByRole('button', { name: 'Reveal' }).click();
    await seeText(valueField, 'sk_pers_apikey_9f8e7d6c');
    await panel.getByRole('button', { name: 'Hide' }).waitFor();
    await panel.getByTestId('reveal-countdown').waitFor();
    await screenshot(page, 'flows-revealed-light');
    await noText(valueField, 'sk_pers_apikey_9f8e7d6c', 4_000);
    await valueField.getByRole('img', { name: 'Value hidden' }).waitFor();
    await panel.getByRole('button', { name: 'Reveal' }).waitFor();
    await hasCount(panel.getByTestId('reveal-countdown'), 0);
  });

  test('copy puts the value on the clipboard and clears it after the clipboard time', async () => {
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied — clears in 2 s' }).waitFor();
    const read = () => readClipboard(page);
    expect(await read()).toBe('sk_pers_apikey_9f8e7d6c');
    await expect.poll(read, { timeout: 5_000 }).toBe('');

    await panel.getByRole('button', { name: 'Copy Value' }).click();
    await expect.poll(read).toBe('sk_pers_apikey_9f8e7d6c');
    await expect.poll(read, { timeout: 5_000 }).toBe('');
  });

  test('edit → history → restore', async () => {
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit pers-stripe-api' });
    await dialog.locator('#edit-value').fill('sk_pers_apikey_ROTATED');
    await dialog.getByLabel('Header Name').fill('X-Stripe-Key');
    await screenshot(page, 'flows-edit-light');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Saved as revision 2' }).waitFor();
    await hasCount(dialog, 0);
    await seeText(panel.locator('[data-field="headerName"]'), 'X-Stripe-Key');

    await panel.getByRole('tab', { name: 'History' }).click();
    const revisions = panel.getByTestId('revision');
    await hasCount(revisions, 2);
    await seeText(revisions.first(), 'Revision 2');
    await seeText(revisions.first(), 'Current');
    await screenshot(page, 'flows-history-light');
    await panel.getByRole('button', { name: 'Restore revision 1' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Revision 1 restored as revision 3' }).waitFor();
    await hasCount(revisions, 3);

    await panel.getByRole('tab', { name: 'Details' }).click();
    await seeText(panel.locator('[data-field="headerName"]'), 'X-API-Key');
    await panel.getByRole('button', { name: 'Reveal' }).click();
    await seeText(panel.locator('[data-field="value"]'), 'sk_pers_apikey_9f8e7d6c');
    await panel.getByRole('button', { name: 'Hide' }).click();
    await noText(panel.locator('[data-field="value"]'), 'sk_pers_apikey_9f8e7d6c');
  });

  test('lock, wrong password, unlock', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Acme E2E' }).waitFor();
    await hasCount(page.getByTestId('secret-row'), 0);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password' }).waitFor({ timeout: 15_000 });
    await hasAttr(page.getByLabel(/^Password/), 'aria-invalid', 'true');
    await screenshot(page, 'flows-wrong-password-light');
    await unlock(page, PASSWORD);
    await goScope(page, 'Organization');
    await seeText(page.getByTestId('row-count'), '5 of 5');
  });

  test('no secret value is in any list, detail or status body the page received', async () => {
    expect(secretValues.length).toBeGreaterThanOrEqual(16);
    const kinds = new Set(watched.map((w) => w.url.replace(/.*\/api\//, '')));
    expect([...kinds].sort()).toEqual(['app.status', 'secrets.detail', 'secrets.list']);
    expect(watched.length).toBeGreaterThan(20);
    for (const { url, body } of watched) {
      for (const v of [...secretValues, 'sk_pers_apikey_ROTATED']) {
        if (body.includes(v)) throw new Error(`${url} carried the secret value ${v}`);
      }
    }
  });

  test('no secret value and no password in anything the page wrote to its console', () => {
    const known = [...secretValues, 'sk_pers_apikey_ROTATED', PASSWORD, 'not the password'];
    expect(consoleLines.filter((line) => known.some((v) => line.includes(v)))).toEqual([]);
  });
});
