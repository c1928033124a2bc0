import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { addMember } from '../../electron/core/vault/members';
import type { AxeViolation, Running } from './harness';
import { PASSWORD, ROOT, axeInTheme, hasAttr, hasCount, launchChromium, openApp, screenshot, seeText, startCoffer, unlock } from './harness';

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
let third: Running | undefined;
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
    const violations = await axeInTheme(page, theme);
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
  await third?.stop();
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

describe('a file of 3,000 secrets, four of them already here', () => {
  const BULK = 3000;
  /** Empty entries after the secrets: more than a list cut at a few hundred would show. */
  const EMPTY = 600;
  /** Entries of the file that are in the vault already, with another secret: the ones that differ. */
  const COLLIDING = [7, 1499, 2990, 2996];
  const nameOf = (i: number) => `bulk-${String(i).padStart(4, '0')}`;
  const box = () => page.getByLabel('Secrets in the file');
  const table = () => page.getByTestId('import-preview-table');
  const rowOf = (name: string) => table().locator('tbody tr', { has: page.locator('td:first-child', { hasText: new RegExp(`^${name}$`) }) });
  const show = (label: RegExp) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name: label });
  /** Scrolls a box to its end; a string, as the page's types are not this file's. */
  const scrollToEnd = (selector: string) => page.evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); el.scrollTop = el.scrollHeight; })()`);

  /** A KeePassXC CSV: each secret a username, a password and an https URL (Client Credentials here), then entries with nothing to keep. */
  function bulkCsv(): string {
    const lines = ['"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"'];
    for (let i = 0; i < BULK; i++) lines.push(`"Root/Bulk","${nameOf(i)}","svc-${i}","theirs-${i}","https://svc.example.com/${i}","","","0","2026-01-02T10:00:00Z",""`);
    for (let i = 0; i < EMPTY; i++) lines.push(`"Root/Bulk","empty-${String(i).padStart(4, '0')}","","","","","","0","",""`);
    return lines.join('\n') + '\n';
  }

  /** The heights drawn for the rows in view of a status: the ones the virtualizer lays them out by (PreviewTable.tsx). */
  const heightsOf = async (status: string) =>
    new Set((await page.evaluate(`[...document.querySelectorAll('.import-table tbody tr[data-status="${status}"]')].map((r) => r.offsetHeight)`)) as number[]);

  /** Every column's header starts where its cells start: the classic fault of a virtualized table. */
  async function columnsLineUp(row: ReturnType<typeof rowOf>) {
    const heads = table().locator('thead th');
    const cells = row.locator('td');
    for (let c = 0; c < (await heads.count()); c++) {
      const [head, cell] = [await heads.nth(c).boundingBox(), await cells.nth(c).boundingBox()];
      if (!head || !cell) continue; // a column hidden at this width
      expect(Math.abs(head.x - cell.x), `column ${c}`).toBeLessThan(1);
      expect(Math.abs(head.width - cell.width), `column ${c}`).toBeLessThan(1);
    }
  }

  test('the preview shows every row, scrolls to the last, and filters to what differs', async () => {
    third = await startCoffer({
      seed: {
        workspaces: ['Bulk'],
        secrets: COLLIDING.map((i) => ({
          type: 'client-credentials',
          name: nameOf(i),
          level: 'workspace',
          workspace: 'Bulk',
          fields: { clientId: `svc-${i}`, url: `https://svc.example.com/${i}`, clientSecret: `ours-${i}` },
        })),
      },
    });
    await context.close();
    ({ context, page } = await openApp(browser, third));
    page.setDefaultTimeout(20_000);
    await unlock(page);
    await nav().getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    await dropFile('bulk.csv', bulkCsv());
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    await seeText(page.getByTestId('import-counts'), '3,000 secrets: 2,996 new');
    await seeText(page.getByTestId('import-counts'), '600 entries of the file skipped');
    expect(await table().getAttribute('aria-rowcount')).toBe(String(BULK + 1));
    // Only what is in view is drawn.
    expect(await table().locator('tbody tr[data-status]').count()).toBeLessThan(60);

    // The last row, reached by scrolling, is drawn inside the box, under its columns.
    await scrollToEnd('.import-table-scroll');
    const last = rowOf(nameOf(BULK - 1));
    await last.waitFor();
    const [inBox, lastBox] = [await box().boundingBox(), await last.boundingBox()];
    expect(lastBox!.y + lastBox!.height).toBeLessThanOrEqual(inBox!.y + inBox!.height + 1);
    expect(lastBox!.y).toBeGreaterThanOrEqual(inBox!.y);
    expect(await last.getAttribute('data-status')).toBe('added');
    expect(await heightsOf('added')).toEqual(new Set([36]));
    await columnsLineUp(last);
    await box().scrollIntoViewIfNeeded();
    await screenshot(page, 'import-bulk-end-light');

    // Only what differs: the four, wherever they were in the file.
    await show(/^Only what differs/).click();
    await hasAttr(show(/^Only what differs/), 'aria-pressed', 'true');
    const shown = table().locator('tbody tr[data-status]');
    await hasCount(shown, COLLIDING.length);
    for (const status of await shown.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))) expect(['changed', 'conflicting']).toContain(status);
    await columnsLineUp(rowOf(nameOf(2996)));
    expect(await heightsOf('conflicting')).toEqual(new Set([44]));
    await page.getByLabel(`Choice for ${nameOf(2996)}`).selectOption('theirs');

    // The choice is the item's, not the row's: back to all, at the end of the list, it is still there.
    await show(/^All/).click();
    await scrollToEnd('.import-table-scroll');
    expect(await page.getByLabel(`Choice for ${nameOf(2996)}`).inputValue()).toBe('theirs');
    await show(/^Only what differs/).click();
    await hasCount(shown, COLLIDING.length);
    await seeText(page.getByTestId('import-apply'), 'Import 2,997 secrets');
    await check('bulk-differs', 'import-preview-title');
  });

  test('the skipped list holds every skipped entry', async () => {
    const skipped = page.getByTestId('import-skipped');
    await skipped.locator('summary').click();
    await page.getByLabel('Skipped entries').waitFor();
    await scrollToEnd('.import-skipped-scroll');
    await seeText(skipped, `empty-${String(EMPTY - 1).padStart(4, '0')}`);
    await skipped.scrollIntoViewIfNeeded();
    await screenshot(page, 'import-bulk-skipped-light');
  });

  test('imported: the summary counts the one taken from the file', async () => {
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    const outcome = (label: string) => page.getByTestId('import-outcome').locator('.import-outcome-row', { has: page.getByText(label, { exact: true }) }).locator('dd');
    await seeText(outcome('Added'), '2,996');
    await seeText(outcome('Replaced'), '1');
    await seeText(outcome('Kept mine'), '3');
  });

  test('no serious accessibility violations', () => {
    expect(found).toEqual([]);
  });
});
