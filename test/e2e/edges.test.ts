import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scheduleDeletion } from '../../electron/core/lifecycle/actions';
import { editSecret } from '../../electron/core/secrets/revisions';
import type { Running } from './harness';
import { goScope, hasAttr, hasCount, launchChromium, noText, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/** Rough edges found by trying the app (issue 19): each one's behaviour, at 1280 and 800 px, in both themes. */
let browser: Browser;
let running: Running;

const apiKey = (name: string, value: string) => ({ type: 'api-key' as const, name, level: 'personal' as const, fields: { headerName: 'X-API-Key', value } });

beforeAll(async () => {
  browser = await launchChromium();
  running = await startCoffer({
    seed: {
      workspaces: ['Backend'],
      secrets: [
        apiKey('doomed-token', 'sk_doomed_7f3a'),
        apiKey('copied-doomed', 'sk_copied_2b9c'),
        apiKey('plain-key', 'sk_plain_5d1e'),
        { type: 'key-value', name: 'db-env', level: 'personal', fields: { pairs: [{ key: 'DB_USER', value: 'first-user-8e2f' }] } },
        { type: 'client-credentials', name: 'okta-client-with-a-long-name', level: 'personal', fields: { clientId: 'c', url: 'https://auth.example.com/token', clientSecret: 'cs_1' } },
      ],
      setup: (s) => {
        scheduleDeletion(s, { name: 'doomed-token' }, 'DELETE');
        scheduleDeletion(s, { name: 'copied-doomed' }, 'DELETE');
        editSecret(s, { ref: { name: 'db-env' }, fields: { setPairs: [{ key: 'DB_USER', value: 'second-user-8e2f' }] } });
      },
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

/** A page on the shared vault, unlocked (from locked, whatever the test before left); `done` closes it. */
async function session(opts: { theme?: 'light' | 'dark'; width?: number } = {}): Promise<{ page: Page; context: BrowserContext; done: () => Promise<void> }> {
  running.app.lock();
  const { context, page } = await openApp(browser, running, opts);
  page.setDefaultTimeout(10_000);
  await unlock(page);
  return { page, context, done: () => context.close() };
}

async function open(page: Page, name: string) {
  await page.getByTestId('secret-row').filter({ hasText: name }).click();
  const panel = page.getByTestId('detail-panel');
  await panel.getByRole('heading', { name }).waitFor();
  return panel;
}

interface Focused {
  tag: string;
  label: string;
  id: string;
  inDialog: boolean;
}

/** What has the focus (a string: the page's types are not this file's). */
const active = (page: Page): Promise<Focused> =>
  page.evaluate(`(() => {
    const el = document.activeElement;
    return { tag: el?.tagName ?? '', label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', id: el?.id ?? '', inDialog: !!el?.closest('[role="dialog"]') };
  })()`);

const toBeDeleted = (page: Page) => page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^To be deleted/ });

describe('a. reading a secret scheduled for deletion', () => {
  test('Reveal warns first; confirmed, a toast says the deletion is cancelled and every count follows', async () => {
    const { page, done } = await session();
    await seeText(toBeDeleted(page), '2');
    const panel = await open(page, 'doomed-token');
    await panel.getByRole('button', { name: 'Reveal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal “doomed-token”?' });
    await seeText(dialog, 'Revealing cancels its scheduled deletion (in 30 days)');
    await screenshot(page, 'edges-after-a-warn-light-1280');
    // Cancel reads nothing: still masked, still scheduled.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await hasCount(panel.locator('[data-revealed]'), 0);
    await seeText(panel.locator('.detail-sub'), 'Scheduled');

    await page.keyboard.press('r');
    await dialog.getByRole('button', { name: 'Reveal and keep it' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Deletion cancelled: doomed-token is active again' }).waitFor();
    await seeText(panel.locator('[data-field="value"]'), 'sk_doomed_7f3a');
    await seeText(panel.locator('.detail-sub'), 'Active');
    await seeText(page.getByTestId('secret-row').filter({ hasText: 'doomed-token' }), 'Active');
    await seeText(toBeDeleted(page), '1');
    await screenshot(page, 'edges-after-a-cancelled-light-1280');
    // Active now: the next reveal asks nothing.
    await panel.getByRole('button', { name: 'Hide' }).click();
    await panel.getByRole('button', { name: 'Reveal' }).click();
    await seeText(panel.locator('[data-field="value"]'), 'sk_doomed_7f3a');
    await hasCount(page.getByRole('dialog'), 0);
    await done();
  });

  test('Copy warns the same way, and To be deleted empties', async () => {
    const { page, context, done } = await session({ theme: 'dark' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const panel = await open(page, 'copied-doomed');
    await panel.getByRole('button', { name: 'Copy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy “copied-doomed”?' });
    await seeText(dialog, 'Copying cancels its scheduled deletion');
    await screenshot(page, 'edges-after-a-warn-dark-1280');
    await dialog.getByRole('button', { name: 'Copy and keep it' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Deletion cancelled: copied-doomed is active again' }).waitFor();
    await seeText(toBeDeleted(page), '0');
    await toBeDeleted(page).click();
    await page.getByRole('heading', { level: 1, name: 'To be deleted' }).waitFor();
    await noText(page.locator('main'), 'copied-doomed');
    await done();
  });
});

describe('b. key/value values are masked while typed', () => {
  test('registering and editing: each value masked, with its own Show/Hide', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { page, done } = await session({ theme });
      await page.getByRole('button', { name: 'Register secret' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Register secret' });
      await dialog.getByRole('group', { name: 'Credential Type' }).getByText('Key/Value', { exact: true }).click();
      await dialog.getByRole('button', { name: 'Add row' }).click();
      const value1 = dialog.getByLabel('Value 1', { exact: true });
      await value1.fill('typed-secret-1');
      await dialog.getByLabel('Value 2', { exact: true }).fill('typed-secret-2');
      expect(await value1.getAttribute('type')).toBe('password');
      await dialog.getByRole('button', { name: 'Show Value 1' }).click();
      expect(await value1.getAttribute('type')).toBe('text');
      expect(await dialog.getByLabel('Value 2', { exact: true }).getAttribute('type')).toBe('password');
      await screenshot(page, `edges-after-b-register-${theme}-1280`);
      await dialog.getByRole('button', { name: 'Hide Value 1' }).click();
      expect(await value1.getAttribute('type')).toBe('password');
      await page.keyboard.press('Escape');

      const panel = await open(page, 'db-env');
      await panel.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: /^Edit/ });
      const newValue = edit.getByLabel('New value for DB_USER', { exact: true });
      await newValue.fill('replacement-9');
      expect(await newValue.getAttribute('type')).toBe('password');
      await edit.getByRole('button', { name: 'Show new value for DB_USER' }).click();
      expect(await newValue.getAttribute('type')).toBe('text');
      await screenshot(page, `edges-after-b-edit-${theme}-1280`);
      await page.keyboard.press('Escape');
      await done();
    }
  });
});

describe('c. below 1000 px the sidebar is a drawer', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`at 800 px (${theme}): Status in view, no sideways scroll; the drawer opens and closes with the keyboard`, async () => {
      const { page, done } = await session({ theme, width: 800 });
      const nav = page.getByRole('navigation', { name: 'Scopes' });
      await expect.poll(() => nav.isVisible()).toBe(false);
      const status = page.getByRole('columnheader', { name: 'Secret Status' });
      const box = (await status.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(800);
      const overflow = await page.evaluate(`(() => {
        const grid = document.getElementById('secret-grid');
        return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, grid: grid.scrollWidth - grid.clientWidth };
      })()`);
      expect(overflow).toEqual({ page: 0, grid: 0 });
      await screenshot(page, `edges-after-c-table-${theme}-800`);

      const menu = page.getByRole('button', { name: 'Navigation' });
      await menu.focus();
      await page.keyboard.press('Enter');
      await hasAttr(menu, 'aria-expanded', 'true');
      await expect.poll(() => nav.isVisible()).toBe(true);
      expect(await active(page)).toMatchObject({ label: expect.stringMatching(/^Personal/) });
      await page.waitForTimeout(300); // the drawer's slide, for the picture
      await screenshot(page, `edges-after-c-drawer-${theme}-800`);
      await page.keyboard.press('Escape');
      await expect.poll(() => nav.isVisible()).toBe(false);
      expect(await active(page)).toMatchObject({ id: 'menu-button' });

      // Going somewhere closes it.
      await page.keyboard.press('Enter');
      await expect.poll(() => nav.isVisible()).toBe(true);
      await nav.getByRole('button', { name: /^Backend/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Backend' }).waitFor();
      await expect.poll(() => nav.isVisible()).toBe(false);
      await goScope(page, 'Personal');
      await expect.poll(() => nav.isVisible()).toBe(false);

      // The panel stacks under the table, which still shows Status.
      await open(page, 'plain-key');
      expect((await status.boundingBox())!.x + box.width).toBeLessThanOrEqual(800);
      await screenshot(page, `edges-after-c-panel-${theme}-800`);
      await done();
    });
  }

  test('at 1280 px the sidebar stays, with no menu button', async () => {
    const { page, done } = await session({ width: 1280 });
    expect(await page.getByRole('navigation', { name: 'Scopes' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Navigation' }).isVisible()).toBe(false);
    await screenshot(page, 'edges-after-c-table-light-1280');
    await done();
  });
});

describe('d. dialogs start on their first field and give the focus back', () => {
  test('Register, Edit, Schedule deletion and Delete now', async () => {
    const { page, done } = await session();
    const register = page.getByRole('button', { name: 'Register secret' }).first();
    await register.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Register secret' });
    await dialog.waitFor();
    // The first field: the checked Credential Type, never the close button.
    expect(await active(page)).toMatchObject({ tag: 'INPUT', inDialog: true });
    expect(await page.evaluate(`document.activeElement?.matches('input[name="secret-type"]:checked')`)).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'API Key', exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'edges-after-d-register-focus-light-1280');
    await dialog.getByLabel('Secret Name').fill('focus-key');
    await dialog.getByLabel('Header Name').fill('X-Key');
    await dialog.locator('#reg-value').fill('focus-value-1');
    await dialog.getByRole('button', { name: 'Register secret' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => active(page)).toMatchObject({ label: 'Register secret' });

    const panel = await open(page, 'focus-key');
    await panel.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: /^Edit/ });
    await edit.waitFor();
    expect(await active(page)).toMatchObject({ tag: 'INPUT', inDialog: true });
    await edit.getByLabel('Header Name').fill('X-Other-Key');
    await edit.getByRole('button', { name: /^Save/ }).click();
    await edit.waitFor({ state: 'detached' });
    await expect.poll(() => active(page)).toMatchObject({ label: 'Edit' });

    // Scheduling replaces its own button: focus goes to the one that took its place.
    await panel.getByRole('button', { name: 'Schedule deletion' }).click();
    const schedule = page.getByRole('dialog', { name: 'Schedule “focus-key” for deletion?' });
    await schedule.getByLabel('Type DELETE to confirm').fill('DELETE');
    await schedule.getByRole('button', { name: 'Schedule deletion' }).click();
    await schedule.waitFor({ state: 'detached' });
    await expect.poll(() => active(page)).toMatchObject({ label: 'Cancel deletion' });

    // Delete now removes the whole panel: focus goes to the table.
    await panel.getByRole('button', { name: 'Delete now' }).click();
    const del = page.getByRole('dialog', { name: 'Delete “focus-key” now?' });
    await del.getByLabel('Type DELETE to confirm').fill('DELETE');
    await del.getByRole('button', { name: 'Delete now' }).click();
    await del.waitFor({ state: 'detached' });
    await expect.poll(() => active(page)).toMatchObject({ id: 'secret-grid' });
    await done();
  });
});

describe('e. history shows an older revision before restoring it', () => {
  test('Show reveals its values for a while (a recorded use); a restore is marked as such', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { page, done } = await session({ theme });
      const panel = await open(page, 'db-env');
      await panel.getByRole('tab', { name: 'History' }).click();
      const revisions = panel.getByTestId('revision');
      const oldest = revisions.filter({ hasText: 'Revision 1' });
      await noText(panel, 'first-user-8e2f', 1000);
      await oldest.getByRole('button', { name: 'Show revision 1' }).click();
      await seeText(oldest.getByTestId('revision-values'), 'first-user-8e2f');
      await screenshot(page, `edges-after-e-shown-${theme}-1280`);
      await oldest.getByRole('button', { name: 'Hide revision 1' }).click();
      await hasCount(oldest.getByTestId('revision-values'), 0);
      if (theme === 'light') {
        await oldest.getByRole('button', { name: 'Restore revision 1' }).click();
        await page.getByTestId('toast').filter({ hasText: 'Revision 1 restored as revision 3' }).waitFor();
        await seeText(revisions.first(), 'Restored from revision 1');
      }
      await seeText(revisions.filter({ hasText: 'Revision 3' }), 'Restored from revision 1');
      await screenshot(page, `edges-after-e-restored-${theme}-1280`);
      await panel.getByRole('tab', { name: 'Where used' }).click();
      await seeText(panel, 'browser');
      await done();
    }
  });
});
