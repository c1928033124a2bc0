import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withRawDb } from '../../support/sql';
import { errorLine, initVault, ok, useTempDirs } from './run';

describe('coffer lifecycle, notices and audit', () => {
  const tmp = useTempDirs();

  it('schedules with the confirm word, cancels, and deletes now', async () => {
    const alice = await initVault(join(tmp(), 'v.coffer'));
    await ok(alice(['secret', 'add', 'api-key', 'old-key', '--header', 'X-Key', '--value-stdin'], 'old-value'));
    await ok(alice(['secret', 'add', 'api-key', 'gone-key', '--header', 'X-Key', '--value-stdin'], 'gone-value'));

    const wrong = await alice(['secret', 'schedule-delete', 'old-key', '--confirm', 'delete']);
    expect(wrong.code).toBe(6);
    expect(errorLine(wrong.stderr)).toMatchObject({ code: 'CONFLICT', field: 'confirm' });

    expect(await ok(alice(['secret', 'schedule-delete', 'old-key', '--confirm', 'DELETE']))).toMatch(/scheduled for deletion on \d{4}-\d{2}-\d{2}/);
    expect(JSON.parse(await ok(alice(['--json', 'secret', 'list', '--status', 'scheduled']))).map((s: { name: string }) => s.name)).toEqual(['old-key']);
    expect(await ok(alice(['secret', 'cancel-delete', 'old-key']))).toContain('Active again');
    expect((await alice(['secret', 'cancel-delete', 'old-key'])).code).toBe(6);

    expect((await alice(['secret', 'delete', 'gone-key', '--confirm', 'DELETE'])).code).toBe(2);
    await ok(alice(['secret', 'delete', 'gone-key', '--now', '--confirm', 'DELETE']));
    expect((await alice(['secret', 'get', 'gone-key'])).code).toBe(5);

    const audit = JSON.parse(await ok(alice(['--json', 'audit', 'list', '--action', 'secret']))) as { action: string }[];
    expect(audit.map((e) => e.action).reverse()).toEqual(['secret.register', 'secret.register', 'secret.schedule', 'secret.cancel', 'secret.delete']);
    expect(await ok(alice(['audit', 'verify']))).toMatch(/intact: \d+ entries/);
    expect(await ok(alice(['notices']))).toBe('No unread notices.\n');
    expect(await ok(alice(['tick']))).toMatch(/0 became inactive, 0 new notices, 0 purged/);
  });

  it('audit verify exits 4 naming the first broken entry', async () => {
    const vault = join(tmp(), 'v.coffer');
    const alice = await initVault(vault);
    await ok(alice(['secret', 'list']));
    await ok(alice(['secret', 'list']));
    withRawDb(vault, (db) => db.exec("UPDATE audit SET actor = 'mallory' WHERE seq = 2"));
    const r = await alice(['audit', 'verify']);
    expect(r.code).toBe(4);
    // Entry 2 is the one the head names: the unlock before verifying found it and recorded the break.
    expect(errorLine(r.stderr)).toEqual({ code: 'TAMPERED', message: expect.stringMatching(/^the audit log is broken at entry 2: entry 2 was altered \(found by alice on .+, recorded as entry 3\)$/) });
  });

  it('shows an expiration notice once, and marks it read', async () => {
    const alice = await initVault(join(tmp(), 'v.coffer'));
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
    await ok(alice(['secret', 'add', 'api-key', 'expiring', '--header', 'X-Key', '--value-stdin', '--expires', tomorrow], 'v'));
    await ok(alice(['tick']));
    const notices = await ok(alice(['notices', '--mark-read']));
    expect(notices).toMatch(/"expiring" expires within (1 day|7 days)/);
    expect(await ok(alice(['notices']))).toBe('No unread notices.\n');
    expect(await ok(alice(['notices', '--all']))).toContain('"expiring" expires within');
  });
});
