import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CofferApp } from '../../electron/core/app';
import { importBundle } from '../../electron/core/bundles/import';
import { initSodium } from '../../electron/core/crypto/sodium';
import { addMember } from '../../electron/core/vault/members';
import { addWorkspace } from '../../electron/core/vault/structure';
import { Vault } from '../../electron/core/vault/vault';
import type { BrowserDoor } from '../../electron/server/browser-door';
import { startBrowserDoor } from '../../electron/server/browser-door';

const VALUE = 'sk_live_exported_value_7c1d';
const PASSPHRASE = 'a long bundle passphrase';
const PW = 'long-enough-1';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The Export screen's path through browser mode: `bundles.export`, then the file once from /download/ID. */
describe('export through the browser door', () => {
  let dir: string;
  let door: BrowserDoor;
  let app: CofferApp;
  const host = () => ({ host: `127.0.0.1:${door.port}` });
  const auth = () => ({ ...host(), authorization: `Bearer ${door.token}` });
  const api = async (channel: string, input: unknown) => {
    const r = await raw(door.port, `/api/${channel}`, {
      method: 'POST',
      headers: { ...auth(), origin: `http://127.0.0.1:${door.port}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return JSON.parse(r.body.toString('utf8')) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string; field?: string } };
  };

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-export-door-'));
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Coffer</title>');
    app = new CofferApp({ vaultPath: join(dir, 'v.coffer'), door: 'browser' });
    door = await startBrowserDoor({ app, staticDir });
    expect((await api('vault.create', { org: 'Acme Corp', member: 'alice', password: PW, kdf: 'fast' })).ok).toBe(true);
    expect((await api('workspaces.add', { name: 'Backend' })).ok).toBe(true);
    const reg = await api('secrets.register', { type: 'api-key', name: 'stripe', level: 'workspace', workspace: 'Backend', fields: { headerName: 'X-Key', value: VALUE } });
    expect(reg.ok).toBe(true);
    const org = await api('secrets.register', { type: 'api-key', name: 'org-key', level: 'organization', fields: { headerName: 'X-Key', value: 'org-value-1234' } });
    expect(org.ok).toBe(true);
  });

  afterAll(async () => {
    app.close();
    await door.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists members with their key fingerprints and the signer', async () => {
    const r = await api('bundles.recipients', {});
    expect(r.ok).toBe(true);
    const v = r.value as { signer: { name: string; fingerprint: string }; members: { name: string; you: boolean; fingerprint: string }[]; passphraseProfile: string };
    expect(v.signer.name).toBe('alice');
    expect(v.signer.fingerprint).toMatch(/^[0-9a-f]{4}(:[0-9a-f]{4}){7}$/);
    expect(v.members).toEqual([expect.objectContaining({ name: 'alice', you: true })]);
    expect(v.passphraseProfile).toBe('fast');
  });

  it('refuses an export without a recipient, and a weak passphrase, naming the field', async () => {
    expect(await api('bundles.export', { selection: { kind: 'workspace', name: 'Backend' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'recipients' } });
    expect(await api('bundles.export', { selection: { kind: 'workspace', name: 'Backend' }, passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'passphrase' },
    });
    expect(app.outbox.size).toBe(0);
  });

  it('exports a workspace; the file is served once, with the token only, and imports into another vault', async () => {
    const r = await api('bundles.export', { selection: { kind: 'workspace', name: 'Backend' }, passphrase: PASSPHRASE });
    expect(r.ok).toBe(true);
    const v = r.value as { downloadId: string; fileName: string; items: number; bytes: number; signer: { fingerprint: string }; savedTo: null };
    expect(v.items).toBe(1);
    expect(v.savedTo).toBeNull();
    expect(v.fileName).toBe(`acme-corp-backend-${new Date().toISOString().slice(0, 10)}.cofferbundle`);
    expect(JSON.stringify(r)).not.toContain(VALUE);
    expect(JSON.stringify(r)).not.toContain(PASSPHRASE);

    const path = `/download/${v.downloadId}`;
    // Refused before the file is touched: no token, a wrong token, a foreign Host or Origin, another method.
    expect((await raw(door.port, path, { headers: host() })).status).toBe(401);
    expect((await raw(door.port, path, { headers: { ...host(), authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await raw(door.port, path, { headers: { ...auth(), host: 'evil.example' } })).status).toBe(403);
    expect((await raw(door.port, path, { headers: { ...auth(), origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw(door.port, path, { method: 'POST', headers: auth() })).status).toBe(405);

    const got = await raw(door.port, path, { headers: auth() });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="${v.fileName}"`);
    expect(got.headers['access-control-allow-origin']).toBeUndefined();
    expect(got.body.length).toBe(v.bytes);
    expect(got.body.includes(Buffer.from(VALUE))).toBe(false);
    // Once.
    expect((await raw(door.port, path, { headers: auth() })).status).toBe(404);
    expect(app.outbox.size).toBe(0);

    const file = join(dir, v.fileName);
    writeFileSync(file, got.body);
    const other = await Vault.create(join(dir, 'other.coffer'), { org: 'Elsewhere', member: 'bob', password: PW, kdf: 'fast' });
    try {
      const bob = await other.unlock(undefined, PW);
      addWorkspace(bob, 'Backend');
      await expect(importBundle(bob, file, { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'AUTH', field: 'signer' });
      await expect(importBundle(bob, file, { passphrase: 'the wrong passphrase', trustedSigners: [v.signer.fingerprint] })).rejects.toMatchObject({ code: 'AUTH' });
      const imported = await importBundle(bob, file, { passphrase: PASSPHRASE, trustedSigners: [v.signer.fingerprint] });
      expect(imported.counts.added).toBe(1);
      expect(imported.items.map((i) => i.name)).toEqual(['stripe']);
      bob.lock();
    } finally {
      other.close();
    }
  });

  it('a member without the export permission cannot export organization secrets; a lock empties the outbox', async () => {
    const r = await api('bundles.export', { selection: { kind: 'all' }, members: ['alice'] });
    expect(r.ok).toBe(true);
    expect(app.outbox.size).toBe(1);
    await api('vault.lock', {});
    expect(app.outbox.size).toBe(0);
    expect((await raw(door.port, `/download/${String(r.value!.downloadId)}`, { headers: auth() })).status).toBe(404);

    await api('vault.unlock', { member: 'alice', password: PW });
    const vault = await Vault.open(join(dir, 'v.coffer'));
    try {
      const alice = await vault.unlock('alice', PW);
      addMember(alice, { name: 'carol', role: 'member', password: PW });
      alice.lock();
    } finally {
      vault.close();
    }
    await api('vault.lock', {});
    expect((await api('vault.unlock', { member: 'carol', password: PW })).ok).toBe(true);
    const recipients = await api('bundles.recipients', {});
    expect((recipients.value as { members: { name: string }[] }).members.map((m) => m.name)).toEqual(['alice', 'carol']);
    expect(await api('bundles.export', { selection: { kind: 'all' }, passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await api('bundles.export', { selection: { kind: 'workspace', name: 'Backend' }, members: ['alice', 'nobody'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const ok = await api('bundles.export', { selection: { kind: 'workspace', name: 'Backend' }, members: ['alice'] });
    expect(ok).toMatchObject({ ok: true, value: { items: 1, recipients: [{ kind: 'member', name: 'alice' }] } });
  });
});
