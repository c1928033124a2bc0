import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rendererResponder } from '../../../electron/main/renderer-protocol';
import { denyPermissions, lockDown } from '../../../electron/main/window';
import type { LockablePage } from '../../../electron/main/window';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';

// Electron's binary is not here: window.ts only needs the name BrowserWindow to load.
vi.mock('electron', () => ({ BrowserWindow: class {} }));

type Listener = (event: { preventDefault: () => void }, url: string) => void;

/** Web contents as far as lockDown touches them: it records the listeners and the open handler. */
function fakePage() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const page = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  };
  /** Whether the page's own handler let the event go on. */
  const allows = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
    return !prevented;
  };
  return { page: page as unknown as LockablePage, allows, open: (url: string) => openHandler!({ url }) };
}

const HOSTILE = [
  'https://evil.example/',
  'http://127.0.0.1:8080/#token=x',
  'file:///etc/passwd',
  'app://coffer.evil/index.html',
  'app://coffer@evil/index.html',
  'app://evil@coffer/index.html',
  'app://coffer:1/index.html',
  'javascript:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://coffer/0a0b',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'view-source:app://coffer/index.html',
  '',
];

describe('desktop window lock-down', () => {
  it('lets the page move only within the app; hostile targets are stopped before navigating or redirecting', () => {
    const { page, allows } = fakePage();
    lockDown(page);
    expect(allows('will-navigate', 'app://coffer/index.html#/review')).toBe(true);
    for (const url of HOSTILE) {
      expect(allows('will-navigate', url), url).toBe(false);
      expect(allows('will-redirect', url), url).toBe(false);
    }
  });

  it('opens no window, whatever the URL, and attaches no <webview>', () => {
    const { page, allows, open } = fakePage();
    lockDown(page);
    for (const url of ['app://coffer/index.html', ...HOSTILE]) expect(open(url)).toEqual({ action: 'deny' });
    expect(allows('will-attach-webview', 'app://coffer/index.html')).toBe(false);
  });

  it('refuses every permission request and check', () => {
    const handlers: { request?: (wc: unknown, p: string, cb: (ok: boolean) => void) => void; check?: () => boolean } = {};
    denyPermissions({
      setPermissionRequestHandler: ((h: typeof handlers.request) => (handlers.request = h)) as never,
      setPermissionCheckHandler: ((h: typeof handlers.check) => (handlers.check = h)) as never,
    });
    for (const permission of ['clipboard-read', 'clipboard-sanitized-write', 'media', 'notifications', 'openExternal', 'fullscreen']) {
      const answers: boolean[] = [];
      handlers.request!(null, permission, (ok) => answers.push(ok));
      expect(answers, permission).toEqual([false]);
    }
    expect(handlers.check!()).toBe(false);
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'coffer-renderer-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Coffer</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'vault.coffer'), 'beside the renderer, never served');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // Stands in for net.fetch of a file URL: the file's bytes, or a rejection when there is none.
  const respond = rendererResponder(renderer, async (fileUrl) => new Response(readFileSync(fileURLToPath(fileUrl))));
  const get = (url: string) => respond({ url });

  it("serves the renderer's files, each with the strict CSP", async () => {
    for (const [url, body] of [
      ['app://coffer/index.html', '<!doctype html><title>Coffer</title>'],
      ['app://coffer/assets/app.js', 'console.log(1)'],
    ] as const) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toBe(body);
    }
  });

  it.each([
    'app://coffer/../vault.coffer',
    'app://coffer/%2e%2e/vault.coffer',
    'app://coffer/assets/..%2f..%2fvault.coffer',
    'app://coffer/%2e%2e%5cvault.coffer',
    'app://coffer/%E0%A4%A',
    'app://coffer/missing.js',
    'app://coffer/',
    'app://coffer.evil/index.html',
    'app://user@coffer/index.html',
  ])('answers 404 to %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('not found');
  });
});
