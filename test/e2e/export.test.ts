import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importBundle } from '../../electron/core/bundles/import';
import { getSecretValue } from '../../electron/core/secrets/reading';
import { addMember } from '../../electron/core/vault/members';
import { addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import type { AxeViolation, Running } from './harness';
import { PASSWORD, axeInTheme, hasAttr, hasCount, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * The Export screen, in order: the form and its refusals, a workspace to a passphrase (downloaded,
 * then imported into a second vault with the core's importBundle, trusting the fingerprint the
 * screen showed), chosen secrets to a member, and what a plain member is offered. Values and the
 * passphrase are compared, never printed.
 */
let browser: Browser;
let running: Running;
let context: BrowserContext;
let page: Page;
let work: string;
const found: { screen: string; violations: AxeViolation[] }[] = [];
const PASSPHRASE = 'correct horse battery staple';
const VALUES = { stripe: 'sk_live_export_e2e_4b7d', github: 'ghp_export_e2e_9a1c', personal: 'pk_export_e2e_2f6e', org: 'org_export_e2e_5d3a' };
const day = () => new Date().toISOString().slice(0, 10);

const SECRETS: RegisterSecretInput[] = [
  { type: 'api-key', name: 'stripe-live', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-API-Key', value: VALUES.stripe } },
  { type: 'bearer-token', name: 'github-deploy', level: 'workspace', workspace: 'Backend', fields: { headerName: 'Authorization', headerValue: `Bearer ${VALUES.github}` } },
  { type: 'api-key', name: 'my-sandbox', level: 'personal', fields: { headerName: 'X-Key', value: VALUES.personal } },
  { type: 'api-key', name: 'org-mailer', level: 'organization', fields: { headerName: 'X-Key', value: VALUES.org } },
];

const nav = () => page.getByRole('navigation', { name: 'Scopes' });
const form = () => page.locator('form.page-export');
const result = () => page.getByTestId('export-result');

async function goExport() {
  await nav().getByRole('button', { name: 'Export', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Export' }).waitFor();
}

/** axe, and screenshots in light and dark, and at 900 px (where nothing may scroll sideways). */
async function check(screen: string) {
  await page.evaluate('document.fonts.ready');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await hasAttr(page.locator('html'), 'data-theme', theme);
    const violations = await axeInTheme(page, theme);
    if (violations.length) found.push({ screen: `${screen}-${theme}`, violations });
    await screenshot(page, `export-${screen}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  for (const [width, height] of [
    [900, 800],
    [800, 600],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await screenshot(page, `export-${screen}-light-${width}`);
    const sideways = await page.evaluate("[...document.querySelectorAll('.page, .pick-list')].some((el) => el.scrollWidth > el.clientWidth + 1)");
    expect(sideways, `${screen} scrolls sideways at ${width} px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * Clicks Export bundle and returns the downloaded file's path and suggested name. With `whileBusy`,
 * the call is held at the network until it has run, so the progress can be looked at.
 */
async function exportAndDownload(name: string, whileBusy?: () => Promise<void>): Promise<{ path: string; suggested: string }> {
  let release = () => {};
  if (whileBusy) {
    const gate = new Promise<void>((r) => (release = r));
    await page.route('**/api/bundles.export', async (route) => {
      await gate;
      await route.continue();
    });
  }
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await form().getByRole('button', { name: 'Export bundle' }).click();
  if (whileBusy) {
    await whileBusy();
    release();
  }
  const d = await download;
  if (whileBusy) await page.unroute('**/api/bundles.export');
  const path = join(work, name);
  await d.saveAs(path);
  await result().waitFor({ timeout: 60_000 });
  return { path, suggested: d.suggestedFilename() };
}

beforeAll(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'coffer-e2e-export-'));
  running = await startCoffer({
    seed: {
      workspaces: ['Backend', 'Frontend'],
      secrets: SECRETS,
      setup: (session) => void addMember(session, { name: 'carol', role: 'member', password: PASSWORD }),
    },
  });
  ({ context, page } = await openApp(browser, running));
  page.setDefaultTimeout(15_000);
  await page.getByLabel('Member').selectOption('alice');
  await unlock(page);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an Account Holder exports', () => {
  test('the screen: what, to whom, and the refusals in plain words', async () => {
    await goExport();
    await seeText(form(), '1. What');
    const kinds = await form().getByRole('radio').evaluateAll((els) => els.map((e) => (e.parentElement?.textContent ?? '').trim()));
    expect(kinds).toEqual(['A workspace', 'Chosen secrets', 'What a team reads', 'Everything you can read']);
    // Members with their key fingerprints.
    const members = form().getByRole('group', { name: 'Members of this vault' });
    await seeText(members, 'alice (you)');
    await seeText(members, 'carol');
    expect(await members.locator('.pick-key').first().innerText()).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/);
    await check('form');
    // No teams in this vault: the choice says what to do next, and Export says what is missing.
    await form().getByText('What a team reads', { exact: true }).click();
    await seeText(form(), 'No teams yet — create them on the Teams screen.');
    await form().getByText('Everything you can read', { exact: true }).click();
    await seeText(form(), 'Every secret you can read: personal, workspaces and the organization’s.');
    await form().getByText('A workspace', { exact: true }).click();

    await form().getByRole('button', { name: 'Export bundle' }).click();
    await seeText(form(), 'Choose at least one recipient: a member, a service credential or a passphrase');
    await form().getByLabel('A passphrase — for someone outside this vault').check();
    await form().getByLabel('Passphrase', { exact: true }).fill('short');
    await form().getByRole('button', { name: 'Export bundle' }).click();
    await seeText(form(), 'Passphrase must be at least 8 characters');
    expect(await page.evaluate('document.activeElement?.id')).toBe('export-passphrase');
    await form().getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await form().getByLabel('Passphrase again', { exact: true }).fill(`${PASSPHRASE}!`);
    await form().getByRole('button', { name: 'Export bundle' }).click();
    await seeText(form(), 'The two passphrases differ');
    await check('errors');
  });

  test('a workspace to a passphrase: downloaded, and it imports into a second vault', async () => {
    await form().getByLabel('Workspace', { exact: true }).selectOption('Backend');
    await form().getByLabel('Passphrase again', { exact: true }).fill(PASSPHRASE);
    const { path, suggested } = await exportAndDownload('backend.cofferbundle', async () => {
      const progress = page.getByTestId('export-progress');
      await seeText(progress, 'Encrypting and signing 2 secrets…');
      expect(await form().getByRole('button', { name: 'Exporting…' }).isDisabled()).toBe(true);
      await progress.scrollIntoViewIfNeeded();
      await check('progress');
    });
    expect(suggested).toBe(`acme-backend-${day()}.cofferbundle`);

    await seeText(result(), 'Bundle exported');
    await seeText(result().getByTestId('export-items'), '2 secrets · workspace Backend');
    await seeText(result().getByTestId('export-recipients'), 'The passphrase');
    const fingerprint = (await result().getByTestId('signer-fingerprint').innerText()).trim();
    expect(fingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/);
    // The passphrase left the page with the form.
    expect((await page.content()).includes(PASSPHRASE)).toBe(false);
    await check('done');

    // The receiver: another vault, another member, who trusts alice's key by the fingerprint shown.
    const other = await Vault.create(join(work, 'other.coffer'), { org: 'Elsewhere', member: 'bob', password: PASSWORD, kdf: 'fast' });
    try {
      const bob = await other.unlock(undefined, PASSWORD);
      addWorkspace(bob, 'Backend');
      await expect(importBundle(bob, path, { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'AUTH', field: 'signer' });
      await expect(importBundle(bob, path, { passphrase: 'not the passphrase', trustedSigners: [fingerprint] })).rejects.toMatchObject({ code: 'AUTH' });
      const imported = await importBundle(bob, path, { passphrase: PASSPHRASE, trustedSigners: [fingerprint] });
      expect(imported.counts.added).toBe(2);
      expect(imported.items.map((i) => i.name).sort()).toEqual(['github-deploy', 'stripe-live']);
      const stripe = getSecretValue(bob, { name: 'stripe-live' }, { use: { door: 'cli', how: 'print' } });
      expect(stripe.value === VALUES.stripe).toBe(true);
      bob.lock();
    } finally {
      other.close();
    }
  });

  test('chosen secrets to a member of this vault', async () => {
    await result().getByRole('button', { name: 'New export' }).click();
    // Focus returns to the start of the form; the passphrase typed before is gone.
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('name')")).toBe('export-what');
    expect(await form().getByLabel('A passphrase — for someone outside this vault').isChecked()).toBe(false);
    await form().getByText('Chosen secrets', { exact: true }).click();
    const list = form().getByRole('list', { name: 'Secrets to export' });
    await hasCount(list.getByRole('listitem'), 4);
    await form().getByLabel('Search secrets to export').fill('stripe');
    await hasCount(list.getByRole('listitem'), 1);
    await list.getByRole('checkbox').first().check();
    await form().getByLabel('Search secrets to export').fill('');
    await hasCount(list.getByRole('listitem'), 4);
    await list.getByRole('listitem').filter({ hasText: 'org-mailer' }).getByRole('checkbox').check();
    await seeText(form().getByTestId('chosen-count'), '2 chosen');
    await form().getByRole('group', { name: 'Members of this vault' }).getByRole('checkbox').first().check();
    await check('secrets');
    const { suggested } = await exportAndDownload('chosen.cofferbundle');
    expect(suggested).toBe(`acme-2-secrets-${day()}.cofferbundle`);
    await seeText(result().getByTestId('export-items'), '2 secrets · 2 chosen secrets');
    await seeText(result().getByTestId('export-recipients'), 'alice');
  });

  test('the audit log names each export', async () => {
    await nav().getByRole('button', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await seeText(page.getByTestId('audit-table'), 'xport');
  });
});

describe('a plain member', () => {
  test('is offered workspaces and chosen secrets, never organization secrets', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByLabel('Member').selectOption('carol');
    await unlock(page);
    await goExport();
    const kinds = await form().getByRole('radio').evaluateAll((els) => els.map((e) => (e.parentElement?.textContent ?? '').trim()));
    expect(kinds).toEqual(['A workspace', 'Chosen secrets']);
    await seeText(form(), 'Your role may not export organization secrets');
    await form().getByText('Chosen secrets', { exact: true }).click();
    const list = form().getByRole('list', { name: 'Secrets to export' });
    await list.getByRole('listitem').first().waitFor();
    expect(await list.innerText()).not.toContain('org-mailer');
    await check('member');
  });

  test('no serious accessibility violations on the screen', () => {
    expect(found).toEqual([]);
  });
});
