import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { initSodium } from '../../electron/core/crypto/sodium';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';

const VALUE = 'sk_live_never_listed_9f3b';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request so tests control Host and Origin exactly as an attacker could. */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('browser-mode HTTP door', () => {
  let dir: string;
  let door: BrowserDoor;
  let app: CofferApp;
  const api = (channel: string, input: unknown, headers: Record<string, string> = {}) =>
    raw(door.port, `/api/${channel}`, {
      method: 'POST',
      headers: {
        host: `127.0.0.1:${door.port}`,
        origin: `http://127.0.0.1:${door.port}`,
        'content-type': 'application/json',
        authorization: `Bearer ${door.token}`,
        ...headers,
      },
      body: JSON.stringify(input),
    });

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-door-'));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Coffer</title>');
    app = new CofferApp({ vaultPath: join(dir, 'v.coffer'), door: 'browser' });
    door = await startBrowserDoor({ app, staticDir });
  });

  afterAll(async () => {
    app.close();
    await door.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 only and prints a URL with the token in the fragment', () => {
    expect(door.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(door.url).toBe(`http://127.0.0.1:${door.port}/#token=${door.token}`);
    expect(door.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the app with a strict CSP and no CORS headers', async () => {
    const r = await raw(door.port, '/', { headers: { host: `127.0.0.1:${door.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const escape = await raw(door.port, '/..%2f..%2fetc%2fpasswd', { headers: { host: `127.0.0.1:${door.port}` } });
    expect(escape.status).toBe(404);
  });

  it('refuses calls without the token, with a wrong one, or from another Host or Origin', async () => {
    expect((await api('app.status', {}, { authorization: '' })).status).toBe(401);
    expect((await api('app.status', {}, { authorization: `Bearer ${door.token.slice(1)}x` })).status).toBe(401);
    // DNS rebinding: the page's own name arrives as Host even when it resolves to 127.0.0.1.
    expect((await api('app.status', {}, { host: `evil.example:${door.port}` })).status).toBe(403);
    expect((await api('app.status', {}, { host: `localhost:${door.port}` })).status).toBe(403);
    expect((await api('app.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const ok = await api('app.status', {});
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects unknown channels and invalid input with typed errors', async () => {
    expect(JSON.parse((await api('vault.explode', {})).body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'unknown channel' } });
    const bad = JSON.parse((await api('vault.create', { org: '', member: 'alice', password: 'long-enough-1' })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'org' } });
    const notJson = await raw(door.port, '/api/app.status', {
      method: 'POST',
      headers: { host: `127.0.0.1:${door.port}`, 'content-type': 'application/json', authorization: `Bearer ${door.token}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('carries the whole flow, and no listing payload holds a value', async () => {
    const created = JSON.parse((await api('vault.create', { org: 'Acme', member: 'alice', password: 'long-enough-1', kdf: 'fast' })).body);
    expect(created).toMatchObject({ ok: true, value: { state: 'unlocked', member: { name: 'alice', role: 'account-holder' } } });
    const reg = JSON.parse((await api('secrets.register', { type: 'api-key', name: 'stripe', fields: { headerName: 'Authorization', value: VALUE } })).body);
    expect(reg.ok).toBe(true);
    const id = reg.value.id as string;
    for (const [channel, input] of [
      ['secrets.list', {}],
      ['secrets.list', { search: 'str' }],
      ['secrets.detail', { id }],
      ['secrets.history', { id }],
      ['app.status', {}],
    ] as const) {
      const r = await api(channel, input);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).ok).toBe(true);
      expect(r.body, `${channel} must not carry the value`).not.toContain(VALUE);
    }
    const revealed = JSON.parse((await api('secrets.reveal', { id })).body);
    expect(revealed.value.fields.find((f: { key: string }) => f.key === 'value').value).toBe(VALUE);
    const usage = JSON.parse((await api('secrets.usage', { id })).body);
    expect(usage.value.entries[0]).toMatchObject({ who: 'alice', door: 'browser', how: 'reveal', consumer: 'alice · browser mode · reveal' });

    expect(JSON.parse((await api('vault.lock', {})).body).value.state).toBe('locked');
    expect(JSON.parse((await api('secrets.list', {})).body)).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const wrong = JSON.parse((await api('vault.unlock', { password: 'not-the-password' })).body);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    const started = Date.now();
    const again = JSON.parse((await api('vault.unlock', { password: 'long-enough-1' })).body);
    expect(Date.now() - started, 'an unlock after a failure is slowed down').toBeGreaterThanOrEqual(200);
    expect(again.value.state).toBe('unlocked');
  });
});
