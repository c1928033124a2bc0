import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CofferApp } from '../../../electron/core/app';
import { initSodium } from '../../../electron/core/crypto/sodium';
import { SecretClipboard } from '../../../electron/main/clipboard';
import { registerIpc } from '../../../electron/main/ipc';
import type { SavePort } from '../../../electron/main/save';
import { isTrustedUrl } from '../../../electron/main/trusted';
import { INVOKE_CHANNEL } from '../../../shared/ipc';
// Runs the preload against the Electron stand-in below (vi.mock is hoisted above imports).
import '../../../electron/preload/index';

type Listener = (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>;

/** Stands in for Electron's ipcMain: records the one handler registration code installs. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handle: (channel: string, fn: Listener) => handlers.set(channel, fn),
    call: (url: string | null, channel: unknown, input: unknown) => handlers.get(INVOKE_CHANNEL)!({ senderFrame: url === null ? null : { url } }, channel, input),
    handlers,
  };
}

/**
 * Stands in for Electron's clipboard as it behaves: every write commits a whole new clipboard, so
 * what one call wrote is gone after the next (electron/electron#2130).
 */
function fakeClipboard() {
  const state = { text: '', writes: 0 };
  return {
    state,
    writeText: (text: string) => {
      state.text = text;
      state.writes++;
    },
    readText: () => state.text,
    clear: () => {
      state.text = '';
      state.writes++;
    },
  };
}

describe('Electron IPC registration', () => {
  let dir: string;
  let app: CofferApp;
  const ipc = fakeIpcMain();
  const board = fakeClipboard();
  const APP = 'app://coffer/index.html';
  /** Stands in for Electron's save dialog: records what it suggested and answers with the next choice. */
  const dialog = { suggested: [] as string[], next: null as string | null };
  const save: SavePort = {
    choosePath: (fileName) => {
      dialog.suggested.push(fileName);
      return Promise.resolve(dialog.next);
    },
  };

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-ipc-'));
    app = new CofferApp({ vaultPath: join(dir, 'v.coffer'), door: 'desktop' });
    registerIpc(ipc, app, new SecretClipboard(board), save);
  });
  afterAll(() => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers one guarded channel, the one the preload calls', () => {
    expect([...ipc.handlers.keys()]).toEqual([INVOKE_CHANNEL]);
  });

  it('rejects foreign frames before anything reaches the core', async () => {
    for (const url of [null, 'https://evil.example/', 'file:///tmp/x.html', 'app://evil/index.html', 'app://coffer@evil/', 'http://127.0.0.1/']) {
      expect(await ipc.call(url, 'app.status', {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Coffer' } });
    }
  });

  it('rejects unknown channels and invalid input', async () => {
    expect(await ipc.call(APP, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ipc.call(APP, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ipc.call(APP, 'vault.unlock', { password: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'password' } });
    expect(await ipc.call(APP, 'app.status', { extra: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'extra' } });
  });

  it('copies in main: the value goes to the clipboard, never back to the renderer, and is cleared on time', async () => {
    await ipc.call(APP, 'vault.create', { org: 'Acme', member: 'alice', password: 'long-enough-1', kdf: 'fast' });
    await ipc.call(APP, 'settings.update', { clipboardSeconds: 1 });
    const reg = (await ipc.call(APP, 'secrets.register', { type: 'api-key', name: 'k', fields: { headerName: 'X-Key', value: 'copied-value-1' } })) as {
      value: { id: string };
    };
    const copied = await ipc.call(APP, 'secrets.copy', { id: reg.value.id });
    expect(copied).toEqual({ ok: true, value: { value: null, field: 'value', clearAfterMs: 1000 } });
    // One write: a second (a concealment marker) would have replaced the value.
    expect(board.state).toEqual({ text: 'copied-value-1', writes: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect(board.state.text).toBe('');
  });

  it('exports through the save dialog: the bundle lands where it was chosen, the outbox keeps nothing', async () => {
    const target = join(dir, 'chosen.cofferbundle');
    dialog.next = target;
    const input = { selection: { kind: 'secrets', names: ['k'] }, passphrase: 'bundle-passphrase-1' };
    const r = (await ipc.call(APP, 'bundles.export', input)) as { ok: boolean; value: Record<string, unknown> };
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ items: 1, downloadId: null, savedTo: target });
    expect(dialog.suggested).toEqual([`acme-1-secret-${new Date().toISOString().slice(0, 10)}.cofferbundle`]);
    expect(readFileSync(target).subarray(0, 4).length).toBe(4);
    expect(readFileSync(target).includes(Buffer.from('copied-value-1'))).toBe(false);
    expect(app.outbox.size).toBe(0);
  });

  it('a cancelled save dialog leaves no file anywhere', async () => {
    dialog.next = null;
    const r = (await ipc.call(APP, 'bundles.export', { selection: { kind: 'all' }, members: ['alice'] })) as { ok: boolean; value: Record<string, unknown> };
    expect(r).toMatchObject({ ok: true, value: { downloadId: null, savedTo: null } });
    expect(app.outbox.size).toBe(0);
  });

  it('a save that fails is a typed error, and the outbox keeps nothing', async () => {
    dialog.next = join(dir, 'no-such-folder', 'x.cofferbundle');
    const r = await ipc.call(APP, 'bundles.export', { selection: { kind: 'all' }, members: ['alice'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'path' } });
    expect(app.outbox.size).toBe(0);
  });

  it('imports a file sent as bytes over IPC: upload, inspect, preview, a choice per item, apply; the inbox keeps nothing', async () => {
    const env = 'DB_HOST=db.internal\nDB_PASS=ipc-value-2\n';
    const up = (await ipc.call(APP, 'imports.upload', { fileName: 'app.env', bytes: new TextEncoder().encode(env) })) as { ok: boolean; value: { id: string; bytes: number } };
    expect(up).toMatchObject({ ok: true, value: { fileName: 'app.env', bytes: env.length } });
    const { id } = up.value;
    expect(await ipc.call(APP, 'imports.inspect', { id })).toMatchObject({ ok: true, value: { format: 'dotenv' } });
    const preview = await ipc.call(APP, 'imports.preview', { id, split: true });
    expect(preview).toMatchObject({ ok: true, value: { dryRun: true, counts: { added: 2 } } });
    expect(JSON.stringify(preview)).not.toContain('ipc-value-2');
    const applied = await ipc.call(APP, 'imports.apply', { id, split: true, perItem: [{ index: 1, strategy: 'both' }] });
    expect(applied).toMatchObject({ ok: true, value: { dryRun: false, applied: { added: 2 } } });
    expect(JSON.stringify(applied)).not.toContain('ipc-value-2');
    expect(await ipc.call(APP, 'imports.inspect', { id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A byte array is what crosses: anything else is refused at the door, before the core.
    expect(await ipc.call(APP, 'imports.upload', { fileName: 'x.env', bytes: 'DB_PASS=x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'bytes' } });
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', () => {
    const clip = new SecretClipboard(board);
    clip.writeSecret('secret-2', 60_000);
    board.writeText('the user copied this');
    clip.clearIfOurs();
    expect(board.state.text).toBe('the user copied this');
  });
});

describe('trusted URL predicate', () => {
  it.each([
    ['app://coffer/index.html', true],
    ['app://coffer/assets/index.js', true],
    ['app://coffer.evil/index.html', false],
    ['app://user:pw@coffer/index.html', false],
    ['app://coffer:8080/index.html', false],
    ['app://coffer@evil/index.html', false],
    ['app://evil\\@coffer/index.html', false],
    ['app://COFFER/index.html', false],
    ['app://coffer%2eevil/index.html', false],
    ['app://coffer./index.html', false],
    ['app:coffer/index.html', false],
    ['app:///coffer/index.html', false],
    ['blob:app://coffer/0a0b', false],
    ['view-source:app://coffer/index.html', false],
    ['https://coffer/index.html', false],
    ['file:///work/dist/renderer/index.html', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(isTrustedUrl(url)).toBe(trusted);
  });
});

// Electron's preload API is not ours: a stand-in records what the preload exposes and sends.
const exposed = vi.hoisted(() => ({ worlds: new Map<string, unknown>(), sent: [] as unknown[][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.worlds.set(key, api) },
  ipcRenderer: { invoke: (...args: unknown[]) => (exposed.sent.push(args), Promise.resolve({ ok: true, value: null })) },
}));

describe('preload bridge', () => {
  it('exposes one narrow object whose only member sends on the contract channel', async () => {
    expect([...exposed.worlds.keys()]).toEqual(['coffer']);
    const api = exposed.worlds.get('coffer') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['invoke']);
    await (api.invoke as (c: string, i: unknown) => Promise<unknown>)('app.status', {});
    expect(exposed.sent).toEqual([[INVOKE_CHANNEL, 'app.status', {}]]);
  });
});
