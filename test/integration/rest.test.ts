import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../electron/core/lifecycle/clock';
import { registerSecret } from '../../electron/core/secrets/registration';
import { createAccount, renewAccountKey } from '../../electron/core/vault/accounts';
import { createCredential } from '../../electron/core/vault/credentials';
import type { Session } from '../../electron/core/vault/session';
import { addTeam } from '../../electron/core/vault/structure';
import type { Vault } from '../../electron/core/vault/vault';
import type { RestServer } from '../../electron/server/rest';
import { ROUTES, startRestServer } from '../../electron/server/rest';
import { fakeClock, newVault, useTempDir } from '../support/vault';

/** docs/rest.md over real HTTP on loopback: the service-account calls, secret reads, and every refusal. */

const SA = '/api/service-account/v1/service-account';
const clock = fakeClock();
let vault: Vault;
let alice: Session;
let rest: RestServer;
let admin = '';

interface Answer {
  status: number;
  body: unknown;
}

async function call(method: string, path: string, opts: { auth?: string; body?: string; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.auth) headers.authorization = opts.auth;
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const res = await fetch(rest.url + path, { method, headers, body: opts.body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const bearer = (secret: string) => `Bearer ${secret}`;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A request with headers fetch will not send as given (Host, Origin). */
function raw(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: rest.port, path: '/api/secret/v1/secret', method: 'GET', headers: { authorization: bearer(admin), ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const tempDir = useTempDir();

beforeAll(async () => {
  ({ vault, session: alice } = await newVault(tempDir(), { context: { clock } }));
  addTeam(alice, 'Backend');
  registerSecret(alice, { type: 'api-key', name: 'org-token', level: 'organization', fields: { headerName: 'X-Key', value: 'org-token-value' } });
  registerSecret(alice, { type: 'api-key', name: 'team-token', level: 'organization', teams: ['Backend'], fields: { headerName: 'X-Key', value: 'team-token-value' } });
  admin = createAccount(alice, { name: 'admin-bot', role: 'sys-admin' }).keys[0]!.secret;
  rest = await startRestServer(vault);
});

afterAll(async () => {
  await rest?.close();
});

describe('the OpenAPI document', () => {
  it('is served, and documents exactly the routes and statuses the server has', async () => {
    const served = await call('GET', '/api/openapi.json');
    const file = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(served).toEqual({ status: 200, body: file });
    expect(file.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      const op = file.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      for (const s of [...r.statuses, 401, 403, 404, 422]) expect(Object.keys(op!.responses), `${r.method} ${r.path} ${s}`).toContain(String(s));
    }
    const documented = Object.entries(file.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual([...ROUTES.map((r) => `${r.method} ${r.path}`), 'GET /api/openapi.json'].sort());
  });
});

describe('the service-account calls', () => {
  it('create, add a key, read with it, delete the key and the account', async () => {
    const created = await call('POST', SA, { auth: bearer(admin), body: JSON.stringify({ name: 'John Doe', enableBasicAuth: true }) });
    expect(created).toEqual({ status: 201, body: { created: Math.floor(clock.now() / 1000), enableBasicAuth: true, id: expect.any(String), keys: [], name: 'John Doe' } });
    const id = (created.body as { id: string }).id;
    const key = await call('POST', `${SA}/${id}/key`, { auth: bearer(admin), body: '{}' });
    expect(key).toEqual({ status: 201, body: { created: expect.any(Number), keyId: expect.any(String), secret: expect.stringMatching(/^coffer_sak_/) } });
    const { keyId, secret } = key.body as { keyId: string; secret: string };
    const list = await call('GET', '/api/secret/v1/secret', { auth: bearer(secret) });
    expect(list.status).toBe(200);
    expect((list.body as { name: string }[]).map((s) => s.name)).toEqual(['org-token']);
    expect(JSON.stringify(list.body)).not.toContain('org-token-value');
    expect(await call('GET', '/api/secret/v1/secret/org-token', { auth: bearer(secret) })).toEqual({ status: 200, body: { name: 'org-token', type: 'api-key', field: 'value', value: 'org-token-value' } });
    expect((await call('GET', '/api/secret/v1/secret/org-token', { auth: basic(keyId, secret) })).status).toBe(200);
    expect(await call('DELETE', `${SA}/${id}/key/${keyId}`, { auth: bearer(admin) })).toEqual({ status: 204, body: undefined });
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(secret) })).status).toBe(401);
    expect((await call('DELETE', `${SA}/${id}`, { auth: bearer(admin) })).status).toBe(204);
    expect((await call('DELETE', `${SA}/${id}`, { auth: bearer(admin) })).status).toBe(404);
  });

  it('orgId pins the organization: another id is 404, the vault id works', async () => {
    expect((await call('POST', `${SA}?orgId=not-this-one`, { auth: bearer(admin), body: JSON.stringify({ name: 'Pinned' }) })).status).toBe(404);
    expect((await call('POST', `${SA}?orgId=${vault.id}`, { auth: bearer(admin), body: JSON.stringify({ name: 'Pinned' }) })).status).toBe(201);
  });
});

describe('authentication', () => {
  it('missing, malformed and wrong keys are 401 JSON errors', async () => {
    expect(await call('GET', '/api/secret/v1/secret')).toEqual({ status: 401, body: { code: 'AUTH', message: expect.any(String) } });
    expect((await call('GET', '/api/secret/v1/secret', { auth: 'Token abc' })).status).toBe(401);
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(`coffer_sak_${'A'.repeat(43)}`) })).status).toBe(401);
  });

  it('Basic is refused while the account does not enable it', async () => {
    const plain = createAccount(alice, { name: 'no-basic', role: 'member' }).keys[0]!;
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(plain.secret) })).status).toBe(200);
    expect((await call('GET', '/api/secret/v1/secret', { auth: basic(plain.keyId, plain.secret) })).status).toBe(401);
  });

  it('a renewed key fails at once; an expired one fails from its day on', async () => {
    const a = createAccount(alice, { name: 'renewing', role: 'member', expires: '2026-12-20' });
    const old = a.keys[0]!;
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(old.secret) })).status).toBe(200);
    const renewed = renewAccountKey(alice, 'renewing', old.keyId);
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(old.secret) })).status).toBe(401);
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(renewed.secret) })).status).toBe(200);
    clock.advance(30 * DAY_MS);
    expect(await call('GET', '/api/secret/v1/secret', { auth: bearer(renewed.secret) })).toEqual({ status: 401, body: { code: 'AUTH', message: expect.stringContaining('expired') } });
  });

  it("a service credential reads its team's secrets with Basic clientId:clientSecret, and manages nothing", async () => {
    const c = createCredential(alice, { name: 'ci', teams: ['Backend'] });
    const auth = basic(c.clientId, c.clientSecret);
    expect(await call('GET', '/api/secret/v1/secret/team-token', { auth })).toEqual({ status: 200, body: expect.objectContaining({ value: 'team-token-value' }) });
    expect((await call('GET', '/api/secret/v1/secret/org-token', { auth })).status).toBe(404);
    expect((await call('POST', SA, { auth, body: JSON.stringify({ name: 'nope' }) })).status).toBe(403);
  });

  it('a role that does not manage accounts is 403', async () => {
    const reader = createAccount(alice, { name: 'reader', role: 'member' }).keys[0]!;
    expect(await call('POST', SA, { auth: bearer(reader.secret), body: JSON.stringify({ name: 'x' }) })).toEqual({ status: 403, body: { code: 'FORBIDDEN', message: expect.any(String) } });
  });
});

