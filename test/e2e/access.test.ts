import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addMember } from '../../electron/core/vault/members';
import type { AxeViolation, Running } from './harness';
import { PASSWORD, axeInTheme, axeSerious, goScope, readClipboard, hasAttr, hasCount, launchChromium, noText, openApp, screenshot, seeText, showTheme, startCoffer, unlock } from './harness';

/**
 * The admin's access screens on one vault, in order: add a member (setup code shown once), make a
 * team and put them in it, create a service credential (secret shown once, then nowhere), see who
 * can read a team-only secret, revoke the credential by typing its name; a plain member sees none
 * of these screens; the new member unlocks with the setup code and chooses a password.
 */
let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;
let setupCode = '';
const BOB_PASSWORD = 'bob chose this one 42';
const found: { screen: string; violations: AxeViolation[] }[] = [];

const nav = () => page.getByRole('navigation', { name: 'Scopes' });

async function go(label: string, heading = label) {
  await nav().getByRole('button', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** axe, and a screenshot in light and dark (the theme follows the system until chosen). */
async function check(screen: string) {
  await page.evaluate('document.fonts.ready');
  for (const theme of ['light', 'dark'] as const) {
    await showTheme(page, theme);
    const violations = await axeInTheme(page, theme);
    if (violations.length) found.push({ screen: `${screen}-${theme}`, violations });
    await screenshot(page, `access-${screen}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // Narrow windows: nothing scrolls sideways.
  await page.setViewportSize({ width: 900, height: 800 });
  await screenshot(page, `access-${screen}-light-900`);
  const sideways = await page.evaluate("[...document.querySelectorAll('.page, .table-scroll, .dialog-body')].some((el) => el.scrollWidth > el.clientWidth + 1)");
  expect(sideways, `${screen} scrolls sideways at 900 px`).toBe(false);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Unlock as one of several members (the unlock screen asks which). */
async function unlockAs(member: string, password: string, waitFor: 'app' | 'choose' = 'app') {
  await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
  await page.getByLabel('Member').selectOption(member);
  if (waitFor === 'app') return unlock(page, password);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
}

async function lock() {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByRole('heading', { name: 'Unlock Acme' }).waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  running = await startCoffer({
    seed: {
      workspaces: ['Backend'],
      setup: (session) => void addMember(session, { name: 'carol', role: 'member', password: PASSWORD }),
    },
  });
  ({ context, page } = await openApp(browser, running));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.door.url).origin });
  page.setDefaultTimeout(10_000);
  await unlockAs('alice', PASSWORD);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
});

describe('an Account Holder manages access', () => {
  test('adds a member: the setup code is shown once and the dialog closes only when stored', async () => {
    await go('Members');
    await page.getByTestId('member-row').filter({ hasText: 'carol' }).waitFor();
    await seeText(page.getByTestId('member-row').filter({ hasText: 'carol' }), 'never');
    await check('members');

    await page.getByRole('button', { name: 'Add member' }).click();
    const add = page.getByRole('dialog', { name: 'Add member' });
    await add.getByLabel('Login').fill('bob');
    await add.getByLabel('Role').selectOption({ label: 'Member' });
    await add.getByRole('button', { name: 'Add member' }).click();

    const shown = page.getByRole('dialog', { name: 'Setup code for bob' });
    await shown.waitFor();
    await seeText(shown, 'will not be shown again');
    await seeText(shown, 'type it as their password at their first unlock');
    setupCode = (await shown.getByTestId('shown-value').innerText()).trim();
    expect(setupCode.length).toBeGreaterThan(8);
    await screenshot(page, 'access-setup-code-light');
    expect(await axeSerious(page)).toEqual([]);

    const close = shown.getByRole('button', { name: 'Done', exact: true });
    expect(await close.isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await shown.waitFor();
    await shown.getByLabel('I have stored it').check();
    await close.click();
    await shown.waitFor({ state: 'detached' });
    await page.getByTestId('member-row').filter({ hasText: 'bob' }).waitFor();
    await noText(page.locator('body'), setupCode);
    expect(await page.content()).not.toContain(setupCode);
  });

  test('the Roles tab lists roles with their permissions and member counts; a custom role is created and deleted', async () => {
    await page.getByRole('tab', { name: 'Roles' }).click();
    const holder = page.getByTestId('role-card').filter({ hasText: 'Account Holder' });
    await seeText(holder, 'Grant the Account Holder role');
    await seeText(page.getByTestId('role-card').filter({ has: page.getByRole('heading', { name: 'Member', exact: true }) }), '2 members');
    await check('roles');

    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog', { name: 'New role' });
    await dialog.getByLabel('Role name').fill('Auditor');
    await dialog.getByLabel('Read the audit log').check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'detached' });
    const auditor = page.getByTestId('role-card').filter({ hasText: 'Auditor' });
    await seeText(auditor, 'Custom');
    await seeText(auditor, '0 members');
    await seeText(auditor, 'Read the audit log');
    await auditor.getByRole('button', { name: 'Delete role Auditor' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete role Auditor?' });
    await confirm.getByLabel(/to confirm/).fill('Auditor');
    await confirm.getByRole('button', { name: 'Delete role' }).click();
    await confirm.waitFor({ state: 'detached' });
    await hasCount(page.getByTestId('role-card').filter({ hasText: 'Auditor' }), 0);
    await page.getByRole('tab', { name: 'Members' }).click();
  });

  test('makes a team and adds the new member to it', async () => {
    await go('Teams');
    await page.getByText('No teams yet').waitFor();
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog', { name: 'New team' });
    await dialog.getByLabel('Team name').fill('Payments');
    await dialog.getByRole('button', { name: 'Create team' }).click();
    const card = page.getByTestId('team-card').filter({ hasText: 'Payments' });
    await card.waitFor();
    await card.getByLabel('Choose members to add to Payments').selectOption('bob');
    await card.getByRole('button', { name: 'Add members to Payments' }).click();
    await card.getByRole('list', { name: 'Members of Payments' }).getByText('bob').waitFor();
    await check('teams');
  });

  test('creates a service credential through the wizard; its secret is shown once and then nowhere', async () => {
    await go('Service credentials');
    await page.getByText('No service credentials yet').waitFor();
    await seeText(page.getByTestId('credential-limit'), 'You own 0 of the 2');
    await page.getByRole('button', { name: 'Create service credential' }).click();
    const wizard = page.getByRole('dialog', { name: 'Create service credential' });
    await hasAttr(wizard.locator('[aria-current="step"]'), 'data-state', 'current');
    await seeText(wizard.locator('[aria-current="step"]'), 'Name');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('Credential name is required').waitFor();
    await wizard.getByLabel('Name').fill('deploy-pipeline');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await seeText(wizard.locator('[aria-current="step"]'), 'Teams');
    await wizard.getByLabel('Payments').check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    const review = wizard.getByTestId('credential-review');
    await seeText(review, 'deploy-pipeline');
    await seeText(review, 'Payments');
    await screenshot(page, 'access-credential-review-light');
    await wizard.getByRole('button', { name: 'Finish' }).click();

    const shown = page.getByRole('dialog', { name: 'deploy-pipeline is ready' });
    await shown.waitFor();
    await seeText(shown, "You won't see the Client Secret again after closing");
    const labels = await shown.locator('dt').allInnerTexts();
    expect(labels).toEqual(['Client Id', 'Client Secret', 'Realm']);
    const values = await shown.getByTestId('shown-value').allInnerTexts();
    const secret = values[1]!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await shown.getByRole('button', { name: 'Copy Client Secret' }).click();
    expect(await readClipboard(page)).toBe(secret);
    await check('credential-shown-once');

    const close = shown.getByRole('button', { name: 'Done', exact: true });
    expect(await close.isDisabled()).toBe(true);
    await shown.getByLabel('I have stored it').check();
    await close.click();
    await shown.waitFor({ state: 'detached' });
    const row = page.getByTestId('credential-row').filter({ hasText: 'deploy-pipeline' });
    await seeText(row, 'Payments');
    await seeText(row, 'never');
    await noText(page.locator('body'), secret);
    expect(await page.content()).not.toContain(secret);
    await check('credentials');
  });

  test('who can read a team-only organization secret: the team, its member and its credential', async () => {
    await goScope(page, 'Organization');
    await page.getByRole('button', { name: 'Register secret' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Register secret' });
    await dialog.getByRole('group', { name: 'Credential Type' }).getByText('API Key', { exact: true }).click();
    await dialog.getByLabel('Secret Name').fill('payments-api');
    await dialog.getByLabel('Header Name').fill('X-Key');
    await dialog.locator('#reg-value').fill('pay_value_1');
    await dialog.getByText('Chosen teams').click();
    await dialog.getByLabel('Payments').check();
    await dialog.getByRole('button', { name: 'Register secret' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('secret-row').filter({ hasText: 'payments-api' }).click();
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('tab', { name: 'Who can read' }).click();
    await hasCount(panel.getByTestId('reader').filter({ hasText: 'bob' }), 1);
    await seeText(panel.getByTestId('reader').filter({ hasText: 'bob' }), 'member of team Payments');
    await seeText(panel.locator('[data-kind="team"]'), 'Payments');
    await seeText(panel.locator('[data-kind="credential"]'), 'deploy-pipeline');
    await hasCount(panel.getByTestId('reader').filter({ hasText: 'carol' }), 0);
    await check('who-can-read');
    await page.keyboard.press('Escape');
  });

  test('the edit dialog moves the secret to the entire organization: then every member can read it', async () => {
    await page.getByTestId('secret-row').filter({ hasText: 'payments-api' }).click();
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit payments-api' });
    expect(await dialog.getByLabel('Payments').isChecked()).toBe(true);
    await dialog.getByText('Entire organization').click();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await panel.getByRole('tab', { name: 'Who can read' }).click();
    await seeText(panel.getByTestId('reader').filter({ hasText: 'carol' }), 'member of the organization');
    await hasCount(panel.locator('[data-kind="team"]'), 0);
    await page.keyboard.press('Escape');
  });

  test('revokes the credential: the button waits for its exact name', async () => {
    await go('Service credentials');
    await page.getByRole('button', { name: 'Revoke deploy-pipeline' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke deploy-pipeline?' });
    await seeText(dialog, 'Create the replacement credential');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
    const revoke = dialog.getByRole('button', { name: 'Revoke', exact: true });
    await dialog.getByLabel(/to confirm/).fill('deploy-pipelin');
    expect(await revoke.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill('Deploy-pipeline');
    expect(await revoke.isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill('deploy-pipeline');
    await revoke.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('No service credentials yet').waitFor();
  });
});

describe('other members', () => {
  test('a plain member sees no Members, Teams or Service credentials', async () => {
    await lock();
    await unlockAs('carol', PASSWORD);
    await nav().getByRole('button', { name: 'Organization' }).waitFor();
    for (const label of ['Members', 'Teams', 'Service credentials']) await hasCount(nav().getByRole('button', { name: label, exact: true }), 0);
    await screenshot(page, 'access-sidebar-member-light');
  });

  test('the new member unlocks with the setup code, chooses a password, and reaches the app', async () => {
    await lock();
    await unlockAs('bob', setupCode, 'choose');
    await check('choose-password');
    await page.getByLabel('New password', { exact: true }).fill(BOB_PASSWORD);
    await page.getByLabel('New password again').fill('not the same');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await page.getByLabel('New password again').fill(BOB_PASSWORD);
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    await nav().waitFor();
    await page.getByRole('heading', { level: 1, name: 'Personal' }).waitFor();
    await lock();
    await unlockAs('bob', BOB_PASSWORD);
  });
  test('no serious accessibility violations on the access screens', () => {
    expect(found).toEqual([]);
  });
});
