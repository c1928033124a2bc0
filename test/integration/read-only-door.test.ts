import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../shared/schemas/roles';
import { writesVault } from '../../electron/core/access/permissions';
import { CofferApp } from '../../electron/core/app';
import { initSodium } from '../../electron/core/crypto/sodium';
import { registerSecret } from '../../electron/core/secrets/registration';
import { addMember } from '../../electron/core/vault/members';
import { startBrowserDoor } from '../../electron/server/browser-door';
import { PASSWORD, newVault } from '../support/vault';

/**
 * Read-only review through browser mode's HTTP door (docs/product.md §3 "Read-only review"): unlock,
 * list and reveal change no byte of the vault and leave no write-ahead log; every write is refused
 * with a typed error; the app's own "Open read-only" reopens a locked vault and can go back.
 */

const VALUE = 'sk_live_read_only_7c1e';

interface FileState {
  sha256: string;
  walBytes: number;
}

const stateOf = (path: string): FileState => ({
  sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
  walBytes: existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0,
});

interface Answer {
  ok: boolean;
  value?: Record<string, unknown> & { fields?: { key: string; value: string | null }[] };
  error?: { code: string; message: string };
}

/** One running door over `vaultPath`, called as the page calls it. */
async function openDoor(dir: string, vaultPath: string, readOnly: boolean) {
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Coffer</title>');
  const app = new CofferApp({ vaultPath, readOnly, door: 'browser' });
  const door = await startBrowserDoor({ app, staticDir });
  const api = (channel: string, input: unknown = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: door.port,
          path: `/api/${channel}`,
          method: 'POST',
          headers: { host: `127.0.0.1:${door.port}`, origin: `http://127.0.0.1:${door.port}`, 'content-type': 'application/json', authorization: `Bearer ${door.token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
  const close = async () => {
    app.close();
    await door.close();
  };
  return { api, close };
}

describe('read-only review through the browser door', () => {
  let dir: string;
  let vaultPath: string;
  let id: string;
  let setupCode: string;

  beforeAll(async () => {
    await initSodium();
    dir = mkdtempSync(join(tmpdir(), 'coffer-read-only-'));
    const { path, vault, session } = await newVault(dir);
    id = registerSecret(session, { type: 'api-key', name: 'stripe', fields: { headerName: 'Authorization', value: VALUE } }).id;
    registerSecret(session, { type: 'api-key', name: 'github', fields: { headerName: 'X-Api-Key', value: 'gh-value' } });
    setupCode = addMember(session, { name: 'bob', role: 'member' }).setupCode!;
    vault.close();
    vaultPath = path;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('started --read-only: unlock, list and reveal change no byte; writes are refused; it cannot be reopened for writing', async () => {
    const before = stateOf(vaultPath);
    expect(before.walBytes).toBe(0);
    const { api, close } = await openDoor(dir, vaultPath, true);
    try {
      const locked = await api('app.status');
      expect(locked.value?.vault).toMatchObject({ readOnly: true, readOnlyForced: true });
      expect(await api('vault.reopen', { readOnly: false })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      // A setup code's first unlock must choose a password, which is a write: refused at unlock.
      const setup = await api('vault.unlock', { member: 'bob', password: setupCode });
      expect(setup).toMatchObject({ ok: false, error: { code: 'LOCKED', message: expect.stringContaining('read-only') } });
      expect((await api('app.status')).value?.state).toBe('locked');

      const unlocked = await api('vault.unlock', { member: 'alice', password: PASSWORD });
      const member = unlocked.value?.member as { permissions: string[]; roleOperations: string[] };
      // The Account Holder's role allows everything; read-only, only what writes nothing is permitted.
      expect(member.roleOperations).toEqual([...OPERATIONS]);
      expect(member.permissions).toEqual(OPERATIONS.filter((op) => !writesVault(op)));

      const listed = await api('secrets.list', {});
      expect(JSON.stringify(listed.value)).toContain('stripe');
      const revealed = await api('secrets.reveal', { id });
      expect(revealed.value?.fields?.find((f) => f.key === 'value')?.value).toBe(VALUE);
      expect(((await api('secrets.usage', { id })).value as { entries: unknown[] }).entries).toEqual([]);
      expect((await api('audit.list', {})).ok).toBe(true);

      const writes: [string, unknown][] = [
        ['secrets.register', { type: 'api-key', name: 'new-one', fields: { headerName: 'X-Key', value: 'new-value' } }],
        ['secrets.edit', { ref: { id }, fields: { value: 'changed-value' } }],
        ['secrets.scheduleDeletion', { id, confirm: 'DELETE' }],
        ['workspaces.add', { name: 'Backend' }],
        ['teams.add', { name: 'Platform' }],
        ['members.add', { name: 'carol', role: 'member' }],
        ['settings.update', { revealSeconds: 60 }],
        ['notices.markRead', {}],
      ];
      for (const [channel, input] of writes) {
        const r = await api(channel, input);
        expect({ channel, ok: r.ok, code: r.error?.code }).toEqual({ channel, ok: false, code: 'LOCKED' });
        expect(r.error?.message).toContain('read-only');
      }
      expect(await api('vault.reopen', { readOnly: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    } finally {
      await close();
    }
    expect(stateOf(vaultPath)).toEqual(before);
  });

  it('"Open read-only" reopens the locked vault read-only, records nothing, and goes back to writing when asked', async () => {
    // The file as it was before the app started: a door writes nothing until someone unlocks to write.
    const before = stateOf(vaultPath);
    expect(before.walBytes).toBe(0);
    const { api, close } = await openDoor(dir, vaultPath, false);
    try {
      expect((await api('app.status')).value?.vault).toMatchObject({ readOnly: false, readOnlyForced: false });
      const reopened = await api('vault.reopen', { readOnly: true });
      expect(reopened.value?.vault).toMatchObject({ readOnly: true, readOnlyForced: false });
      expect(stateOf(vaultPath)).toEqual(before);
      await api('vault.unlock', { member: 'alice', password: PASSWORD });
      expect((await api('secrets.reveal', { id })).ok).toBe(true);
      expect(await api('secrets.register', { type: 'api-key', name: 'nope', fields: { headerName: 'X-Key', value: 'nope-value' } })).toMatchObject({
        ok: false,
        error: { code: 'LOCKED' },
      });
      // No session outlives the mode it unlocked in.
      expect(await api('vault.reopen', { readOnly: false })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      await api('vault.lock');
      expect(stateOf(vaultPath)).toEqual(before);

      const back = await api('vault.reopen', { readOnly: false });
      expect(back.value?.vault).toMatchObject({ readOnly: false });
      const again = await api('vault.unlock', { member: 'alice', password: PASSWORD });
      expect((again.value?.member as { permissions: string[] }).permissions).toEqual([...OPERATIONS]);
      expect((await api('secrets.reveal', { id })).ok).toBe(true);
      // Written to again: the reveal is recorded, once.
      expect(((await api('secrets.usage', { id })).value as { entries: unknown[] }).entries).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
