import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { addMember } from '../../electron/core/vault/members';
import type { AxeViolation, Running } from './harness';
import { PASSWORD, ROOT, axeSerious, hasAttr, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

/**
 * The Import screen, in order: a Bitwarden JSON dropped on the window (the drop really dispatched,
 * on another screen first), its preview with a choice per item, the import and its summary, one
 * secret opened from it; then a workspace exported to a passphrase on the Export screen and that
 * bundle imported into a second vault (a second browser-mode server) through the file picker: the
 * trust step, the passphrase, the preview, the import. Values and the passphrase are compared, never printed.
 */
let browser: Browser;
let first: Running;
let second: Running | undefined;
let context: BrowserContext;
let page: Page;
let work: string;
const found: { screen: string; violations: AxeViolation[] }[] = [];
const PASSPHRASE = 'correct horse battery staple';
const FIXTURE = join(ROOT, 'test', 'fixtures', 'importers', 'bitwarden-personal.json');
const VALUES = { stripe: 'sk_live_import_e2e_4b7d', github: 'ghp_import_e2e_9a1c' };

const SECRETS: RegisterSecretInput[] = [
  { type: 'api-key', name: 'stripe-live', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-API-Key', value: VALUES.stripe } },
  { type: 'api-key', name: 'github-deploy', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: VALUES.github } },
  // Also in the Bitwarden file (its folder "Email"): compared, so the preview has a choice to make.
  { type: 'api-key', name: 'GitHub', level: 'workspace', workspace: 'Email', fields: { headerName: 'X-Key', value: 'ours-not-theirs' } },
];

const nav = () => page.getByRole('navigation', { name: 'Scopes' });
const view = () => page.locator('.page-import');

/** axe and screenshots in light and dark (and at 800 px wide, where nothing may scroll sideways). */
async function check(screen: string, top?: string) {
  // axe scrolls the page as it checks contrast: the part under review goes back to the top before each picture.
  const scroll = async () => {
    if (top) await page.evaluate(`document.getElementById(${JSON.stringify(top)})?.scrollIntoView({ block: 'start' })`);
  };
  await page.evaluate('document.fonts.ready');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await hasAttr(page.locator('html'), 'data-theme', theme);
    const violations = await axeSerious(page);
    if (violations.length) found.push({ screen: `${screen}-${theme}`, violations });
    await scroll();
    await screenshot(page, `import-${screen}-${theme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 600 });
  await scroll();
  await screenshot(page, `import-${screen}-light-800`);
  const sideways = await page.evaluate("[...document.querySelectorAll('.page')].some((el) => el.scrollWidth > el.clientWidth + 1)");
  expect(sideways, `${screen} scrolls sideways at 800 px`).toBe(false);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A real drop on the window: dragenter, dragover and drop with a DataTransfer holding the file, built in the page. */
async function dropFile(name: string, text: string) {
  // A string, as the page's types are not this file's: the page builds the DataTransfer and dispatches the events.
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: 'application/json' }));
    const target = document.querySelector('main') || document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  })()`);
}

beforeAll(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'coffer-e2e-import-'));
  first = await startCoffer({
    seed: { workspaces: ['Backend', 'Email'], secrets: SECRETS, setup: (session) => void addMember(session, { name: 'carol', role: 'member', password: PASSWORD }) },
  });
  ({ context, page } = await openApp(browser, first));
  page.setDefaultTimeout(20_000);
  await page.getByLabel('Member').selectOption('alice');
  await unlock(page);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await first?.stop();
  await second?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a foreign file dropped on the window', () => {
  test('the empty screen says what to do', async () => {
    await nav().getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    await seeText(view(), 'Drop a file anywhere on this window, or');
    await check('empty');
    // A file dragged over the window: a veil says where it goes; leaving takes it away.
    const drag = (type: string) =>
      page.evaluate(`(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['x'], 'x.env'));
        document.querySelector('main').dispatchEvent(new DragEvent(${JSON.stringify(type)}, { bubbles: true, cancelable: true, dataTransfer: dt }));
      })()`);
    await drag('dragenter');
    await seeText(page.locator('.drop-veil'), 'Drop the file to import it');
    await screenshot(page, 'import-drag-veil-light');
    await drag('dragleave');
    await page.locator('.drop-veil').waitFor({ state: 'detached' });
    // Back to a secrets screen: the drop below must open Import by itself.
    await nav().getByRole('button', { name: /^Personal/ }).click();
  });

  test('dropped on another screen, it opens Import with a preview', async () => {
    await dropFile('bitwarden-personal.json', readFileSync(FIXTURE, 'utf8'));
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 30_000 });
    await seeText(page.getByTestId('import-file-name'), 'bitwarden-personal.json');
    await seeText(view(), 'Bitwarden JSON');
    const rows = preview.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(3);
    // GitHub exists here in workspace Email and differs: both dates and a choice.
    const github = rows.filter({ has: page.locator('td:first-child', { hasText: /^GitHub$/ }) });
    expect(['changed', 'conflicting']).toContain(await github.getAttribute('data-status'));
    await seeText(github, 'Keep mine');
    await seeText(page.getByTestId('import-skipped'), 'Skipped');
    await check('foreign-preview', 'import-preview-title');
    await github.getByRole('combobox').selectOption('both');
  });

  test('imported: a summary whose secrets open', async () => {
    await page.getByTestId('import-apply').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await seeText(summary, 'Imported bitwarden-personal.json');
    await seeText(page.getByTestId('import-outcome'), 'Kept both');
    const links = page.getByTestId('import-links');
    await seeText(links, 'GitHub (imported)');
    await check('foreign-summary');
    await links.getByRole('button', { name: 'GitHub (imported)' }).click();
    const panel = page.locator('#detail-panel');
    await seeText(panel, 'GitHub (imported)');
    await screenshot(page, 'import-foreign-opened-light');
    // Ours is kept as it was.
    expect((await page.content()).includes('ours-not-theirs')).toBe(false);
  });
});

