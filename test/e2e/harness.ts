import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import type { CoreContext } from '../../electron/core/context';
import { initSodium } from '../../electron/core/crypto/sodium';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';
import { registerSecrets } from '../../electron/core/secrets/registration';
import type { Session } from '../../electron/core/vault/session';
import { addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import type { AxeResults, RunOptions } from 'axe-core';
import { PASSWORD } from '../support/vault';
import { launchChromium as launch } from '../../scripts/chromium';
import { writeCertFiles } from '../support/certs';

export { PASSWORD };

export const ROOT = join(__dirname, '..', '..');
export const STATIC_DIR = join(ROOT, 'dist', 'renderer');
export const SHOTS_DIR = join(ROOT, 'test-results', 'screenshots');

/** The browser test/setup/chromium.ts found for this run; never a downloaded one. */
export const launchChromium = (): Promise<Browser> => launch(inject('chromium'));

export interface Running {
  app: CofferApp;
  door: BrowserDoor;
  dir: string;
  vaultPath: string;
  stop(): Promise<void>;
}

/** Browser mode on a throwaway vault: the same door `npm start -- --browser` runs, in this process. */
export async function startCoffer(opts: { context?: Partial<CoreContext>; vaultPath?: string; seed?: Seed; readOnly?: boolean } = {}): Promise<Running> {
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-'));
  const vaultPath = opts.vaultPath ?? join(dir, 'e2e.coffer');
  if (opts.seed) await seedVault(vaultPath, opts.seed, opts.context);
  const app = new CofferApp({ vaultPath, door: 'browser', context: opts.context, readOnly: opts.readOnly });
  const door = await startBrowserDoor({ app, staticDir: STATIC_DIR });
  return {
    app,
    door,
    dir,
    vaultPath,
    stop: async () => {
      app.close();
      await door.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openApp(browser: Browser, running: Running, opts: { theme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.theme ?? 'light',
  });
  const page = await context.newPage();
  await page.goto(running.door.url);
  return { context, page };
}

/** Saves a screenshot under test-results/screenshots and returns its path (printed for review). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  console.log(`screenshot: ${path}`);
  return path;
}

/** What a fast-KDF vault made in-process holds before the page opens. */
export interface Seed {
  org?: string;
  member?: string;
  workspaces?: string[];
  secrets?: RegisterSecretInput[];
  /** Anything else, on the unlocked session (e.g. schedule a deletion). */
  setup?: (session: Session) => void;
}

/** Creates a vault with the fast (test-only) KDF, fills it, and closes it again: the door opens it locked. */
export async function seedVault(vaultPath: string, seed: Seed, context?: Partial<CoreContext>): Promise<void> {
  await initSodium();
  const vault = await Vault.create(vaultPath, { org: seed.org ?? 'Acme', member: seed.member ?? 'alice', password: PASSWORD, kdf: 'fast' }, { context });
  try {
    const session = await vault.unlock(undefined, PASSWORD);
    for (const w of seed.workspaces ?? []) addWorkspace(session, w);
    if (seed.secrets?.length) await registerSecrets(session, seed.secrets);
    seed.setup?.(session);
    session.lock();
  } finally {
    vault.close();
  }
}

/**
 * Types the password on the unlock screen and waits for the main screen. Those who read the audit
 * log land on Review; tests of the table start from Personal unless they ask to stay on `landing`.
 */
export async function unlock(page: Page, password = PASSWORD, opts: { landing?: 'Review' } = {}): Promise<void> {
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  // Attached, not visible: below 1000 px the sidebar is a closed drawer.
  await page.locator('nav.sidebar-nav').waitFor({ state: 'attached' });
  const landing = await page.getByRole('heading', { level: 1 }).innerText();
  if (opts.landing) expect(landing).toBe(opts.landing);
  else if (landing === 'Review') await goScope(page, 'Personal');
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * axe-core's source, put into the page as it is. @axe-core/playwright's AxeBuilder (used before)
 * injected the 550 kB source twice per run and finished each run in a new blank page, about 5 s a
 * screen on this machine against under 1 s for `axe.run` in the page.
 */
const AXE_SOURCE: string = (createRequire(join(ROOT, 'package.json'))('axe-core') as { source: string }).source;

/**
 * The axe rules that read colours (axe's `cat.color` rules on by default). The dark theme changes
 * colours alone: `:root[data-theme='dark']` in renderer/styles.css sets custom properties and
 * `color-scheme`, and no component reads the theme (renderer/state/theme.ts only sets the
 * attribute). Names, roles, structure and layout are the same in both, so a screen checked with
 * every rule in light needs only these in dark; a11y.test.ts checks that premise in the served CSS.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'] as const;

/**
 * axe-core on the current page; returns only serious and critical violations. `rules` limits the
 * run to those rules. axe is put into the page once (the app is one page: it stays across screens)
 * and run once the page has settled (a colour caught mid-transition is no contrast to judge); only
 * violations come back in full (`resultTypes`), as nothing reads the passes.
 */
export async function axeSerious(page: Page, rules?: readonly string[]): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe?.run === "function"'))) await page.evaluate(AXE_SOURCE);
  await settle(page);
  const options: RunOptions = { resultTypes: ['violations'], ...(rules && { runOnly: { type: 'rule', values: [...rules] } }) };
  // A string, as the page's types are not this file's.
  const result = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as AxeResults;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/** axe on a screen in a theme, once it was checked in light: in dark only the rules that read colours (COLOUR_RULES). */
export const axeInTheme = (page: Page, theme: Theme): Promise<AxeViolation[]> => axeSerious(page, theme === 'dark' ? COLOUR_RULES : undefined);

/** The names in the visible secret rows, top to bottom. */
export async function rowNames(page: Page): Promise<string[]> {
  return page.getByTestId('secret-row').evaluateAll((rows) =>
    rows
      .map((r) => ({ y: r.getBoundingClientRect().top, name: r.querySelector('.c-name span.truncate')?.textContent ?? '' }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.name),
  );
}

export interface CertFiles {
  dir: string;
  pem: string;
  key: string;
  keyText: string;
}

/** A throwaway self-signed P-256 certificate and key (30 days), as files the page can upload. */
export async function makeCert(name = 'e2e'): Promise<CertFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-e2e-cert-'));
  const files = await writeCertFiles(dir, { cert: `${name}.pem`, key: `${name}.key` }, 'CN=e2e.test');
  return { dir, pem: files.cert, key: files.key, keyText: files.made.keyPem };
}

/** The secret-looking middle line of a PEM key (what must never cross the door unrevealed). */
export const pemBodyLine = (pem: string): string => pem.split('\n').filter((l) => l && !l.startsWith('-----'))[0]!;

export type UiSecret =
  | { type: 'api-key'; name: string; headerName: string; value: string }
  | { type: 'bearer-token'; name: string; headerName: string; headerValue: string }
  | { type: 'client-credentials'; name: string; clientId: string; url: string; clientSecret: string }
  | { type: 'certificate'; name: string; pem: string; key?: string }
  | { type: 'key-value'; name: string; pairs: [string, string][] };

const TYPE_RADIO: Record<UiSecret['type'], string> = {
  'api-key': 'API Key',
  'bearer-token': 'Bearer Token (OAuth)',
  'client-credentials': 'Client Credentials',
  certificate: 'Certificate',
  'key-value': 'Key/Value',
};

/** Opens "Register secret" at the current scope, fills it for the given type, submits, waits for the toast. */
export async function registerViaUi(page: Page, s: UiSecret): Promise<void> {
  await page.getByRole('button', { name: 'Register secret' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Register secret' });
  await dialog.waitFor();
  // The radio sits under its card; people click the card.
  await dialog.getByRole('group', { name: 'Credential Type' }).getByText(TYPE_RADIO[s.type], { exact: true }).click();
  await expect.poll(() => dialog.getByRole('radio', { name: TYPE_RADIO[s.type], exact: true }).isChecked()).toBe(true);
  await dialog.getByLabel('Secret Name').fill(s.name);
  switch (s.type) {
    case 'api-key':
      await dialog.getByLabel('Header Name').fill(s.headerName);
      await dialog.locator('#reg-value').fill(s.value);
      break;
    case 'bearer-token':
      await dialog.getByLabel('Header Name').fill(s.headerName);
      await dialog.locator('#reg-headerValue').fill(s.headerValue);
      break;
    case 'client-credentials':
      await dialog.getByLabel('Client ID').fill(s.clientId);
      await dialog.getByLabel('URL').fill(s.url);
      await dialog.locator('#reg-clientSecret').fill(s.clientSecret);
      break;
    case 'certificate':
      await dialog.getByTestId('certificate-file').setInputFiles(s.pem);
      if (s.key) await dialog.getByTestId('private-key-file').setInputFiles(s.key);
      await dialog.getByTestId('certificate-expiry').getByText('Read from the certificate ·').waitFor();
      break;
    case 'key-value':
      for (let i = 0; i < s.pairs.length; i++) {
        if (i > 0) await dialog.getByRole('button', { name: 'Add row' }).click();
        await dialog.getByLabel(`Key ${i + 1}`, { exact: true }).fill(s.pairs[i]![0]);
        await dialog.getByLabel(`Value ${i + 1}`, { exact: true }).fill(s.pairs[i]![1]);
      }
      break;
  }
  await dialog.getByRole('button', { name: 'Register secret' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('toast').filter({ hasText: `Registered “${s.name}”` }).waitFor();
}

/** Goes to a scope from the sidebar: 'Personal', 'Organization', or a workspace's name. */
export async function goScope(page: Page, label: string): Promise<void> {
  // Below 1000 px the sidebar is a drawer behind the menu button.
  const menu = page.getByRole('button', { name: 'Navigation' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: new RegExp(`^${label}\\b`) }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/* Web-first assertions: playwright-core has no `expect`, so these poll with vitest's. */
const POLL = { timeout: 8_000, interval: 100 };

export async function seeText(loc: Locator, text: string, timeout = POLL.timeout): Promise<void> {
  await expect.poll(() => loc.innerText(), { ...POLL, timeout }).toContain(text);
}

export async function noText(loc: Locator, text: string, timeout = POLL.timeout): Promise<void> {
  await expect.poll(() => loc.innerText(), { ...POLL, timeout }).not.toContain(text);
}

export async function hasCount(loc: Locator, n: number, timeout = POLL.timeout): Promise<void> {
  await expect.poll(() => loc.count(), { ...POLL, timeout }).toBe(n);
}

export async function hasAttr(loc: Locator, name: string, value: string | RegExp | null, timeout = POLL.timeout): Promise<void> {
  const p = expect.poll(() => loc.getAttribute(name), { ...POLL, timeout });
  if (value instanceof RegExp) await p.toMatch(value);
  else await p.toBe(value);
}

/** What the page can read from the clipboard (the context must have clipboard-read). */
export const readClipboard = (page: Page): Promise<string> => page.evaluate('navigator.clipboard.readText()');

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One secret of each type at a level, for seeding in-process (names `<tag>-…`). */
export function eachType(cert: CertFiles, level: 'personal' | 'organization' | 'workspace', tag: string, workspace?: string): RegisterSecretInput[] {
  const place = level === 'workspace' ? { level, workspace } : { level };
  const f = (path: string) => ({ fileName: path.split('/').pop()!, base64: readFileSync(path).toString('base64') });
  return [
    { type: 'api-key', name: `${tag}-stripe-api`, ...place, fields: { headerName: 'X-API-Key', value: `sk_${tag}_apikey_9f8e7d6c` } },
    { type: 'bearer-token', name: `${tag}-github-bearer`, ...place, expires: isoDay(Date.now() + 5 * 86_400_000), fields: { headerName: 'Authorization', headerValue: `Bearer ghp_${tag}_5a4b` } },
    { type: 'client-credentials', name: `${tag}-okta-client`, ...place, fields: { clientId: `${tag}-client`, url: 'https://auth.example.com/oauth/token', clientSecret: `cs_${tag}_1q2w3e` } },
    { type: 'certificate', name: `${tag}-edge-cert`, ...place, fields: { certificate: f(cert.pem), privateKey: f(cert.key) } },
    { type: 'key-value', name: `${tag}-db-env`, ...place, fields: { pairs: [{ key: 'DB_USER', value: `user_${tag}` }, { key: 'DB_PASS', value: `pw_${tag}_7h8j9k` }] } },
  ];
}

export type Theme = 'light' | 'dark';

/** Turns the open page to a theme, as the OS would, and waits until it is drawn in it (see `settle`). */
export async function showTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  // Asked every 10 ms: the page turns within a frame or two, and every 100 ms cost 0.1 s a turn, 5 s in a11y.test.ts.
  await expect.poll(() => page.locator('html').getAttribute('data-theme'), { ...POLL, interval: 10 }).toBe(theme);
  await settle(page);
}

/**
 * Waits for the page's transitions and animations that end (80 ms colour transitions on buttons, a
 * dialog coming in) to end, so what reads colours reads the resting ones; endless animations (a
 * skeleton, a spinner) are left, and one cancelled on the way counts as ended.
 */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => null)))',
  );
}

/**
 * The looks every screenshot set covers: 1280 and 800 px wide, light and dark. The page is set to
 * each in turn (fonts loaded, the theme applied before `look` runs); `afterWidth` runs once both
 * themes of a width are done, for checks of the layout at that width.
 */
export async function eachLook(page: Page, look: (width: number, theme: Theme) => Promise<void>, afterWidth?: (width: number) => Promise<void>): Promise<void> {
  await page.evaluate('document.fonts.ready');
  for (const width of [1280, 800]) {
    await page.setViewportSize({ width, height: 800 });
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await hasAttr(page.locator('html'), 'data-theme', theme);
      await look(width, theme);
    }
    await afterWidth?.(width);
  }
}
