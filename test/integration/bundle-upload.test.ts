import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { initSodium } from '../../electron/core/crypto/sodium';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';
import { MAX_UPLOAD_BYTES } from '../../shared/schemas/bundle-import';

const PW = 'long-enough-1';
const ENV = 'API_TOKEN=sk_upload_value_91ab\nDB_URL=postgres://x\n';

interface Reply {
  status: number;
  body: Buffer;
}

function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve({ status: 413, body: Buffer.from('{}') }) : reject(e)));
    req.end(opts.body);
  });
}

/** The Import screen's path through browser mode: the file as the raw body of POST /upload, then the channels by its id. */
describe('import through the browser door', () => {
  let dir: string;
  let door: BrowserDoor;
  let app: CofferApp;
  const auth = () => ({ host: `127.0.0.1:${door.port}`, authorization: `Bearer ${door.token}` });
  const api = async (channel: string, input: unknown) => {
    const r = await raw(door.port, `/api/${channel}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(input) });
    return JSON.parse(r.body.toString('utf8')) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string; field?: string } };
  };
  const upload = (body: string | Buffer, headers: Record<string, string> = {}) =>
    raw(door.port, '/upload', { method: 'POST', headers: { ...auth(), 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('prod .env'), ...headers }, body });

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-upload-door-'));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Coffer</title>');
    app = new CofferApp({ vaultPath: join(dir, 'v.coffer'), door: 'browser' });
    door = await startBrowserDoor({ app, staticDir });
    expect((await api('vault.create', { org: 'Acme', member: 'alice', password: PW, kdf: 'fast' })).ok).toBe(true);
  });

  afterAll(async () => {
    app.close();
    await door.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an upload without the token, as JSON, or through /api/', async () => {
    expect((await raw(door.port, '/upload', { method: 'POST', headers: { host: auth().host, 'content-type': 'application/octet-stream' }, body: ENV })).status).toBe(401);
    expect((await upload(ENV, { 'content-type': 'application/json' })).status).toBe(415);
    const viaApi = await raw(door.port, '/api/imports.upload', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(viaApi.status).toBe(415);
    expect(app.inbox.size).toBe(0);
  });

  it('refuses a file over 64 MiB with a typed error, keeping nothing', async () => {
    const r = await upload(Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41));
    expect(r.status).toBe(413);
    const body = r.body.toString('utf8');
    if (body !== '{}') expect(JSON.parse(body)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'file' } });
    expect(app.inbox.size).toBe(0);
  });

  it('keeps an upload, says what it is, previews and imports it; nothing of the value in any answer but the import', async () => {
    const r = await upload(ENV);
    expect(r.status).toBe(200);
    const up = JSON.parse(r.body.toString('utf8')) as { ok: true; value: { id: string; fileName: string; bytes: number } };
    expect(up.value).toMatchObject({ fileName: 'prod .env', bytes: Buffer.byteLength(ENV) });
    const ins = await api('imports.inspect', { id: up.value.id });
    expect(ins).toMatchObject({ ok: true, value: { format: 'dotenv', fileName: 'prod .env' } });
    const dry = await api('imports.preview', { id: up.value.id, split: true });
    expect(dry).toMatchObject({ ok: true, value: { dryRun: true, counts: { added: 2 } } });
    const done = await api('imports.apply', { id: up.value.id, split: true });
    expect(done).toMatchObject({ ok: true, value: { dryRun: false, applied: { added: 2 } } });
    expect(JSON.stringify([ins, dry, done])).not.toContain('sk_upload_value_91ab');
    expect(app.inbox.size).toBe(0);
    expect(await api('imports.preview', { id: up.value.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('empties the inbox at lock', async () => {
    const r = await upload(ENV);
    expect(r.status).toBe(200);
    expect(app.inbox.size).toBe(1);
    expect((await api('vault.lock', {})).ok).toBe(true);
    expect(app.inbox.size).toBe(0);
  });
});