describe('a bundle from another vault', () => {
  test('exported to a passphrase here, imported there: trust, passphrase, preview, import', async () => {
    await nav().getByRole('button', { name: 'Export', exact: true }).click();
    const form = page.locator('form.page-export');
    await form.getByLabel('Workspace', { exact: true }).selectOption('Backend');
    await form.getByLabel('A passphrase — for someone outside this vault').check();
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await form.getByLabel('Passphrase again', { exact: true }).fill(PASSPHRASE);
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await form.getByRole('button', { name: 'Export bundle' }).click();
    const bundle = join(work, 'backend.cofferbundle');
    await (await download).saveAs(bundle);
    const fingerprint = (await page.getByTestId('signer-fingerprint').innerText()).trim();

    // The receiver: a second vault in its own browser-mode server.
    second = await startCoffer({ seed: { org: 'Elsewhere', member: 'bob', workspaces: ['Backend'] } });
    await context.close();
    ({ context, page } = await openApp(browser, second));
    page.setDefaultTimeout(20_000);
    await unlock(page);
    await nav().getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-file-input').setInputFiles(bundle);
    const header = page.getByTestId('import-bundle');
    await header.waitFor();
    await seeText(header, 'not a member of this vault');
    expect((await page.getByTestId('import-signer-fingerprint').innerText()).trim()).toBe(fingerprint);
    await seeText(page.getByTestId('import-bundle-items'), '2 secrets');
    await check('bundle-trust', 'import-file-title');

    // Without the trust step nothing is decrypted; a wrong passphrase is said next to its field.
    await page.getByTestId('import-preview-button').click();
    await seeText(view(), 'Compare the fingerprint first');
    await page.getByTestId('import-trust').check();
    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await page.getByTestId('import-preview-button').click();
    await seeText(view(), 'Wrong passphrase for this bundle');
    await check('bundle-errors', 'import-file-title');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByTestId('import-preview-button').click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor({ timeout: 60_000 });
    await seeText(page.getByTestId('import-counts'), '2 secrets: 2 new');
    await check('bundle-preview', 'import-preview-title');

    // The import held at the network for a moment: the progress says what is being done.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    await page.route('**/api/imports.apply', async (route) => {
      await gate;
      await route.continue();
    });
    await page.getByTestId('import-apply').click();
    await seeText(page.getByTestId('import-progress'), 'Importing 2 secrets…');
    expect(await page.getByTestId('import-apply').isDisabled()).toBe(true);
    await seeText(page.getByTestId('import-apply'), 'Importing…');
    await page.getByTestId('import-progress').scrollIntoViewIfNeeded();
    await screenshot(page, 'import-bundle-progress-light');
    release();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 60_000 });
    await page.unroute('**/api/imports.apply');
    await seeText(summary, 'signed by alice');
    expect((await page.content()).includes(PASSPHRASE)).toBe(false);
    await check('bundle-summary');
    await page.getByTestId('import-links').getByRole('button', { name: 'stripe-live' }).click();
    await seeText(page.locator('#detail-panel'), 'stripe-live');
    await seeText(nav(), 'Backend');
  });

  test('no serious accessibility violations on the screen', () => {
    expect(found).toEqual([]);
  });
});

describe('a plain member (no workspace creation)', () => {
  test('is told the file’s new groups need one workspace, and imports into one', async () => {
    await context.close();
    ({ context, page } = await openApp(browser, first));
    page.setDefaultTimeout(20_000);
    // The first vault is still unlocked by alice: lock it, then carol unlocks.
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByLabel('Member').selectOption('carol');
    await unlock(page);
    await nav().getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    const fixture = readFileSync(FIXTURE, 'utf8').replace(/"name": "Email"/, '"name": "Mail"');
    await dropFile('bitwarden-member.json', fixture);
    await seeText(view(), 'which your role cannot create: choose one workspace for everything under Where');
    await check('member-refused');
    await page.getByLabel('Put the secrets').selectOption('Backend');
    await page.getByTestId('import-preview-button').click();
    await page.getByTestId('import-preview').waitFor();
    await seeText(page.getByTestId('import-preview-table'), 'Backend');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    await seeText(page.getByTestId('import-links'), 'Backend');
  });

  test('no serious accessibility violations', () => {
    expect(found).toEqual([]);
  });
});
