import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addMember } from '../../electron/core/vault/members';
import { Vault } from '../../electron/core/vault/vault';
import type { RestServer } from '../../electron/server/rest';
import { startRestServer } from '../../electron/server/rest';
import type { AxeViolation, Running, Theme } from './harness';
import { PASSWORD, axeInTheme, hasAttr, hasCount, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * The Service accounts screen on one vault, in order: create a workspace-level account (its key's
 * secret shown once, then nowhere), add a second key, renew the first (the caution first, then the
 * new secret; the old one no longer opens the vault, as the core says), delete a key, delete the
 * account by typing its name (an organization-level one beside it stays); the audit log names each step; a plain member sees no such screen.
 * Secrets are read from the dialogs and compared, never printed.
 */
let browser: Browser;
let running: Running;
let restVault: Vault;
let rest: RestServer;
let context: BrowserContext;
let page: Page;
const found: { screen: string; violations: AxeViolation[] }[] = [];
const keys: { id: string; secret: string }[] = [];
const ACCOUNT = 'deploy-bot';

const nav = () => page.getByRole('navigation', { name: 'Scopes' });
const card = () => page.getByTestId('account-card').filter({ hasText: ACCOUNT });
/** What the screen names a key by in short: the last group of its id (the first is a timestamp). */
const shortOf = (id: string) => id.split('-').pop()!;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function go(label: string) {
  await nav().getByRole('button', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/** axe on the screen as it is (in dark: once checked in light, the colour rules, see axeInTheme). */
async function axe(screen: string, theme: Theme = 'light') {
  const violations = await axeInTheme(page, theme);
  if (violations.length) found.push({ screen, violations });
}

/** axe, and screenshots in light and dark, and at 900 px (where nothing may scroll sideways). */
async function check(screen: string) {
  await page.evaluate('document.fonts.ready');
  for (const theme of ['light', 'dark'] as const) {
    // Reduced motion: no colour transition is caught halfway in a screenshot.
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await hasAttr(page.locator('html'), 'data-theme', theme);
    await axe(`${screen}-${theme}`, theme);
    await screenshot(page, `accounts-${screen}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 900, height: 800 });
  await screenshot(page, `accounts-${screen}-light-900`);
  const sideways = await page.evaluate("[...document.querySelectorAll('.page, .table-scroll, .dialog-body')].some((el) => el.scrollWidth > el.clientWidth + 1)");
  expect(sideways, `${screen} scrolls sideways at 900 px`).toBe(false);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * The shown-once dialog: reads the key id and secret, checks that only "I have stored it" lets it
 * close, closes it and checks the secret is nowhere in the page afterwards.
 */
async function takeShownKey(title: string, screen?: string): Promise<{ id: string; secret: string }> {
  const shown = page.getByRole('dialog', { name: title });
  await shown.waitFor();
  await seeText(shown, "You won't see this secret again after closing");
  expect(await shown.locator('dt').allInnerTexts()).toEqual(['Key ID', 'Secret']);
  const [id, secret] = (await shown.getByTestId('shown-value').allInnerTexts()).map((v) => v.trim());
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(secret!.startsWith('coffer_sak_')).toBe(true);
  if (screen) await check(screen);
  const done = shown.getByRole('button', { name: 'Done', exact: true });
  expect(await done.isDisabled()).toBe(true);
  await page.keyboard.press('Escape');
  await shown.waitFor();
  await shown.getByLabel('I have stored it').check();
  await done.click();
  await shown.waitFor({ state: 'detached' });
  // Compared as booleans, so a failure does not print the secret.
  expect((await page.locator('body').innerText()).includes(secret!)).toBe(false);
  expect((await page.content()).includes(secret!)).toBe(false);
  return { id: id!, secret: secret! };
}

/** Tries a key's secret the way automation does: over the REST API (`coffer serve`) on the same vault file. */
async function tryKey(secret: string): Promise<'opened' | string> {
  const res = await fetch(`${rest.url}/api/secret/v1/secret`, { headers: { authorization: `Bearer ${secret}` } });
  if (res.status === 200) return 'opened';
  return ((await res.json()) as { code: string }).code;
}

const keyRows = (): Locator => card().getByTestId('account-key');

beforeAll(async () => {
  browser = await launchChromium();
  running = await startCoffer({
    seed: {
      workspaces: ['Backend', 'Frontend'],
      setup: (session) => void addMember(session, { name: 'carol', role: 'member', password: PASSWORD }),
    },
  });
  ({ context, page } = await openApp(browser, running));
  restVault = await Vault.open(running.vaultPath);
  rest = await startRestServer(restVault);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.door.url).origin });
  page.setDefaultTimeout(10_000);
  await page.getByLabel('Member').selectOption('alice');
  await unlock(page);
});

afterAll(async () => {
  await rest?.close();
  restVault?.close();
  await context?.close();
  await browser?.close();
  await running?.stop();
});

describe('an Account Holder manages service accounts', () => {
  test('the screen starts empty', async () => {
    await go('Service accounts');
    await page.getByText('No service accounts yet').waitFor();
    await check('empty');
  });

  test('creates a workspace-level account; its first key is shown once and then nowhere', async () => {
    await page.getByRole('button', { name: 'Create service account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create service account' });
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.getByText('Service account name is required').waitFor();
    const roles = await dialog.getByLabel('Role').locator('option').allInnerTexts();
    expect(roles).toContain('Sys Admin');
    expect(roles).not.toContain('Account Holder');
    await dialog.getByLabel('Name').fill(ACCOUNT);
    await dialog.getByLabel('Role').selectOption({ label: 'Member' });
    await dialog.getByLabel('Level').selectOption({ label: 'Workspace Backend' });
    await seeText(dialog, 'It holds Backend’s secrets only');
    await dialog.getByLabel('Allow Basic authentication').check();
    await dialog.getByLabel('Expiration Date').fill(isoDay(Date.now() + 90 * 86_400_000));
    await check('create');
    await dialog.getByRole('button', { name: 'Create account' }).click();

    keys.push(await takeShownKey(`${ACCOUNT} is ready`, 'shown-once'));
    await seeText(card().getByTestId('account-level'), 'Workspace Backend');
    await seeText(card(), 'Member role');
    await seeText(card(), 'Basic auth');
    await hasCount(keyRows(), 1);
    await seeText(keyRows().first(), shortOf(keys[0]!.id));
    await seeText(keyRows().first(), 'never');
  });

  test('a second key, shown once; the first key opens the vault', async () => {
    await page.getByRole('button', { name: `Add a key to ${ACCOUNT}` }).click();
    const dialog = page.getByRole('dialog', { name: `Add a key to ${ACCOUNT}` });
    await dialog.getByRole('button', { name: 'Add key' }).click();
    keys.push(await takeShownKey(`New key for ${ACCOUNT}`));
    await hasCount(keyRows(), 2);
    expect(keys[1]!.id).not.toBe(keys[0]!.id);
    expect(await tryKey(keys[0]!.secret)).toBe('opened');
  });

  test('an organization-level account with another role sits beside it', async () => {
    await page.getByRole('button', { name: 'Create service account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create service account' });
    await dialog.getByLabel('Name').fill('nightly-backup');
    await dialog.getByLabel('Role').selectOption({ label: 'Sys Admin' });
    await seeText(dialog, 'across the organization');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await takeShownKey('nightly-backup is ready');
    const other = page.getByTestId('account-card').filter({ hasText: 'nightly-backup' });
    await seeText(other.getByTestId('account-level'), 'Organization');
    await seeText(other, 'Sys Admin role');
    expect(await other.innerText()).not.toContain('Basic auth');
    await check('list');
  });

  test('renews the first key: the caution first, then a new secret; the old one fails at once', async () => {
    const short = shortOf(keys[0]!.id);
    await page.getByRole('button', { name: `Renew key ${short} of ${ACCOUNT}` }).click();
    const dialog = page.getByRole('dialog', { name: `Renew a key of ${ACCOUNT}?` });
    await seeText(dialog, `Key ${short} keeps its id`);
    await seeText(dialog, 'Once a service account key is renewed, the previous secret is discarded and will not be recoverable');
    await seeText(dialog, 'fail at once');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await check('renew');
    await dialog.getByRole('button', { name: 'Renew key' }).click();
    const renewed = await takeShownKey(`Key of ${ACCOUNT} renewed`);
    expect(renewed.id).toBe(keys[0]!.id);
    expect(renewed.secret === keys[0]!.secret).toBe(false);

    expect(await tryKey(keys[0]!.secret)).toBe('AUTH');
    expect(await tryKey(renewed.secret)).toBe('opened');
    expect(await tryKey(keys[1]!.secret)).toBe('opened');
    keys[0] = renewed;

    // The pipeline's unlocks above count as use: the list says so after a reload.
    await go('Audit');
    await go('Service accounts');
    await hasCount(keyRows(), 2);
    await seeText(keyRows().first(), 'just now');
  });

  test('deletes the second key after a confirmation', async () => {
    const short = shortOf(keys[1]!.id);
    await page.getByRole('button', { name: `Delete key ${short} of ${ACCOUNT}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete a key of ${ACCOUNT}?` });
    await seeText(dialog, 'other keys keep working');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    await axe('delete-key');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await hasCount(keyRows(), 1);
    expect(await tryKey(keys[1]!.secret)).toBe('AUTH');
  });

  test('deletes the account: the button waits for its exact name', async () => {
    await page.getByRole('button', { name: `Delete ${ACCOUNT}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${ACCOUNT}?` });
    await seeText(dialog, 'Its key stops working at once');
    await seeText(dialog, 'rotated to new keys');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    const remove = dialog.getByRole('button', { name: 'Delete account' });
    for (const wrong of ['deploy-bo', 'Deploy-bot', 'deploy-bot ']) {
      await dialog.getByLabel(/to confirm/).fill(wrong);
      expect(await remove.isDisabled()).toBe(true);
    }
    await dialog.getByLabel(/to confirm/).fill(ACCOUNT);
    await check('delete-account');
    await remove.click();
    await dialog.waitFor({ state: 'detached' });
    await hasCount(card(), 0);
    await seeText(page.getByRole('status').filter({ hasText: 'service account' }), '1 service account');
    expect(await tryKey(keys[0]!.secret)).toBe('AUTH');
  });

  test('the audit log says each step in words', async () => {
    await go('Audit');
    const log = page.getByTestId('audit-table');
    for (const label of ['Created a service account', 'Added an account key', 'Renewed an account key', 'Deleted an account key', 'Deleted a service account'])
      await seeText(log, label);
    await screenshot(page, 'accounts-audit-light');
  });
});

describe('other members', () => {
  test('a plain member sees no Service accounts', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByLabel('Member').selectOption('carol');
    await unlock(page);
    await hasCount(nav().getByRole('button', { name: 'Service accounts', exact: true }), 0);
  });

  test('no serious accessibility violations on the screen and its dialogs', () => {
    expect(found).toEqual([]);
  });
});
