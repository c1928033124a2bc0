import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { withRawDb } from '../support/sql';
import type { Running } from './harness';
import { axeSerious, launchChromium, openApp, screenshot, seeText, seedVault, startCoffer, unlock } from './harness';

/**
 * docs/product.md §1a in the app: a vault whose clear member table and one of whose grants were
 * edited outside Coffer opens, says so in the banner, and keeps working from the signed roster.
 */
let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;
let seedDir = '';

beforeAll(async () => {
  seedDir = mkdtempSync(join(tmpdir(), 'coffer-e2e-integrity-'));
  const vaultPath = join(seedDir, 'edited.coffer');
  await seedVault(vaultPath, {
    workspaces: ['Backend'],
    secrets: [
      { type: 'api-key', name: 'org-token', level: 'organization', fields: { headerName: 'X-Key', value: 'org-value' } },
      { type: 'api-key', name: 'backend-token', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: 'backend-value' } },
    ],
  });
  withRawDb(vaultPath, (db) => {
    db.prepare("UPDATE members SET role = 'member' WHERE login = 'alice'").run();
    const workspace = (db.prepare("SELECT scope_id FROM workspaces WHERE name = 'Backend'").get() as { scope_id: string }).scope_id;
    db.prepare("UPDATE scope_grants SET signature = zeroblob(64) WHERE scope_id = ?").run(workspace);
  });
  browser = await launchChromium();
  running = await startCoffer({ vaultPath });
  ({ context, page } = await openApp(browser, running));
  page.setDefaultTimeout(10_000);
  await unlock(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
  rmSync(seedDir, { recursive: true, force: true });
});

test('the banner names what was edited, and the Account Holder stays one', async () => {
  const banner = page.getByTestId('integrity-warning');
  await seeText(banner, 'Member or team lists were changed outside Coffer.');
  await seeText(banner, 'A key grant sealed to you was not signed by anyone allowed to give it. Coffer did not use it: what it would open stays closed to you.');
  await seeText(banner.getByTestId('unreadable-scope'), 'Your key to workspace Backend does not open: 1 secret in it cannot be read.');
  await screenshot(page, 'integrity-roster-light');
  expect(await axeSerious(page)).toEqual([]);
  const status = await running.app.status();
  expect(status.member).toMatchObject({ name: 'alice', role: 'account-holder' });
  expect(status.integrity).toMatchObject({ grantsRejected: 1, structureMismatch: [expect.stringContaining('alice')], unreadable: [{ scope: 'workspace Backend', secrets: 1 }] });
  await page.getByRole('navigation', { name: 'Scopes' }).getByText('Organization').click();
  await seeText(page.getByTestId('secret-row').first(), 'org-token');
});

test('a view emptied by a key that does not open does not say the vault has no secrets', async () => {
  await page.getByRole('navigation', { name: 'Scopes' }).getByText('Backend').click();
  await seeText(page.getByRole('main'), 'No secret here that you can read');
  expect(await page.getByRole('main').innerText()).not.toContain('No secrets here yet');
  await screenshot(page, 'integrity-closed-workspace-light');
});
