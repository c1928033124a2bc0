import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import { addMember } from '../../electron/core/vault/members';
import type { Running } from './harness';
import { PASSWORD, axeInTheme, axeSerious, goScope, hasCount, launchChromium, openApp, screenshot, seeText, showTheme, startCoffer, unlock } from './harness';

/** Searching across the whole vault from one view, and the Ctrl+K palette (docs/ui.md "Search and the command palette"). */
let browser: Browser;
let running: Running;

const apiKey = (name: string, place: Partial<RegisterSecretInput> = {}): RegisterSecretInput =>
  ({ type: 'api-key', name, fields: { headerName: 'X-Key', value: `sk_${name.replace(/\W/g, '_')}_e2e` }, ...place }) as RegisterSecretInput;

beforeAll(async () => {
  [browser, running] = await Promise.all([
    launchChromium(),
    startCoffer({
      seed: {
        workspaces: ['Backend', 'Frontend'],
        secrets: [
          apiKey('Stripe live', { level: 'organization' }),
          apiKey('stripe webhook', { level: 'workspace', workspace: 'Backend' }),
          apiKey('old stripe sandbox'),
          apiKey('github deploy', { level: 'workspace', workspace: 'Frontend' }),
          apiKey('npm token'),
        ],
        setup: (session) => void addMember(session, { name: 'carol', role: 'member', password: PASSWORD }),
      },
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

/** The focused element's accessible label, else its tag (the test runs in Node: the page's code is a string). */
const activeLabel = (page: Page): Promise<string> => page.evaluate('(() => { const e = document.activeElement; return e ? e.getAttribute("aria-label") || e.tagName : ""; })()');

/** A new window on the locked vault (the door keeps one session: the last test's is locked first). */
async function openPage(opts: { theme?: 'light' | 'dark'; width?: number; member?: string } = {}) {
  running.app.lock();
  const opened = await openApp(browser, running, opts);
  opened.page.setDefaultTimeout(10_000);
  await opened.page.getByLabel('Member').selectOption(opts.member ?? 'alice');
  await unlock(opened.page);
  await opened.page.getByRole('heading', { level: 1, name: 'Personal' }).waitFor();
  return opened;
}

describe('search across the whole vault', () => {
  test('from Personal, the whole-vault search finds an organization secret, shows each row’s level, and opens its detail', async () => {
    const { context, page } = await openPage();
    const answers: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/secrets.search')) void r.text().then((body) => answers.push(body));
    });
    try {
      await page.getByRole('searchbox', { name: 'Search secrets' }).fill('stripe');
      await seeText(page.getByTestId('row-count'), '1 of 2');
      await page.getByRole('group', { name: 'Search in' }).getByRole('button', { name: 'Whole vault' }).click();
      const rows = page.getByTestId('vault-result');
      await hasCount(rows, 3);
      // Names starting with the text first, then by name; each with where it lives.
      expect(await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)))).toEqual([
        ['Stripe live', 'Organization'],
        ['stripe webhook', 'Workspace: Backend'],
        ['old stripe sandbox', 'Personal'],
      ]);
      await seeText(page.getByTestId('row-count'), '3 in the whole vault');
      // The search's answers name secrets; they never carry a value.
      expect(answers.length).toBeGreaterThan(0);
      for (const body of answers) expect(body).not.toMatch(/sk_\w+_e2e/);
      expect(await page.getByRole('searchbox', { name: 'Search the whole vault' }).inputValue()).toBe('stripe');

      await rows.filter({ hasText: 'Stripe live' }).getByRole('button').click();
      await page.getByRole('heading', { level: 1, name: 'Organization' }).waitFor();
      await page.getByTestId('detail-panel').getByRole('heading', { name: 'Stripe live' }).waitFor();
      // Back in a view of one place, searching it for the same text.
      await seeText(page.getByTestId('row-count'), '1 of 1');
      await hasCount(page.getByTestId('vault-result'), 0);
    } finally {
      await context.close();
    }
  });

  test('a view with no match offers the whole vault', async () => {
    const { context, page } = await openPage();
    try {
      await page.getByRole('searchbox', { name: 'Search secrets' }).fill('github');
      await page.getByText('No secrets match').waitFor();
      await page.getByRole('button', { name: 'Search the whole vault' }).click();
      await hasCount(page.getByTestId('vault-result'), 1);
      await seeText(page.getByTestId('vault-result'), 'Workspace: Frontend');
    } finally {
      await context.close();
    }
  });
});

describe('the command palette', () => {
  test('Ctrl+K opens it even while typing elsewhere; Enter jumps to a screen, then to a secret; Esc gives focus back', async () => {
    const { context, page } = await openPage();
    try {
      const palette = page.getByRole('dialog', { name: 'Jump to a screen or secret' });
      const combo = palette.getByRole('combobox', { name: 'Jump to a screen or secret' });

      // From inside the table's search field: the palette, not the browser's address bar.
      await page.getByRole('searchbox', { name: 'Search secrets' }).focus();
      await page.keyboard.press('Control+K');
      await combo.waitFor();
      expect(await activeLabel(page)).toBe('Jump to a screen or secret');
      const axe = await axeSerious(page);
      expect(axe).toEqual([]);
      await page.keyboard.type('sett');
      await hasCount(palette.getByRole('option'), 2);
      expect(await palette.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Enter');
      await palette.waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

      // A secret of a workspace: arrows move the cursor, Enter opens it in its place.
      await page.keyboard.press('Control+K');
      await page.keyboard.type('stripe');
      await palette.getByRole('option', { name: /stripe webhook/ }).waitFor();
      const options = await palette.getByRole('option').allInnerTexts();
      expect(options[0]).toMatch(/^Stripe live\s+Organization · API Key/);
      await page.keyboard.press('ArrowDown');
      expect(await palette.getByRole('option', { name: /stripe webhook/ }).getAttribute('aria-selected')).toBe('true');
      expect(await combo.getAttribute('aria-activedescendant')).toBe(await palette.getByRole('option', { name: /stripe webhook/ }).getAttribute('id'));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Backend' }).waitFor();
      await page.getByTestId('detail-panel').getByRole('heading', { name: 'stripe webhook' }).waitFor();
      await expect.poll(() => activeLabel(page)).toBe('Secrets');

      // Opened from its button and closed with Esc: focus is back on the button, nothing moved.
      const button = page.getByRole('button', { name: 'Jump to a screen or secret' });
      await button.click();
      await combo.waitFor();
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'detached' });
      await expect.poll(() => activeLabel(page)).toBe('Jump to a screen or secret');
      await page.getByRole('heading', { level: 1, name: 'Backend' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a Member is offered only the screens their role opens, and only the secrets they read', async () => {
    const { context, page } = await openPage({ member: 'carol' });
    try {
      await page.keyboard.press('Control+K');
      const palette = page.getByRole('dialog', { name: 'Jump to a screen or secret' });
      const screens = palette.getByRole('group', { name: 'Screens' }).getByRole('option');
      expect((await screens.allInnerTexts()).map((t) => t.split('\n')[0]!.trim())).toEqual([
        'Personal',
        'Backend',
        'Frontend',
        'Organization',
        'To be deleted',
        'Import',
        'Export',
        'Settings',
      ]);
      await page.keyboard.type('stripe');
      await palette.getByRole('option', { name: /stripe webhook/ }).waitFor();
      // Alice's personal "old stripe sandbox" is not hers to find.
      expect((await palette.getByRole('group', { name: 'Secrets' }).getByRole('option').allInnerTexts()).map((t) => t.split('\n')[0]!.trim())).toEqual([
        'Stripe live',
        'stripe webhook',
        'Search the whole vault for “stripe”',
      ]);
    } finally {
      await context.close();
    }
  });

  test('an Account Holder is offered every screen, and a way on to the whole vault’s results', async () => {
    const { context, page } = await openPage();
    try {
      await page.keyboard.press('Control+K');
      const palette = page.getByRole('dialog', { name: 'Jump to a screen or secret' });
      const screens = palette.getByRole('group', { name: 'Screens' }).getByRole('option');
      // The Account Holder sees every place the sidebar offers, in its order.
      expect((await screens.allInnerTexts()).map((t) => t.split('\n')[0]!.trim())).toEqual([
        'Personal',
        'Backend',
        'Frontend',
        'Organization',
        'To be deleted',
        'Review',
        'Members',
        'Teams',
        'Service credentials',
        'Service accounts',
        'Import',
        'Export',
        'Audit',
        'Settings',
      ]);
      await page.keyboard.type('token');
      await palette.getByRole('option', { name: /npm token/ }).waitFor();
      await palette.getByRole('option', { name: 'Search the whole vault for “token”' }).click();
      await hasCount(page.getByTestId('vault-result'), 1);
      expect(await page.getByRole('searchbox', { name: 'Search the whole vault' }).inputValue()).toBe('token');
    } finally {
      await context.close();
    }
  });
});

describe('screenshots in light and dark', () => {
  test.each([1280, 800])('the palette and the whole vault’s results at %i px', async (width) => {
    const { context, page } = await openPage({ width });
    /** Each state in both themes: light checked with every rule, then dark with the colour rules (axeInTheme). */
    const inThemes = async (shot: string, axe: boolean) => {
      for (const theme of ['light', 'dark'] as const) {
        await showTheme(page, theme);
        await screenshot(page, `${shot}-${theme}-${width}`);
        if (axe) expect(await axeInTheme(page, theme)).toEqual([]);
      }
      await showTheme(page, 'light');
    };
    try {
      await page.getByRole('searchbox', { name: 'Search secrets' }).fill('stripe');
      await page.getByRole('button', { name: 'Whole vault' }).click();
      await hasCount(page.getByTestId('vault-result'), 3);
      await page.evaluate('document.fonts.ready');
      await inThemes('search-whole-vault', true);

      await goScope(page, 'Organization');
      await page.keyboard.press('Control+K');
      await page.getByRole('option', { name: /Settings/ }).waitFor();
      await inThemes('palette-screens', true);
      await page.keyboard.type('st');
      await page.getByRole('option', { name: /stripe webhook/ }).waitFor();
      await inThemes('palette', false);
    } finally {
      await context.close();
    }
  });
});