describe('reads that arrive together', () => {
  it('commit together, each answered on its own: a read that fails leaves the others and their uses in place', async () => {
    const secret = createAccount(alice, { name: 'burst', role: 'member' }).keys[0]!.secret;
    const paths = ['org-token', 'no-such-secret', 'org-token', 'org-token'].map((n) => `/api/secret/v1/secret/${n}`);
    const answers = await Promise.all(paths.map((p) => call('GET', p, { auth: bearer(secret) })));
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 200]);
    const uses = vault.db.count("SELECT count(*) AS n FROM audit WHERE actor = 'account:burst' AND action = 'secret.get'");
    expect(uses).toBe(3);
  });
});

describe('what the door refuses before anything is parsed', () => {
  it('bad JSON 400, oversize 413, wrong type 415, invalid fields 422, unknown route 404, wrong method 405', async () => {
    expect((await call('POST', SA, { auth: bearer(admin), body: '{nope' })).status).toBe(400);
    expect((await call('POST', SA, { auth: bearer(admin), body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }) })).status).toBe(413);
    expect((await call('POST', SA, { auth: bearer(admin), body: '{"name":"x"}', type: 'text/plain' })).status).toBe(415);
    expect((await call('POST', SA, { auth: bearer(admin), body: '{"name":"x"}', type: 'application/jsonx' })).status).toBe(415);
    expect(await call('POST', SA, { auth: bearer(admin), body: JSON.stringify({ enableBasicAuth: true }) })).toEqual({ status: 422, body: expect.objectContaining({ code: 'VALIDATION' }) });
    expect((await call('GET', '/api/nothing', { auth: bearer(admin) })).status).toBe(404);
    expect((await call('PUT', SA, { auth: bearer(admin) })).status).toBe(405);
    expect((await call('GET', '/api/secret/v1/secret/%ff', { auth: bearer(admin) })).status).toBe(400);
  });

  it('a foreign Host or any Origin is 403; an unparsable request target leaves the server running', async () => {
    expect(await raw({ host: 'evil.example:80' })).toBe(403);
    expect(await raw({ origin: 'http://evil.example' })).toBe(403);
    await new Promise<void>((resolve) => {
      const socket = connect(rest.port, '127.0.0.1', () => socket.end(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${rest.port}\r\n\r\n`));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
    });
    expect((await call('GET', '/api/secret/v1/secret', { auth: bearer(admin) })).status).toBe(200);
  });
});
