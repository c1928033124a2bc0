import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Running } from './harness';
import { hasAttr, hasCount, launchChromium, noText, openApp, screenshot, seeText, startCoffer, unlock, PASSWORD } from './harness';

/** The same secret flow twice: with the keyboard alone, then with the mouse alone. */
let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;

const seed = {
  secrets: [
    { type: 'api-key' as const, name: 'payments-api', level: 'personal' as const, fields: { headerName: 'X-API-Key', value: 'sk_payments_4f4f4f' } },
    { type: 'api-key' as const, name: 'payroll-api', level: 'personal' as const, fields: { headerName: 'X-API-Key', value: 'sk_payroll_5e5e5e' } },
    { type: 'key-value' as const, name: 'search-env', level: 'personal' as const, fields: { pairs: [{ key: 'ES_PASS', value: 'es_pw_6d6d' }] } },
  ],
};

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  running = await startCoffer({ seed });
  ({ context, page } = await openApp(browser, running));
  page.setDefaultTimeout(10_000);
});
afterEach(async () => {
  await context?.close();
  await running?.stop();
});

const active = (p: Page): Promise<string> =>
  p.evaluate('(() => { const e = document.activeElement; return e ? (e.id || e.getAttribute("aria-label") || e.textContent || e.tagName).trim() : ""; })()');

/** Presses Tab until the focused element matches the selector (keyboard only: no clicks). */
async function tabTo(p: Page, selector: string, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await p.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}; focus is on ${await active(p)}`);
}

describe('input', () => {
  test('keyboard alone: unlock, register, search, open, reveal, edit, close', async () => {
    const kb = page.keyboard;
    // The password field has the focus on the unlock screen.
    await expect.poll(() => active(page)).toBe('unlock-password');
    await kb.type(PASSWORD);
    await kb.press('Enter');
    // An Account Holder lands on Review; Alt+1 goes to Personal.
    await page.getByTestId('review').waitFor();
    await kb.press('Alt+1');
    await page.getByTestId('secret-row').first().waitFor();

    // `/` focuses search; Tab reaches Register secret; Enter opens it.
    await kb.press('/');
    expect(await active(page)).toBe('Search secrets');
    await tabTo(page, 'button.btn-primary');
    expect(await active(page)).toBe('Register secret');
    await kb.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Register secret' });
    await dialog.waitFor();
    await tabTo(page, 'input[name="secret-type"]');
    await kb.press('ArrowRight');
    await expect.poll(() => dialog.getByRole('radio', { name: 'Bearer Token (OAuth)' }).isChecked()).toBe(true);
    await tabTo(page, '#reg-name');
    await kb.type('keyboard-token');
    await tabTo(page, '#reg-headerName');
    await kb.type('Authorization');
    await tabTo(page, '#reg-headerValue');
    await kb.type('Bearer kb_secret_7a7a');
    await kb.press('Enter');
    await page.getByTestId('toast').filter({ hasText: 'Registered “keyboard-token”' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('detail-panel').getByRole('heading', { name: 'keyboard-token' }).waitFor();
    await kb.press('Escape');
    await hasCount(page.getByTestId('detail-panel'), 0);

    // Search, then arrows in the table.
    await kb.press('/');
    await kb.type('pay');
    await seeText(page.getByTestId('row-count'), '2 of 4');
    await kb.press('ArrowDown');
    expect(await active(page)).toBe('secret-grid');
    const rows = page.getByTestId('secret-row');
    await hasAttr(rows.nth(0), 'aria-selected', 'true');
    await kb.press('ArrowDown');
    await hasAttr(rows.nth(1), 'aria-selected', 'true');
    await kb.press('ArrowUp');
    await hasAttr(rows.nth(0), 'aria-selected', 'true');
    const name = (await rows.nth(0).locator('.c-name').innerText()).trim();
    await kb.press('Enter');
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('heading', { name }).waitFor();

    // r reveals, r again hides.
    const value = name === 'payments-api' ? 'sk_payments_4f4f4f' : 'sk_payroll_5e5e5e';
    await kb.press('r');
    await seeText(panel.locator('[data-field="value"]'), value);
    await panel.getByRole('button', { name: 'Hide' }).waitFor();
    await screenshot(page, 'keyboard-revealed-light');
    await kb.press('r');
    await noText(panel.locator('[data-field="value"]'), value);

    // e edits; type a new name, Enter saves.
    await kb.press('e');
    const edit = page.getByRole('dialog', { name: `Edit ${name}` });
    await edit.waitFor();
    await tabTo(page, '#edit-name');
    await kb.press('ControlOrMeta+a');
    await kb.type(`${name}-v2`);
    await kb.press('Enter');
    await page.getByTestId('toast').filter({ hasText: 'Saved as revision 2' }).waitFor();
    await edit.waitFor({ state: 'detached' });
    await panel.getByRole('heading', { name: `${name}-v2` }).waitFor();

    // e again, Esc closes the dialog without saving.
    await page.getByRole('grid', { name: 'Secrets' }).focus();
    await kb.press('e');
    await page.getByRole('dialog', { name: `Edit ${name}-v2` }).waitFor();
    await kb.press('Escape');
    await hasCount(page.getByRole('dialog'), 0);
    // That one Esc closed the dialog only: the detail panel behind it stays open.
    await panel.getByRole('heading', { name: `${name}-v2` }).waitFor();
    await screenshot(page, 'keyboard-after-esc-in-edit-light');

    // A second Esc closes the panel and the table keeps the focus.
    await kb.press('Escape');
    await hasCount(page.getByTestId('detail-panel'), 0);
    expect(await active(page)).toBe('secret-grid');
  });

  test('mouse alone: open, reveal, copy, edit, history, close', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(running.door.url).origin });
    await page.getByLabel(/^Password/).click();
    await unlock(page);
    await page.getByTestId('secret-row').filter({ hasText: 'search-env' }).click();
    const panel = page.getByTestId('detail-panel');
    await panel.getByRole('heading', { name: 'search-env' }).waitFor();
    await panel.getByRole('button', { name: 'Reveal' }).click();
    await seeText(panel.locator('[data-field="ES_PASS"]'), 'es_pw_6d6d');
    await panel.getByRole('button', { name: 'Hide' }).click();
    await noText(panel.locator('[data-field="ES_PASS"]'), 'es_pw_6d6d');
    await panel.getByRole('button', { name: 'Copy ES_PASS' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copied — clears in 30 s' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('es_pw_6d6d');

    await panel.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit search-env' });
    await edit.getByLabel('New value for ES_PASS', { exact: true }).fill('es_pw_rotated');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Saved as revision 2' }).waitFor();
    await panel.getByRole('tab', { name: 'History' }).click();
    await hasCount(panel.getByTestId('revision'), 2);
    await panel.getByRole('tab', { name: 'Where used' }).click();
    await panel.getByTestId('usage-entry').first().waitFor();
    await panel.getByRole('button', { name: 'Close details' }).click();
    await hasCount(page.getByTestId('detail-panel'), 0);
    // Locking clears what Coffer put on the clipboard.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('');
  });
});
